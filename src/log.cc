#include "log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>

namespace leadroute::internal {
namespace {

LogLevel FromSpdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LogLevel::kDebug;
    case spdlog::level::info:
      return LogLevel::kInfo;
    case spdlog::level::warn:
      return LogLevel::kWarn;
    default:
      return LogLevel::kError;
  }
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

// Hands each formatted record to the host's callback.
class CallbackSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit CallbackSink(std::function<void(LogLevel, std::string_view)> fn)
      : fn_(std::move(fn)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    try {
      fn_(FromSpdlog(msg.level),
          std::string_view(msg.payload.data(), msg.payload.size()));
    } catch (...) {
      // A host sink that throws must not break the caller.
    }
  }
  void flush_() override {}

 private:
  std::function<void(LogLevel, std::string_view)> fn_;
};

}  // namespace

Log::Log(LogLevel level, std::function<void(LogLevel, std::string_view)> sink)
    : level_(level) {
  if (!sink || level == LogLevel::kOff) return;
  logger_ = std::make_shared<spdlog::logger>(
      "leadroute", std::make_shared<CallbackSink>(std::move(sink)));
  logger_->set_level(ToSpdlog(level));
}

Log::~Log() = default;

void Log::WriteString(LogLevel level, std::string_view message) {
  logger_->log(ToSpdlog(level), "{}", message);
}

}  // namespace leadroute::internal
