// Rep schedules in wall-clock time: DST gaps and repeats, fractional and
// southern-hemisphere offsets, blocks across midnight, holidays and out of
// office. Every instant is pinned in a past year.
#include "time/schedule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadroute/clock.h"
#include "leadroute/rep.h"

namespace leadroute {
namespace {

using internal::CompiledSchedule;

Instant At(const char* text) {
  std::optional<Instant> t = ParseInstant(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Instant{});
}

// A weekly schedule with the same blocks on each day in `days` (0 = Monday).
Schedule Weekly(std::vector<int> days, std::vector<TimeBlock> blocks,
                std::string zone) {
  Schedule s;
  s.time_zone = std::move(zone);
  s.weekly.emplace();
  for (int d : days) (*s.weekly)[static_cast<size_t>(d)] = blocks;
  return s;
}

CompiledSchedule Compile(Schedule s, std::string rep_zone = "") {
  Rep rep;
  rep.id = "r";
  rep.time_zone = std::move(rep_zone);
  rep.schedule = std::move(s);
  std::vector<ConfigError> errors;
  CompiledSchedule out = CompiledSchedule::ForRep(rep, "/reps/0", errors);
  EXPECT_TRUE(errors.empty())
      << errors.front().path << ": " << errors.front().message;
  return out;
}

constexpr int kMon = 0, kFri = 4, kSun = 6;

TEST(Schedule, NoScheduleIsAlwaysOn) {
  CompiledSchedule s;
  EXPECT_TRUE(s.Contains(At("2024-01-01T03:00:00Z")));
}

TEST(Schedule, NewYorkShiftInsideTheMissingHourNeverHappens) {
  // 2024-03-10 02:00 EST jumps to 03:00 EDT (07:00Z).
  auto s = Compile(Weekly({kSun}, {{"02:00", "02:30"}}, "America/New_York"));
  EXPECT_FALSE(s.Contains(At("2024-03-10T06:59:00Z")));  // 01:59 EST
  EXPECT_FALSE(s.Contains(At("2024-03-10T07:00:00Z")));  // 03:00 EDT
  EXPECT_FALSE(s.Contains(At("2024-03-10T07:15:00Z")));
  // A week later the hour exists again.
  EXPECT_TRUE(s.Contains(At("2024-03-17T06:15:00Z")));  // 02:15 EDT
}

TEST(Schedule, NewYorkShiftAcrossTheMissingHourIsAnHourShorter) {
  auto s = Compile(Weekly({kSun}, {{"01:30", "03:30"}}, "America/New_York"));
  EXPECT_FALSE(s.Contains(At("2024-03-10T06:29:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-03-10T06:30:00Z")));   // 01:30 EST
  EXPECT_TRUE(s.Contains(At("2024-03-10T07:29:59Z")));   // 03:29 EDT
  EXPECT_FALSE(s.Contains(At("2024-03-10T07:30:00Z")));  // 03:30 EDT
}

TEST(Schedule, NewYorkShiftAcrossTheRepeatedHourHappensTwice) {
  // 2024-11-03 02:00 EDT falls back to 01:00 EST (06:00Z).
  auto s = Compile(Weekly({kSun}, {{"00:30", "01:30"}}, "America/New_York"));
  EXPECT_TRUE(s.Contains(At("2024-11-03T04:30:00Z")));   // 00:30 EDT
  EXPECT_TRUE(s.Contains(At("2024-11-03T05:29:00Z")));   // 01:29 EDT
  EXPECT_FALSE(s.Contains(At("2024-11-03T05:30:00Z")));  // 01:30 EDT
  EXPECT_TRUE(s.Contains(At("2024-11-03T06:00:00Z")));   // 01:00 EST
  EXPECT_TRUE(s.Contains(At("2024-11-03T06:29:00Z")));   // 01:29 EST
  EXPECT_FALSE(s.Contains(At("2024-11-03T06:30:00Z")));  // 01:30 EST
}

TEST(Schedule, BerlinSpringForwardSkipsTheShift) {
  // 2023-03-26 02:00 CET jumps to 03:00 CEST (01:00Z).
  auto s = Compile(Weekly({kSun}, {{"02:00", "03:00"}}, "Europe/Berlin"));
  EXPECT_FALSE(s.Contains(At("2023-03-26T00:59:00Z")));
  EXPECT_FALSE(s.Contains(At("2023-03-26T01:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2023-03-26T01:30:00Z")));
}

TEST(Schedule, BerlinFallBackDoublesTheShift) {
  // 2023-10-29 03:00 CEST falls back to 02:00 CET (01:00Z).
  auto s = Compile(Weekly({kSun}, {{"02:00", "03:00"}}, "Europe/Berlin"));
  EXPECT_FALSE(s.Contains(At("2023-10-28T23:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2023-10-29T00:00:00Z")));  // 02:00 CEST
  EXPECT_TRUE(s.Contains(At("2023-10-29T00:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2023-10-29T01:00:00Z")));  // 02:00 CET
  EXPECT_TRUE(s.Contains(At("2023-10-29T01:59:00Z")));
  EXPECT_FALSE(s.Contains(At("2023-10-29T02:00:00Z")));
}

TEST(Schedule, KolkataHalfHourOffset) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "17:30"}}, "Asia/Kolkata"));
  EXPECT_FALSE(s.Contains(At("2024-01-15T03:29:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-15T03:30:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-15T11:59:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-01-15T12:00:00Z")));
}

TEST(Schedule, KathmanduQuarterHourOffset) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "17:00"}}, "Asia/Kathmandu"));
  EXPECT_FALSE(s.Contains(At("2024-01-15T03:14:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-15T03:15:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-15T11:14:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-01-15T11:15:00Z")));
}

TEST(Schedule, ChathamOffsetsWinterAndSummer) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "17:00"}}, "Pacific/Chatham"));
  // July: +12:45. Monday 09:00 = Sunday 20:15Z.
  EXPECT_FALSE(s.Contains(At("2024-07-14T20:14:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-07-14T20:15:00Z")));
  // January: +13:45. Monday 09:00 = Sunday 19:15Z.
  EXPECT_FALSE(s.Contains(At("2024-01-14T19:14:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-14T19:15:00Z")));
}

TEST(Schedule, LordHoweHalfHourDaylightSaving) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "17:00"}}, "Australia/Lord_Howe"));
  // January: +11. July: +10:30.
  EXPECT_FALSE(s.Contains(At("2024-01-14T21:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-01-14T22:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-07-14T22:29:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-07-14T22:30:00Z")));
}

TEST(Schedule, SantiagoMidnightThatDoesNotExist) {
  // 2024-09-08 00:00 -04 jumps to 01:00 -03 (04:00Z): the block starts at
  // the end of the gap.
  auto s = Compile(Weekly({kSun}, {{"00:00", "02:00"}}, "America/Santiago"));
  EXPECT_FALSE(s.Contains(At("2024-09-08T03:59:00Z")));  // Sat 23:59 -04
  EXPECT_TRUE(s.Contains(At("2024-09-08T04:00:00Z")));   // Sun 01:00 -03
  EXPECT_TRUE(s.Contains(At("2024-09-08T04:59:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-09-08T05:00:00Z")));  // 02:00 -03
  EXPECT_EQ(s.Next(At("2024-09-07T12:00:00Z")), At("2024-09-08T04:00:00Z"));
}

TEST(Schedule, SydneySouthernDaylightSaving) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "17:00"}}, "Australia/Sydney"));
  // January: AEDT +11. July: AEST +10.
  EXPECT_TRUE(s.Contains(At("2024-01-14T22:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-01-14T21:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-07-14T23:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-07-14T22:59:00Z")));
}

TEST(Schedule, ShiftAcrossMidnightBelongsToTheDayItStarts) {
  // Fridays 22:00 to Saturday 06:00, Berlin (CET, +1, in January).
  Schedule sched = Weekly({kFri}, {{"22:00", "06:00"}}, "Europe/Berlin");
  auto s = Compile(sched);
  EXPECT_TRUE(s.Contains(At("2024-01-19T21:00:00Z")));   // Fri 22:00
  EXPECT_TRUE(s.Contains(At("2024-01-20T04:59:00Z")));   // Sat 05:59
  EXPECT_FALSE(s.Contains(At("2024-01-20T05:00:00Z")));  // Sat 06:00
  EXPECT_FALSE(s.Contains(At("2024-01-18T23:00:00Z")));  // Fri 00:00
  // A holiday on the Saturday leaves the Friday shift whole...
  sched.holidays = {"2024-01-20"};
  EXPECT_TRUE(Compile(sched).Contains(At("2024-01-20T04:00:00Z")));
  // ... one on the Friday cancels all of it.
  sched.holidays = {"2024-01-19"};
  EXPECT_FALSE(Compile(sched).Contains(At("2024-01-19T21:00:00Z")));
  EXPECT_FALSE(Compile(sched).Contains(At("2024-01-20T04:00:00Z")));
}

TEST(Schedule, SundayShiftWrapsToMonday) {
  auto s = Compile(Weekly({kSun}, {{"23:00", "01:00"}}, "UTC"));
  EXPECT_TRUE(s.Contains(At("2024-01-14T23:30:00Z")));  // Sun
  EXPECT_TRUE(s.Contains(At("2024-01-15T00:30:00Z")));  // Mon
  EXPECT_FALSE(s.Contains(At("2024-01-15T01:00:00Z")));
}

TEST(Schedule, ZoneDefaultsToTheRepsZone) {
  auto s = Compile(Weekly({kMon}, {{"09:00", "10:00"}}, ""), "Asia/Tokyo");
  EXPECT_TRUE(s.Contains(At("2024-01-15T00:00:00Z")));  // 09:00 JST
  EXPECT_FALSE(s.Contains(At("2024-01-15T09:00:00Z")));
}

TEST(Schedule, WithoutWeeklyHoursEveryDayIsWorkedExceptTimeOff) {
  Schedule sched;
  sched.time_zone = "America/Los_Angeles";
  sched.holidays = {"2024-12-25"};
  sched.out_of_office = {
      {"2024-07-01", "2024-07-05", "vacation"},
      {"2024-08-01T12:00:00-07:00", "2024-08-01T14:00:00-07:00", "dentist"}};
  auto s = Compile(sched);
  EXPECT_TRUE(s.Contains(At("2024-12-25T07:59:00Z")));   // Dec 24 23:59 PST
  EXPECT_FALSE(s.Contains(At("2024-12-25T08:00:00Z")));  // Dec 25 00:00 PST
  EXPECT_FALSE(s.Contains(At("2024-12-26T07:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-12-26T08:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-07-05T20:00:00Z")));  // last day, inclusive
  EXPECT_TRUE(s.Contains(At("2024-07-06T07:00:00Z")));   // Jul 6 00:00 PDT
  EXPECT_TRUE(s.Contains(At("2024-08-01T18:59:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-08-01T19:00:00Z")));
  EXPECT_FALSE(s.Contains(At("2024-08-01T20:59:00Z")));
  EXPECT_TRUE(s.Contains(At("2024-08-01T21:00:00Z")));  // `to` exclusive
}

TEST(Schedule, NextFindsTheNextShiftAndSkipsAbsences) {
  Schedule sched = Weekly({kMon, kFri}, {{"09:00", "17:00"}}, "Europe/Berlin");
  sched.out_of_office = {{"2024-01-15T08:00:00Z", "2024-01-15T10:00:00Z", ""}};
  auto s = Compile(sched);
  // Saturday -> Monday 09:00 CET, but absent until 11:00 CET.
  EXPECT_EQ(s.Next(At("2024-01-13T12:00:00Z")), At("2024-01-15T10:00:00Z"));
  // Inside a shift: now.
  EXPECT_EQ(s.Next(At("2024-01-15T12:34:56.789Z")),
            At("2024-01-15T12:34:56.789Z"));
  // After Monday's shift -> Friday.
  EXPECT_EQ(s.Next(At("2024-01-15T16:00:00Z")), At("2024-01-19T08:00:00Z"));
  // Nothing ever.
  auto never = Compile(Weekly({}, {}, "UTC"));
  EXPECT_EQ(never.Next(At("2024-01-15T16:00:00Z"), 30), std::nullopt);
}

struct BadSchedule {
  Schedule schedule;
  std::string path;
};

TEST(Schedule, ValidationErrorsHaveJsonPointers) {
  auto errors_of = [](Schedule s) {
    Rep rep;
    rep.id = "r";
    rep.schedule = std::move(s);
    std::vector<ConfigError> errors;
    (void)CompiledSchedule::ForRep(rep, "/reps/2", errors);
    std::vector<std::string> paths;
    for (const auto& e : errors) paths.push_back(e.path);
    return paths;
  };
  using V = std::vector<std::string>;
  Schedule zone;
  zone.time_zone = "Mars/Olympus_Mons";
  EXPECT_EQ(errors_of(zone), V{"/reps/2/schedule/time_zone"});
  EXPECT_EQ(errors_of(Weekly({kMon}, {{"9:00", "17:00"}}, "UTC")),
            V{"/reps/2/schedule/weekly/mon/0/0"});
  EXPECT_EQ(errors_of(Weekly({kMon}, {{"09:00", "24:30"}}, "UTC")),
            V{"/reps/2/schedule/weekly/mon/0/1"});
  EXPECT_EQ(errors_of(Weekly({kMon}, {{"09:00", "09:00"}}, "UTC")),
            V{"/reps/2/schedule/weekly/mon/0"});
  EXPECT_EQ(errors_of(Weekly({kMon}, {{"09:00", "12:00"}, {"11:00", "13:00"}},
                             "UTC")),
            V{"/reps/2/schedule/weekly/mon/1"});
  // A Sunday night shift running into Monday's first block.
  Schedule wrap = Weekly({kMon}, {{"05:00", "12:00"}}, "UTC");
  (*wrap.weekly)[kSun] = {{"22:00", "06:00"}};
  EXPECT_EQ(errors_of(wrap), V{"/reps/2/schedule/weekly/sun/0"});
  Schedule ooo;
  ooo.holidays = {"2024-02-30"};
  ooo.out_of_office = {{"2024-03-02", "2024-03-01", ""},
                       {"2024-03-02T10:00:00Z", "2024-03-02T09:00:00Z", ""},
                       {"2024-03-02", "2024-03-03T09:00:00Z", ""},
                       {"soon", "2024-03-03", ""}};
  EXPECT_EQ(errors_of(ooo), (V{"/reps/2/schedule/holidays/0",
                               "/reps/2/schedule/out_of_office/0/to",
                               "/reps/2/schedule/out_of_office/1/to",
                               "/reps/2/schedule/out_of_office/2",
                               "/reps/2/schedule/out_of_office/3/from"}));
}

}  // namespace
}  // namespace leadroute
