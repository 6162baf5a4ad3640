#include "time/local_time.h"

#include <fmt/format.h>

namespace leadroute::internal {

std::optional<int> ParseTimeOfDay(std::string_view s) noexcept {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  int h = Digits(s.substr(0, 2));
  int m = Digits(s.substr(3, 2));
  if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) {
    return std::nullopt;
  }
  return h * 60 + m;
}

std::string FormatTimeOfDay(int minutes) {
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

std::optional<date::local_days> ParseLocalDate(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = Digits(s.substr(0, 4));
  int m = Digits(s.substr(5, 2));
  int d = Digits(s.substr(8, 2));
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(m)),
                           date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days(ymd);
}

std::optional<int> ParseDayName(std::string_view text) noexcept {
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (text == kDayNames[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

const date::time_zone* FindZone(const std::string& name) noexcept {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    // Zones load their transitions lazily; do it now, off the hot path.
    if (zone != nullptr) (void)zone->get_info(date::sys_seconds{});
    return zone;
  } catch (...) {
    return nullptr;
  }
}

date::local_time<std::chrono::minutes> ToLocal(const date::time_zone* zone,
                                               Instant t) noexcept {
  auto minute = std::chrono::floor<std::chrono::minutes>(t);
  if (zone == nullptr) {
    return date::local_time<std::chrono::minutes>(minute.time_since_epoch());
  }
  try {
    // Old local mean times have offsets in seconds; the minute is enough.
    return std::chrono::floor<std::chrono::minutes>(zone->to_local(minute));
  } catch (...) {
    return date::local_time<std::chrono::minutes>(minute.time_since_epoch());
  }
}

Instant FirstAtOrAfter(const date::time_zone* zone,
                       date::local_time<std::chrono::minutes> local) noexcept {
  if (zone == nullptr) return Instant(local.time_since_epoch());
  try {
    // For a skipped local time both choices give the end of the gap.
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        zone->to_sys(local, date::choose::earliest));
  } catch (...) {
    return Instant(local.time_since_epoch());
  }
}

}  // namespace leadroute::internal
