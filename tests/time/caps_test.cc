// Time-based caps: per local day, week and month, and rolling windows;
// enforced by Claim and by the `availability` step.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using testing::FakeClock;
using testing::MakeLead;
using testing::MakeRep;
using testing::RuleSetBuilder;

// One capped rep in a pool of its own; the fallback takes the rest.
Router OneRep(testing::RepBuilder rep, bool availability_step) {
  Rule rule{.id = "only", .pool = Pool::Reps({"capped"})};
  if (availability_step) rule.steps = {steps::Availability()};
  RuleSet rules = RuleSetBuilder()
                      .Rep(rep)
                      .Rule(rule)
                      .FallbackQueue("inbox")
                      .Build()
                      .value();
  RouterOptions options;
  options.clock = std::make_shared<FakeClock>();
  return Router::Create(std::move(rules), std::move(options)).value();
}

// The owner of a lead created at `at`.
std::string Owner(Router& router, const std::string& id, const char* at) {
  return router.Route(MakeLead(id, {{"created_at", at}})).value().owner.id;
}

class CapsBothWays : public ::testing::TestWithParam<bool> {};

TEST_P(CapsBothWays, DailyCapResetsAtLocalMidnightFarFromUtc) {
  // Kiritimati is UTC+14: its midnight is 10:00Z the day before.
  Router router =
      OneRep(MakeRep("capped").TimeZone("Pacific/Kiritimati").MaxPerDay(2),
             GetParam());
  EXPECT_EQ(Owner(router, "1", "2024-01-15T00:00:00Z"), "capped");  // 14:00
  EXPECT_EQ(Owner(router, "2", "2024-01-15T09:00:00Z"), "capped");  // 23:00
  EXPECT_EQ(Owner(router, "3", "2024-01-15T09:59:59Z"), "inbox");
  EXPECT_EQ(Owner(router, "4", "2024-01-15T10:00:00Z"), "capped");  // 00:00
  EXPECT_EQ(Owner(router, "5", "2024-01-15T11:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "6", "2024-01-15T12:00:00Z"), "inbox");
  // Releasing frees load, not the day's count.
  ASSERT_TRUE(router.Release("5").ok());
  EXPECT_EQ(Owner(router, "7", "2024-01-15T13:00:00Z"), "inbox");
}

TEST_P(CapsBothWays, RollingWindow) {
  Router router = OneRep(MakeRep("capped").MaxInWindow(2, 3), GetParam());
  EXPECT_EQ(Owner(router, "1", "2024-01-15T10:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "2", "2024-01-15T11:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "3", "2024-01-15T12:59:00Z"), "inbox");
  // 10:00 has left the window (12:00, 13:00].
  EXPECT_EQ(Owner(router, "4", "2024-01-15T13:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "5", "2024-01-15T13:30:00Z"), "inbox");
}

TEST_P(CapsBothWays, WeeklyCapCountsMondayToSunday) {
  Router router = OneRep(
      MakeRep("capped").TimeZone("America/New_York").MaxPerWeek(1), GetParam());
  EXPECT_EQ(Owner(router, "1", "2024-01-15T15:00:00Z"), "capped");  // Mon
  EXPECT_EQ(Owner(router, "2", "2024-01-22T04:59:00Z"), "inbox");   // Sun 23:59
  EXPECT_EQ(Owner(router, "3", "2024-01-22T05:00:00Z"), "capped");  // Mon 00:00
}

TEST_P(CapsBothWays, MonthlyCapCountsTheLocalMonth) {
  Router router =
      OneRep(MakeRep("capped").TimeZone("Australia/Sydney").MaxPerMonth(1),
             GetParam());
  EXPECT_EQ(Owner(router, "1", "2024-02-10T00:00:00Z"), "capped");
  // Feb 29 12:59Z is Mar 1 00:59 in Sydney (+11): a new month.
  EXPECT_EQ(Owner(router, "2", "2024-02-29T12:00:00Z"), "inbox");
  EXPECT_EQ(Owner(router, "3", "2024-02-29T13:00:00Z"), "capped");
}

INSTANTIATE_TEST_SUITE_P(ClaimAndAvailability, CapsBothWays, ::testing::Bool());

// Found by the differential test (seed 44): a lead backdated a few hours
// before the newest claim must still count the claims in its own window.
// The store used to keep only the window plus an hour behind the newest
// claim; it keeps a day more now (docs/config.md#caps).
TEST_P(CapsBothWays, BackdatedLeadWithinADayCountsItsWindow) {
  Router router = OneRep(MakeRep("capped").MaxInWindow(1, 1), GetParam());
  EXPECT_EQ(Owner(router, "A", "2024-01-15T10:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "B", "2024-01-15T13:00:00Z"), "capped");
  // 2 h 50 min before B, 10 min after A: A's claim is in its hour.
  EXPECT_EQ(Owner(router, "C", "2024-01-15T10:10:00Z"), "inbox");
  // 23 h before the newest claim (B), an hour nobody claimed in.
  EXPECT_EQ(Owner(router, "D", "2024-01-14T14:00:00Z"), "capped");
  EXPECT_EQ(Owner(router, "E", "2024-01-14T14:30:00Z"), "inbox");
  EXPECT_EQ(Owner(router, "F", "2024-01-15T13:59:59Z"), "inbox");
}

TEST(Caps, InvalidCapsAreReportedWithPaths) {
  Result<RuleSet> bad = RuleSet::FromJson(R"({
    "reps": [{"id": "a", "capacity": {"max_per_day": -1, "max_per_week": "5",
              "max_in_window": {"count": 3, "hours": 0}}},
             {"id": "b", "capacity": {"max_in_window": {"count": 3}}}],
    "fallback": {"queue": "q"}})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> paths;
  for (const auto& e : bad.status().errors()) paths.push_back(e.path);
  // Type errors from reading and range errors from compiling, all at once.
  EXPECT_EQ(paths,
            (std::vector<std::string>{"/reps/0/capacity/max_per_week",
                                      "/reps/1/capacity/max_in_window/hours",
                                      "/reps/0/capacity/max_per_day",
                                      "/reps/0/capacity/max_in_window/hours"}));
}

}  // namespace
}  // namespace leadroute
