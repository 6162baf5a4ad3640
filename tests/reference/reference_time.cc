// The time rules of docs/config.md, spelled out one paragraph at a time.
#include "reference/reference_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace leadroute::reference {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using LocalTime = date::local_time<milliseconds>;

// `text[at, at + width)` as a decimal number, or -1 when not all digits.
int Digits(std::string_view text, size_t at, size_t width) {
  if (at + width > text.size()) return -1;
  int n = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

// `t` as wall-clock time of IANA zone `zone` ("" = UTC).
LocalTime ToLocal(const std::string& zone, TimePoint t) {
  return date::locate_zone(zone.empty() ? "UTC" : zone)->to_local(t);
}

// "HH:MM" as minutes after midnight ("24:00" is 1440).
int Minutes(const std::string& hhmm) {
  return Digits(hhmm, 0, 2) * 60 + Digits(hhmm, 3, 2);
}

// Whether local time `local` is in `block` of local day `day`. "A block whose
// end is not after its start ends on the next day but belongs to the day it
// starts."
bool InBlock(date::local_days day, const TimeBlock& block, LocalTime local) {
  const int start = Minutes(block.start);
  int end = Minutes(block.end);
  if (end <= start) end += 24 * 60;
  return day + minutes(start) <= local && local < day + minutes(end);
}

std::string DateText(date::local_days day) { return date::format("%F", day); }

// 0 for Monday .. 6 for Sunday.
unsigned DayOfWeek(date::local_days day) {
  return (date::weekday(day).c_encoding() + 6) % 7;
}

// The zone of a rep's caps: "the zone of the rep's schedule, else its
// time_zone, else UTC". The schedule's own zone defaults the same way.
const std::string& RepZone(const Rep& rep) {
  if (rep.schedule && !rep.schedule->time_zone.empty()) {
    return rep.schedule->time_zone;
  }
  return rep.time_zone;
}

int DayNumber(date::local_days day) {
  return static_cast<int>(day.time_since_epoch().count());
}

}  // namespace

// "The lead's created_at when it is an RFC 3339 date-time with an offset".
// RFC 3339 section 5.6: full-date "T" partial-time time-offset, with "t" and
// "z" allowed in lower case and a space for the "T" (its note on ISO 8601).
std::optional<TimePoint> ParseDateTime(std::string_view text) {
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2),
            day = Digits(text, 8, 2), hour = Digits(text, 11, 2),
            minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 ||
      second < 0 || text[4] != '-' || text[7] != '-' || text[13] != ':' ||
      text[16] != ':' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year(year), date::month(unsigned(month)),
                           date::day(unsigned(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  size_t at = 19;
  int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    size_t digits = 0;
    for (++at;
         at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
         ++at, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset = 0;  // minutes east of UTC
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    offset = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
             text[at + 3] == ':') {
    const int oh = Digits(text, at + 1, 2), om = Digits(text, at + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset = (text[at] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  return date::sys_days(ymd) + std::chrono::hours(hour) + minutes(minute) +
         std::chrono::seconds(second) + milliseconds(millis) - minutes(offset);
}

// docs/config.md "Schedules": "A rep is on schedule at instant t when t,
// converted to that zone, falls inside a working block of a day that is
// neither a holiday nor out of office, and t is in no out-of-office instant
// range."
bool OnSchedule(const Rep& rep, TimePoint t) {
  if (!rep.schedule) return true;
  const Schedule& s = *rep.schedule;
  for (const OutOfOffice& off : s.out_of_office) {
    auto from = ParseDateTime(off.from), to = ParseDateTime(off.to);
    if (from && to && *from <= t && t < *to) return false;  // [from, to)
  }
  const LocalTime local = ToLocal(RepZone(rep), t);
  const date::local_days today = date::floor<date::days>(local);
  // A block of yesterday may run past midnight into today.
  for (date::local_days day : {today - date::days(1), today}) {
    const std::string text = DateText(day);
    if (std::count(s.holidays.begin(), s.holidays.end(), text) > 0) continue;
    bool away = false;
    for (const OutOfOffice& off : s.out_of_office) {
      // Date ranges: whole local days, both ends inclusive ("YYYY-MM-DD"
      // compares as text).
      if (off.from.size() == 10 && off.from <= text && text <= off.to) {
        away = true;
      }
    }
    if (away) continue;
    // No `weekly`: "every day, all day".
    const std::vector<TimeBlock> all_day = {{"00:00", "24:00"}};
    const std::vector<TimeBlock>& blocks =
        s.weekly ? (*s.weekly)[DayOfWeek(day)] : all_day;
    for (const TimeBlock& block : blocks) {
      if (InBlock(day, block, local)) return true;
    }
  }
  return false;
}

// docs/config.md "Active windows": days absent or empty, every day; hours
// absent or empty, all day; a block crossing midnight belongs to the day it
// starts.
bool InWindow(const ActiveWindow& window, const std::string& zone,
              TimePoint t) {
  static const std::array<const char*, 7> kNames = {"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};
  const LocalTime local = ToLocal(zone, t);
  const date::local_days today = date::floor<date::days>(local);
  const std::vector<TimeBlock> all_day = {{"00:00", "24:00"}};
  const std::vector<TimeBlock>& blocks =
      window.hours.empty() ? all_day : window.hours;
  for (date::local_days day : {today - date::days(1), today}) {
    const char* name = kNames[DayOfWeek(day)];
    if (!window.days.empty() &&
        std::count(window.days.begin(), window.days.end(), name) == 0) {
      continue;
    }
    for (const TimeBlock& block : blocks) {
      if (InBlock(day, block, local)) return true;
    }
  }
  return false;
}

ClaimRecord RecordClaim(const Rep& rep, TimePoint t) {
  return {t, DayNumber(date::floor<date::days>(ToLocal(RepZone(rep), t)))};
}

// docs/config.md "Caps": per local day, per local week (Monday to Sunday),
// per local calendar month, and at most `count` in the `hours` hours that
// end at the claim (after t - hours, up to t).
bool UnderTimeCaps(const Rep& rep, const std::vector<ClaimRecord>& claims,
                   TimePoint t) {
  const Capacity& cap = rep.capacity;
  if (!cap.timed()) return true;
  const date::local_days today =
      date::floor<date::days>(ToLocal(RepZone(rep), t));
  const int day = DayNumber(today);
  const int monday = day - static_cast<int>(DayOfWeek(today));
  const date::year_month_day ymd(today);
  const int first = DayNumber(date::local_days(ymd.year() / ymd.month() / 1));
  const int next = DayNumber(
      date::local_days((ymd.year() / ymd.month() + date::months(1)) / 1));
  int per_day = 0, per_week = 0, per_month = 0, in_window = 0;
  for (const ClaimRecord& c : claims) {
    per_day += c.local_day == day;
    per_week += monday <= c.local_day && c.local_day < monday + 7;
    per_month += first <= c.local_day && c.local_day < next;
    if (cap.max_in_window) {
      in_window +=
          t - std::chrono::hours(cap.max_in_window->hours) < c.at && c.at <= t;
    }
  }
  return !(cap.max_per_day && per_day >= *cap.max_per_day) &&
         !(cap.max_per_week && per_week >= *cap.max_per_week) &&
         !(cap.max_per_month && per_month >= *cap.max_per_month) &&
         !(cap.max_in_window && in_window >= cap.max_in_window->count);
}

}  // namespace leadroute::reference
