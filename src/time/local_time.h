// Wall-clock pieces shared by schedules, rule windows and caps: "HH:MM",
// "YYYY-MM-DD", weekday names, and converting instants to a zone's local
// time without ever throwing (DESIGN.md §5).
#ifndef LEADROUTE_TIME_LOCAL_TIME_H_
#define LEADROUTE_TIME_LOCAL_TIME_H_

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "leadroute/clock.h"

namespace leadroute::internal {

constexpr int kMinutesPerDay = 24 * 60;

// Config names of the days of the week, Monday first (index = DayIndex).
inline constexpr std::array<std::string_view, 7> kDayNames = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// The decimal value of `s` when it is all ASCII digits (1 to 9 of them),
// else -1.
constexpr int Digits(std::string_view s) noexcept {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "HH:MM" (two digits each) as minutes after midnight, 0..1440; "24:00" is
// 1440. nullopt for anything else.
std::optional<int> ParseTimeOfDay(std::string_view text) noexcept;
// Minutes after midnight as "HH:MM".
std::string FormatTimeOfDay(int minutes);
// "YYYY-MM-DD", a real calendar date.
std::optional<date::local_days> ParseLocalDate(std::string_view text) noexcept;
// "mon".."sun" -> 0..6.
std::optional<int> ParseDayName(std::string_view text) noexcept;

// Monday = 0 .. Sunday = 6.
inline int DayIndex(date::local_days day) noexcept {
  return static_cast<int>((date::weekday(day).c_encoding() + 6) % 7);
}

// The IANA zone `name`, or nullptr when the tz database does not know it.
// Loads the database on first use (once per process) and the zone's rules,
// so later conversions allocate nothing.
const date::time_zone* FindZone(const std::string& name) noexcept;

// `t` as wall-clock time in `zone` (nullptr: UTC), to the minute. Never
// throws: an instant always has exactly one local time.
date::local_time<std::chrono::minutes> ToLocal(const date::time_zone* zone,
                                               Instant t) noexcept;

// The first instant whose local time in `zone` is at or after `local`: the
// instant itself when `local` exists, the end of the gap when a DST change
// skips it, the earlier of two when it is repeated.
Instant FirstAtOrAfter(const date::time_zone* zone,
                       date::local_time<std::chrono::minutes> local) noexcept;

}  // namespace leadroute::internal

#endif  // LEADROUTE_TIME_LOCAL_TIME_H_
