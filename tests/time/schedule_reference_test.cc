// Brute force: for 12 zones, every 15 minutes of 2023 and 2024, the compiled
// schedule agrees with a direct wall-clock computation that shares no code
// with it: the C library's localtime_r (glibc reads the same zoneinfo files
// independently of Howard Hinnant's date) and the schedule's strings
// re-read here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "leadroute/clock.h"
#include "leadroute/rep.h"
#include "time/schedule.h"

namespace leadroute {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's published
// algorithm, written out again here).
long DaysFromCivil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

long DayOf(const std::string& ymd) {
  return DaysFromCivil(std::stol(ymd.substr(0, 4)),
                       static_cast<unsigned>(std::stoul(ymd.substr(5, 2))),
                       static_cast<unsigned>(std::stoul(ymd.substr(8, 2))));
}

int MinuteOf(const std::string& hhmm) {
  return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

// The schedule used for every zone: several blocks, a night shift across
// midnight, a Sunday shift inside the hour European clocks skip, a Sunday
// shift wrapping into Monday, holidays, day and instant absences.
Schedule TestSchedule(const std::string& zone) {
  Schedule s;
  s.time_zone = zone;
  s.weekly.emplace();
  auto& w = *s.weekly;
  w[0] = {{"08:00", "12:00"}, {"13:00", "17:30"}};
  w[1] = {{"09:15", "17:45"}};
  w[2] = {{"00:00", "24:00"}};
  w[3] = {{"10:00", "14:00"}, {"22:00", "06:00"}};
  w[4] = {{"06:30", "11:00"}};
  w[5] = {{"01:00", "03:00"}};
  w[6] = {{"02:00", "02:45"}, {"23:00", "01:30"}};
  s.holidays = {"2023-01-02", "2023-12-25", "2024-05-01", "2024-11-01"};
  s.out_of_office = {{"2023-08-07", "2023-08-18", ""},
                     {"2024-02-29", "2024-02-29", ""},
                     {"2024-06-12T10:30:00Z", "2024-06-14T03:15:00Z", ""},
                     {"2023-03-26T00:00:00Z", "2023-03-26T01:30:00Z", ""}};
  return s;
}

struct Reference {
  explicit Reference(const Schedule& s) {
    for (size_t d = 0; d < 7; ++d) {
      for (const auto& b : (*s.weekly)[d]) {
        int start = MinuteOf(b.start);
        int end = MinuteOf(b.end);
        if (end <= start) end += 24 * 60;
        blocks[d].push_back({start, end});
      }
    }
    for (const auto& h : s.holidays) off.push_back({DayOf(h), DayOf(h)});
    for (const auto& o : s.out_of_office) {
      if (o.from.size() == 10) {
        off.push_back({DayOf(o.from), DayOf(o.to)});
      } else {
        away.push_back({ToUnix(o.from), ToUnix(o.to)});
      }
    }
  }

  static long long ToUnix(const std::string& z) {  // "YYYY-MM-DDTHH:MM:SSZ"
    return DayOf(z) * 86400LL + MinuteOf(z.substr(11, 5)) * 60LL +
           std::stoi(z.substr(17, 2));
  }

  bool Off(long day) const {
    for (const auto& [a, b] : off) {
      if (day >= a && day <= b) return true;
    }
    return false;
  }

  // REQUIRES: TZ is the schedule's zone.
  bool Available(long long unix_seconds) const {
    for (const auto& [a, b] : away) {
      if (unix_seconds >= a && unix_seconds < b) return false;
    }
    time_t t = static_cast<time_t>(unix_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    long day =
        DaysFromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                      static_cast<unsigned>(tm.tm_mday));
    int minute = tm.tm_hour * 60 + tm.tm_min;
    size_t wd = static_cast<size_t>((tm.tm_wday + 6) % 7);  // Monday = 0
    for (const auto& [a, b] : blocks[wd]) {
      if (minute >= a && minute < b && !Off(day)) return true;
    }
    size_t before = (wd + 6) % 7;
    for (const auto& [a, b] : blocks[before]) {
      if (minute + 1440 >= a && minute + 1440 < b && !Off(day - 1)) {
        return true;
      }
    }
    return false;
  }

  std::vector<std::pair<int, int>> blocks[7];
  std::vector<std::pair<long, long>> off;
  std::vector<std::pair<long long, long long>> away;
};

class ScopedTz {
 public:
  explicit ScopedTz(const std::string& zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", (":" + zone).c_str(), 1);
    tzset();
  }
  ~ScopedTz() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(ScheduleReference, TwelveZonesEveryQuarterHourOfTwoYears) {
  const char* zones[] = {
      "America/New_York", "Europe/Berlin",       "Asia/Kolkata",
      "Asia/Kathmandu",   "Pacific/Chatham",     "Australia/Lord_Howe",
      "America/Santiago", "Australia/Sydney",    "America/St_Johns",
      "Europe/London",    "America/Los_Angeles", "Asia/Tokyo"};
  const long long from = Reference::ToUnix("2023-01-01T00:00:00Z");
  const long long to = Reference::ToUnix("2025-01-01T00:00:00Z");
  for (const char* zone : zones) {
    Schedule schedule = TestSchedule(zone);
    Rep rep;
    rep.id = "r";
    rep.schedule = schedule;
    std::vector<ConfigError> errors;
    internal::CompiledSchedule compiled =
        internal::CompiledSchedule::ForRep(rep, "", errors);
    ASSERT_TRUE(errors.empty()) << zone << ": " << errors.front().message;
    Reference reference(schedule);
    ScopedTz tz(zone);
    int mismatches = 0;
    long long on = 0;
    for (long long t = from; t < to; t += 15 * 60) {
      bool want = reference.Available(t);
      bool got = compiled.Contains(Instant(std::chrono::seconds(t)));
      on += want;
      if (want != got && ++mismatches <= 5) {
        ADD_FAILURE() << zone << " at "
                      << FormatInstant(Instant(std::chrono::seconds(t)))
                      << ": schedule says " << got << ", reference " << want;
      }
    }
    EXPECT_EQ(mismatches, 0) << zone;
    EXPECT_GT(on, 10000) << zone;  // the schedule is not trivially empty
  }
}

}  // namespace
}  // namespace leadroute
