// The system clock and RFC 3339 instants (leadroute/clock.h).
#include "leadroute/clock.h"

#include <date/date.h>
#include <fmt/format.h>

#include <chrono>

#include "time/local_time.h"

LEADROUTE_NAMESPACE_BEGIN
namespace {

class SystemClockImpl final : public Clock {
 public:
  std::string_view Name() const noexcept override { return "system"; }
  Instant Now() const noexcept override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace

Clock::~Clock() = default;

std::shared_ptr<const Clock> SystemClock() {
  static const std::shared_ptr<const Clock> clock =
      std::make_shared<SystemClockImpl>();
  return clock;
}

// Hand-written rather than `date::parse`: that goes through an istream,
// which allocates, and this runs on every route.
std::optional<Instant> ParseInstant(std::string_view s) noexcept {
  using internal::Digits;
  std::optional<date::local_days> day = internal::ParseLocalDate(
      s.size() >= 10 ? s.substr(0, 10) : std::string_view());
  if (!day || s.size() < 20) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  if (s[13] != ':' || s[16] != ':') return std::nullopt;
  int hour = Digits(s.substr(11, 2));
  int minute = Digits(s.substr(14, 2));
  int second = Digits(s.substr(17, 2));
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  size_t i = 19;
  int64_t millis = 0;
  if (s[i] == '.') {
    ++i;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (size_t d = digits; d < 3; ++d) millis *= 10;
  }
  if (i >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return std::nullopt;
  } else if (s[i] == '+' || s[i] == '-') {
    if (s.size() != i + 6 || s[i + 3] != ':') return std::nullopt;
    int oh = Digits(s.substr(i + 1, 2));
    int om = Digits(s.substr(i + 4, 2));
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  using std::chrono::hours;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  Instant t{day->time_since_epoch() + hours(hour) + minutes(minute) +
            seconds(second) + milliseconds(millis)};
  return t - minutes(offset_minutes);
}

std::string FormatInstant(Instant instant) {
  auto ms = instant.time_since_epoch().count() % 1000;
  if (ms < 0) ms += 1000;
  auto secs = std::chrono::floor<std::chrono::seconds>(instant);
  std::string out = date::format("%FT%T", secs);
  if (ms != 0) out += fmt::format(".{:03}", ms);
  out += 'Z';
  return out;
}

LEADROUTE_NAMESPACE_END
