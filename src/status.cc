#include "leadroute/status.h"

#include <cstdio>
#include <cstdlib>
#include <string>

LEADROUTE_NAMESPACE_BEGIN

std::string_view StatusCodeName(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message) {
  if (code == StatusCode::kOk) return;
  rep_ = std::make_unique<Rep>(Rep{code, std::move(message), {}});
}

Status Status::FromErrors(std::vector<ConfigError> errors) {
  std::string message;
  for (const auto& e : errors) {
    if (!message.empty()) message.push_back('\n');
    message += e.path.empty() ? "/" : e.path;
    message += ": ";
    message += e.message;
  }
  if (errors.empty()) message = "invalid configuration";
  Status status(StatusCode::kInvalidArgument, std::move(message));
  status.rep_->errors = std::move(errors);
  return status;
}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  }
  return *this;
}

Status::~Status() = default;

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code()));
  out += ": ";
  out += message();
  return out;
}

void DieWithStatus(const Status& status) noexcept {
  std::fprintf(stderr, "leadroute: value() on an error Result: %s\n",
               status.ToString().c_str());
  std::abort();
}

LEADROUTE_NAMESPACE_END
