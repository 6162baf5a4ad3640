// The Router's private logger: spdlog behind a host-supplied callback.
// Never touches spdlog's global registry or defaults, so a host that uses
// spdlog itself is unaffected. Silent unless RouterOptions gives a sink.
#ifndef LEADROUTE_LOG_H_
#define LEADROUTE_LOG_H_

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <string_view>

#include "leadroute/router.h"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace leadroute::internal {

class Log {
 public:
  Log(LogLevel level, std::function<void(LogLevel, std::string_view)> sink);
  ~Log();

  bool enabled(LogLevel level) const noexcept {
    return logger_ != nullptr && level >= level_;
  }
  template <typename... Args>
  void Write(LogLevel level, fmt::format_string<Args...> format,
             Args&&... args) {
    if (!enabled(level)) return;
    WriteString(level, fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  void WriteString(LogLevel level, std::string_view message);

  LogLevel level_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_LOG_H_
