// The Router in time: the routing instant (created_at, else the clock),
// `availability` dropping reps off their schedule, `NextAvailable`, and rule
// active windows (DESIGN.md §3, contract line 2).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using testing::FakeClock;
using testing::MakeLead;
using testing::MakeRep;
using testing::RuleSetBuilder;

Instant At(const char* text) { return ParseInstant(text).value(); }

Schedule NineToFive(std::string zone) {
  Schedule s;
  s.time_zone = std::move(zone);
  s.weekly.emplace();
  for (size_t d = 0; d < 5; ++d) (*s.weekly)[d] = {{"09:00", "17:00"}};
  return s;
}

// Two reps, one in Berlin and one in New York, both 9-to-5 on weekdays.
RuleSet TwoZones() {
  return RuleSetBuilder()
      .Rep(MakeRep("berlin").Schedule(NineToFive("Europe/Berlin")))
      .Rep(MakeRep("newyork").Schedule(NineToFive("America/New_York")))
      .Rule({.id = "on-shift", .steps = {steps::Availability()}})
      .FallbackQueue("inbox")
      .Build()
      .value();
}

Router MakeRouter(RuleSet rules, std::shared_ptr<const Clock> clock) {
  RouterOptions options;
  options.clock = std::move(clock);
  return Router::Create(std::move(rules), std::move(options)).value();
}

TEST(RoutingInTime, AvailabilityDropsRepsOffSchedule) {
  auto clock = std::make_shared<FakeClock>(At("2024-01-15T10:00:00Z"));
  Router router = MakeRouter(TwoZones(), clock);
  // Monday 11:00 in Berlin, 05:00 in New York.
  EXPECT_EQ(router.Route(MakeLead("a")).value().owner.id, "berlin");
  // Monday 17:30 in Berlin, 11:30 in New York.
  clock->Set(At("2024-01-15T16:30:00Z"));
  EXPECT_EQ(router.Route(MakeLead("b")).value().owner.id, "newyork");
  // Saturday: nobody; the rule passes to the fallback.
  clock->Set(At("2024-01-20T16:30:00Z"));
  Assignment c = router.Route(MakeLead("c")).value();
  EXPECT_TRUE(c.fallback);
  EXPECT_EQ(c.owner.id, "inbox");
}

TEST(RoutingInTime, CreatedAtIsTheRoutingInstant) {
  auto clock = std::make_shared<FakeClock>(At("2024-01-20T16:30:00Z"));
  Router router = MakeRouter(TwoZones(), clock);
  EXPECT_EQ(
      router.Route(MakeLead("a", {{"created_at", "2024-01-15T11:00:00+01:00"}}))
          .value()
          .owner.id,
      "berlin");
  EXPECT_EQ(
      router.Route(MakeLead("b", {{"created_at", "2024-01-15T11:30:00-05:00"}}))
          .value()
          .owner.id,
      "newyork");
  // Not RFC 3339: the clock's now (a Saturday) decides.
  EXPECT_TRUE(router.Route(MakeLead("c", {{"created_at", "last monday"}}))
                  .value()
                  .fallback);
  EXPECT_TRUE(router.Route(MakeLead("d", {{"created_at", 1705312800}}))
                  .value()
                  .fallback);
}

TEST(RoutingInTime, ScheduleCombinesWithPresence) {
  auto clock = std::make_shared<FakeClock>(At("2024-01-15T15:00:00Z"));
  Router router = MakeRouter(TwoZones(), clock);  // both on shift
  ASSERT_TRUE(router.SetPresence("berlin", Presence::kAway).ok());
  EXPECT_EQ(router.Route(MakeLead("a")).value().owner.id, "newyork");
  ASSERT_TRUE(router.SetPresence("newyork", Presence::kOffline).ok());
  EXPECT_TRUE(router.Route(MakeLead("b")).value().fallback);
}

TEST(RoutingInTime, ScheduleCheckCanBeTurnedOff) {
  RuleSet rules =
      RuleSetBuilder()
          .Rep(MakeRep("berlin").Schedule(NineToFive("Europe/Berlin")))
          .Rule({.id = "any-time",
                 .steps = {{"availability", R"({"schedule": false})"}}})
          .FallbackQueue("inbox")
          .Build()
          .value();
  auto clock = std::make_shared<FakeClock>(At("2024-01-20T03:00:00Z"));
  Router router = MakeRouter(std::move(rules), clock);
  EXPECT_EQ(router.Route(MakeLead("a")).value().owner.id, "berlin");
}

TEST(RoutingInTime, NextAvailable) {
  Router router = MakeRouter(TwoZones(), std::make_shared<FakeClock>());
  // Saturday -> Monday 09:00 EST.
  EXPECT_EQ(router.NextAvailable("newyork", At("2024-01-20T12:00:00Z")).value(),
            At("2024-01-22T14:00:00Z"));
  EXPECT_EQ(router.NextAvailable("berlin", At("2024-01-22T09:00:00Z")).value(),
            At("2024-01-22T09:00:00Z"));
  EXPECT_EQ(router.NextAvailable("nobody", At("2024-01-22T09:00:00Z"))
                .status()
                .code(),
            StatusCode::kNotFound);
}

// DESIGN.md §3.2: a rule applies only when its active window contains the
// lead's time.
RuleSet Windows(std::string zone) {
  return RuleSetBuilder()
      .Rep(MakeRep("day"))
      .Rep(MakeRep("night"))
      .Rep(MakeRep("weekend"))
      .Rule({.id = "weekend",
             .pool = Pool::Reps({"weekend"}),
             .active = ActiveWindow{.days = {"sat", "sun"}}})
      .Rule({.id = "office",
             .pool = Pool::Reps({"day"}),
             .active = ActiveWindow{.days = {"mon", "tue", "wed", "thu", "fri"},
                                    .hours = {{"09:00", "18:00"}}}})
      .Rule({.id = "night",
             .pool = Pool::Reps({"night"}),
             .active = ActiveWindow{.hours = {{"18:00", "09:00"}}}})
      .FallbackQueue("inbox")
      .TimeZone(std::move(zone))
      .Build()
      .value();
}

TEST(RuleWindow, RuleOutsideItsWindowIsSkipped) {
  auto clock = std::make_shared<FakeClock>();
  Router router = MakeRouter(Windows("Europe/Berlin"), clock);
  auto route = [&](const char* id, const char* at) {
    clock->Set(At(at));
    Assignment a = router.Route(MakeLead(id)).value();
    return a.rule_id + ":" + a.owner.id;
  };
  EXPECT_EQ(route("1", "2024-01-15T08:00:00Z"), "office:day");   // Mon 09:00
  EXPECT_EQ(route("2", "2024-01-15T16:59:00Z"), "office:day");   // Mon 17:59
  EXPECT_EQ(route("3", "2024-01-15T17:00:00Z"), "night:night");  // Mon 18:00
  EXPECT_EQ(route("4", "2024-01-16T07:59:00Z"), "night:night");  // Tue 08:59
  EXPECT_EQ(route("5", "2024-01-20T12:00:00Z"), "weekend:weekend");  // Sat
  // Friday evening's night window runs into Saturday morning, but the
  // weekend rule comes first.
  EXPECT_EQ(route("6", "2024-01-20T06:00:00Z"), "weekend:weekend");
}

TEST(RuleWindow, DefaultZoneIsUtc) {
  auto clock = std::make_shared<FakeClock>(At("2024-01-15T08:30:00Z"));
  Router router = MakeRouter(Windows(""), clock);
  // 08:30 UTC: before the office opens at 09:00 UTC.
  EXPECT_EQ(router.Route(MakeLead("1")).value().rule_id, "night");
}

TEST(RuleWindow, InvalidWindowsAreReportedWithPaths) {
  RuleSetConfig config = Windows("Europe/Berlin").config();
  config.settings.time_zone = "Europe/Atlantis";
  config.rules[0].active->days = {"saturday"};
  config.rules[1].active->hours = {{"09:00", "9pm"}};
  Result<RuleSet> bad = RuleSet::Compile(config);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> paths;
  for (const auto& e : bad.status().errors()) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/settings/time_zone",
                                             "/rules/0/active/days/0",
                                             "/rules/1/active/hours/0/1"}));
}

}  // namespace
}  // namespace leadroute
