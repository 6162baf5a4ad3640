#include "time/schedule.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/json_util.h"

namespace leadroute::internal {
namespace {

int64_t DayNumber(date::local_days day) noexcept {
  return day.time_since_epoch().count();
}

}  // namespace

CompiledSchedule CompiledSchedule::ForRep(const Rep& rep,
                                          const std::string& base,
                                          std::vector<ConfigError>& errors) {
  CompiledSchedule out;
  if (!rep.schedule) return out;
  const Schedule& s = *rep.schedule;
  const std::string path = base + "/schedule";
  auto error = [&](std::string at, std::string message) {
    errors.push_back({std::move(at), std::move(message)});
  };
  out.always_ = false;
  if (!s.time_zone.empty()) {
    out.zone_ = FindZone(s.time_zone);
    if (out.zone_ == nullptr) {
      error(path + "/time_zone",
            fmt::format("unknown time zone \"{}\", expected an IANA name such "
                        "as \"Europe/Berlin\"",
                        s.time_zone));
    }
  } else if (!rep.time_zone.empty()) {
    out.zone_ = FindZone(rep.time_zone);  // an unknown one is reported there
  }

  if (s.weekly) {
    // Every block as an interval of the week in minutes, to find overlaps
    // (a block crossing Sunday midnight wraps to Monday).
    struct Span {
      int from, to;
      std::string at;
    };
    std::vector<Span> spans;
    for (int d = 0; d < 7; ++d) {
      const auto& blocks = (*s.weekly)[static_cast<size_t>(d)];
      for (size_t k = 0; k < blocks.size(); ++k) {
        std::string at = fmt::format("{}/weekly/{}/{}", path,
                                     kDayNames[static_cast<size_t>(d)], k);
        std::optional<int> start = ParseTimeOfDay(blocks[k].start);
        std::optional<int> end = ParseTimeOfDay(blocks[k].end);
        if (!start || *start == kMinutesPerDay) {
          error(at + "/0",
                fmt::format("found \"{}\", expected a start time \"HH:MM\" "
                            "from 00:00 to 23:59",
                            blocks[k].start));
        }
        if (!end) {
          error(at + "/1",
                fmt::format("found \"{}\", expected an end time \"HH:MM\" "
                            "from 00:00 to 24:00",
                            blocks[k].end));
        }
        if (!start || !end || *start == kMinutesPerDay) continue;
        if (*start == *end || (*start == 0 && *end == 0)) {
          error(at, fmt::format("the block [\"{}\", \"{}\"] is empty; an end "
                                "before the start crosses midnight, a whole "
                                "day is [\"00:00\", \"24:00\"]",
                                blocks[k].start, blocks[k].end));
          continue;
        }
        int e = *end > *start ? *end : *end + kMinutesPerDay;
        out.week_[static_cast<size_t>(d)].push_back(
            {static_cast<int16_t>(*start), static_cast<int16_t>(e)});
        int from = d * kMinutesPerDay + *start;
        int to = d * kMinutesPerDay + e;
        constexpr int kWeek = 7 * kMinutesPerDay;
        if (to > kWeek) {
          spans.push_back({from, kWeek, at});
          spans.push_back({0, to - kWeek, at});
        } else {
          spans.push_back({from, to, at});
        }
      }
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.from < b.from; });
    for (size_t k = 1; k < spans.size(); ++k) {
      if (spans[k].from < spans[k - 1].to) {
        const Span& later =
            spans[k].at > spans[k - 1].at ? spans[k] : spans[k - 1];
        const Span& other = &later == &spans[k] ? spans[k - 1] : spans[k];
        error(later.at, fmt::format("overlaps the block at {}; blocks of a "
                                    "week must not overlap",
                                    other.at));
      }
    }
  } else {
    for (auto& day : out.week_) day.push_back({0, kMinutesPerDay});
  }
  for (auto& day : out.week_) {
    std::sort(day.begin(), day.end(),
              [](Block a, Block b) { return a.start < b.start; });
  }

  for (size_t k = 0; k < s.holidays.size(); ++k) {
    if (std::optional<date::local_days> day = ParseLocalDate(s.holidays[k])) {
      out.days_off_.push_back({DayNumber(*day), DayNumber(*day)});
    } else {
      error(fmt::format("{}/holidays/{}", path, k),
            fmt::format("found \"{}\", expected a date \"YYYY-MM-DD\"",
                        s.holidays[k]));
    }
  }
  for (size_t k = 0; k < s.out_of_office.size(); ++k) {
    const OutOfOffice& o = s.out_of_office[k];
    std::string at = fmt::format("{}/out_of_office/{}", path, k);
    std::optional<date::local_days> from_day = ParseLocalDate(o.from);
    std::optional<date::local_days> to_day = ParseLocalDate(o.to);
    if (from_day && to_day) {
      if (*to_day < *from_day) {
        error(at + "/to",
              fmt::format("\"{}\" is before \"from\" (\"{}\")", o.to, o.from));
      } else {
        out.days_off_.push_back({DayNumber(*from_day), DayNumber(*to_day)});
      }
      continue;
    }
    std::optional<Instant> from = ParseInstant(o.from);
    std::optional<Instant> to = ParseInstant(o.to);
    constexpr std::string_view kExpected =
        "a date \"YYYY-MM-DD\" or an RFC 3339 instant such as "
        "\"2024-07-01T09:00:00+02:00\" (both ends of the same kind)";
    bool ok = true;
    if (!from && !from_day) {
      error(at + "/from",
            fmt::format("found \"{}\", expected {}", o.from, kExpected));
      ok = false;
    }
    if (!to && !to_day) {
      error(at + "/to",
            fmt::format("found \"{}\", expected {}", o.to, kExpected));
      ok = false;
    }
    if (!ok) continue;
    if (!from || !to) {
      error(at, "\"from\" and \"to\" must both be dates or both be instants");
      continue;
    }
    if (*to <= *from) {
      error(at + "/to",
            fmt::format("\"{}\" is not after \"from\" (\"{}\")", o.to, o.from));
      continue;
    }
    out.away_.push_back({*from, *to});
  }
  std::sort(out.days_off_.begin(), out.days_off_.end());
  std::sort(out.away_.begin(), out.away_.end());
  return out;
}

CompiledSchedule CompiledSchedule::Window(
    const date::time_zone* zone, const std::vector<int>& days,
    const std::vector<std::pair<int, int>>& blocks) {
  CompiledSchedule out;
  out.always_ = false;
  out.zone_ = zone;
  for (int d = 0; d < 7; ++d) {
    if (!days.empty() && std::find(days.begin(), days.end(), d) == days.end()) {
      continue;
    }
    auto& day = out.week_[static_cast<size_t>(d)];
    if (blocks.empty()) day.push_back({0, kMinutesPerDay});
    for (const auto& [start, end] : blocks) {
      int e = end > start ? end : end + kMinutesPerDay;
      day.push_back({static_cast<int16_t>(start), static_cast<int16_t>(e)});
    }
    std::sort(day.begin(), day.end(),
              [](Block a, Block b) { return a.start < b.start; });
  }
  return out;
}

bool CompiledSchedule::DayOff(int64_t day) const noexcept {
  // The last range starting at or before `day`; ranges may overlap, so scan
  // back while they could still cover it (few entries in practice).
  auto it =
      std::upper_bound(days_off_.begin(), days_off_.end(), day,
                       [](int64_t d, const std::pair<int64_t, int64_t>& r) {
                         return d < r.first;
                       });
  while (it != days_off_.begin()) {
    --it;
    if (it->second >= day) return true;
  }
  return false;
}

bool CompiledSchedule::InBlocks(int64_t day, int day_index,
                                int minute) const noexcept {
  for (Block b : week_[static_cast<size_t>(day_index)]) {
    if (minute >= b.start && minute < b.end) return !DayOff(day);
  }
  // A block of the day before that runs past midnight.
  const int before = (day_index + 6) % 7;
  const int m = minute + kMinutesPerDay;
  for (Block b : week_[static_cast<size_t>(before)]) {
    if (m >= b.start && m < b.end) return !DayOff(day - 1);
  }
  return false;
}

bool CompiledSchedule::Contains(Instant t) const noexcept {
  if (always_) return true;
  for (const auto& [from, to] : away_) {
    if (from > t) break;
    if (t < to) return false;
  }
  auto local = ToLocal(zone_, t);
  auto day = std::chrono::floor<date::days>(local);
  int minute = static_cast<int>((local - day).count());
  return InBlocks(day.time_since_epoch().count(), DayIndex(day), minute);
}

std::optional<Instant> CompiledSchedule::Next(Instant t,
                                              int horizon_days) const noexcept {
  if (Contains(t)) return t;
  if (always_) return t;
  // Where an available stretch can begin: a block's start (a DST gap moves
  // it to the end of the gap) or the end of an absence. Walk the local days
  // and try those, in order.
  auto first_day =
      std::chrono::floor<date::days>(ToLocal(zone_, t)) - date::days(1);
  for (int k = 0; k <= horizon_days; ++k) {
    date::local_days day = first_day + date::days(k);
    int64_t day_number = day.time_since_epoch().count();
    if (DayOff(day_number)) continue;
    for (Block b : week_[static_cast<size_t>(DayIndex(day))]) {
      Instant start =
          FirstAtOrAfter(zone_, day + std::chrono::minutes(b.start));
      Instant end = FirstAtOrAfter(zone_, day + std::chrono::minutes(b.end));
      if (end <= t) continue;
      Instant c = std::max(start, t);
      // Absences inside the block push the candidate to their end.
      while (c < end) {
        if (Contains(c)) return c;
        bool moved = false;
        for (const auto& [from, to] : away_) {
          if (from <= c && c < to) {
            c = to;
            moved = true;
            break;
          }
        }
        if (!moved) break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace leadroute::internal
