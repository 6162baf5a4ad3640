// Status and Result<T>: how every fallible leadroute call reports failure.
//
// An OK Status allocates nothing. Configuration errors carry every problem
// found, each with the JSON Pointer path of the offending value. Both types
// are values: copy them freely; they are not synchronised.
#ifndef LEADROUTE_STATUS_H_
#define LEADROUTE_STATUS_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// A closed subset of the canonical status codes (abseil, gRPC).
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 3,
  kNotFound = 5,
  kFailedPrecondition = 9,
  kResourceExhausted = 8,
  kUnavailable = 14,
  kInternal = 13,
};

// The stable lower-case name of `code`, e.g. "invalid_argument".
LEADROUTE_EXPORT std::string_view StatusCodeName(StatusCode code) noexcept;

// One problem in a configuration or input document.
struct ConfigError {
  // JSON Pointer (RFC 6901) of the offending value, e.g.
  // "/rules/2/steps/0/bands". "" is the document root.
  std::string path{};
  // What was found and what was expected, e.g.
  // "unknown key \"weigth\"; expected one of: weighted, seed".
  std::string message{};

  friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

class [[nodiscard]] LEADROUTE_EXPORT Status {
 public:
  // OK; allocates nothing.
  Status() noexcept = default;
  Status(StatusCode code, std::string message);
  // kInvalidArgument carrying every error in `errors` (REQUIRES: non-empty).
  static Status FromErrors(std::vector<ConfigError> errors);

  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status FailedPrecondition(std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status();

  bool ok() const noexcept { return rep_ == nullptr; }
  StatusCode code() const noexcept {
    return rep_ == nullptr ? StatusCode::kOk : rep_->code;
  }
  // The message; for configuration errors, every error on its own line.
  std::string_view message() const noexcept {
    return rep_ == nullptr ? std::string_view() : rep_->message;
  }
  // The individual configuration errors; empty for other failures.
  std::span<const ConfigError> errors() const noexcept {
    return rep_ == nullptr ? std::span<const ConfigError>() : rep_->errors;
  }
  // "invalid_argument: <message>", or "ok".
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::vector<ConfigError> errors;
  };
  std::unique_ptr<Rep> rep_;
};

// Prints `status` to stderr and aborts; used by Result::value() on error.
[[noreturn]] LEADROUTE_EXPORT void DieWithStatus(const Status& status) noexcept;

// A value of type T, or the non-OK Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok().
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) {
      status_ = Status(StatusCode::kInternal, "Result built from OK status");
    }
  }

  bool ok() const noexcept { return value_.has_value(); }
  const Status& status() const& noexcept { return status_; }
  Status status() && noexcept { return std::move(status_); }

  // The value; aborts with the status message when there is none.
  T& value() & {
    if (!ok()) DieWithStatus(status_);
    return *value_;
  }
  const T& value() const& {
    if (!ok()) DieWithStatus(status_);
    return *value_;
  }
  T&& value() && {
    if (!ok()) DieWithStatus(status_);
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_STATUS_H_
