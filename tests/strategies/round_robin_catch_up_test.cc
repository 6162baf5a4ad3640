// `round_robin` with `catch_up`: fairness after absence (issue 4). The
// counts asserted here are the ones docs/cookbook/round-robin.md documents.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "leadroute/router.h"
#include "leadroute/rule_set.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Three reps in one pool, available reps only, then round robin with
// `picker` params; days are counted in Tokyo (UTC+9, far from UTC).
std::string Rules(const std::string& picker, const std::string& weights = "") {
  return R"({
    "settings": {"time_zone": "Asia/Tokyo"},
    "teams": [{"id": "t"}],
    "reps": [{"id": "a", "teams": ["t"])" +
         weights + R"(}, {"id": "b", "teams": ["t"]},
             {"id": "c", "teams": ["t"]}],
    "rules": [{"id": "r", "pool": {"teams": ["t"]},
               "steps": [{"strategy": "availability"},
                         {"strategy": "round_robin", )" +
         picker + R"(}]}],
    "fallback": {"queue": "q"}
  })";
}

Router MakeRouterFor(const std::string& json) {
  auto rules = RuleSet::FromJson(json);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return Router::Create(*rules).value();
}

// Routes `n` leads created at `at` (RFC 3339), ids prefix0..; counts owners.
class Day {
 public:
  Day(Router& router, std::string prefix)
      : router_(router), prefix_(std::move(prefix)) {}
  Day& Route(int n, const std::string& at) {
    for (int i = 0; i < n; ++i) {
      Lead lead(prefix_ + std::to_string(next_++));
      lead.Set("created_at", at);
      auto a = router_.Route(lead);
      EXPECT_TRUE(a.ok()) << a.status().ToString();
      if (a.ok()) ++counts_[a->owner.id];
    }
    return *this;
  }
  std::map<std::string, int> counts() const { return counts_; }

 private:
  Router& router_;
  std::string prefix_;
  int next_ = 0;
  std::map<std::string, int> counts_;
};

using Counts = std::map<std::string, int>;

// Day 1 everyone works (10 each). Day 2 c is away for the first 20 leads,
// then back for 20 more. Returns day 2's counts.
Counts AwayForTheMorning(const std::string& picker) {
  Router router = MakeRouterFor(Rules(picker));
  Day day1(router, "d1-");
  EXPECT_EQ(day1.Route(30, "2024-03-04T01:00:00Z").counts(),
            (Counts{{"a", 10}, {"b", 10}, {"c", 10}}));
  Day day2(router, "d2-");
  EXPECT_TRUE(router.SetPresence("c", Presence::kAway).ok());
  day2.Route(20, "2024-03-05T01:00:00Z");
  EXPECT_TRUE(router.SetPresence("c", Presence::kAvailable).ok());
  day2.Route(20, "2024-03-05T05:00:00Z");
  return day2.counts();
}

TEST(RoundRobinCatchUp, OffAReturningRepTakesItsPlaceAndGetsNoExtra) {
  // c is the least recently assigned when back: one lead first, then the
  // plain rotation (c, a, b, c, ...): 7, 7, 6 of the afternoon's 20.
  EXPECT_EQ(AwayForTheMorning(R"("catch_up": false)"),
            (Counts{{"a", 17}, {"b", 16}, {"c", 7}}));
  EXPECT_EQ(AwayForTheMorning(R"("weighted": false)"),
            (Counts{{"a", 17}, {"b", 16}, {"c", 7}}));  // the default
}

TEST(RoundRobinCatchUp, OnAReturningRepGetsLeadsFirstUntilLevel) {
  // c takes the afternoon's first 10 leads (level at 10 each), then the
  // rotation shares the other 10: a 4, b 3, c 3.
  EXPECT_EQ(AwayForTheMorning(R"("catch_up": true)"),
            (Counts{{"a", 14}, {"b", 13}, {"c", 13}}));
}

TEST(RoundRobinCatchUp, TheOrderWhileCatchingUp) {
  Router router = MakeRouterFor(Rules(R"("catch_up": true)"));
  ASSERT_TRUE(router.SetPresence("c", Presence::kAway).ok());
  Day(router, "m-").Route(4, "2024-03-05T01:00:00Z");  // a, b, a, b
  ASSERT_TRUE(router.SetPresence("c", Presence::kAvailable).ok());
  std::vector<std::string> owners;
  for (int i = 0; i < 6; ++i) {
    Lead lead("n-" + std::to_string(i));
    lead.Set("created_at", "2024-03-05T02:00:00Z");
    owners.push_back(router.Route(lead)->owner.id);
  }
  EXPECT_THAT(owners, ElementsAre("c", "c", "a", "b", "c", "a"));
}

TEST(RoundRobinCatchUp, ADayIsTheRuleSetsLocalDay) {
  // 14:59Z is 23:59 on 5 March in Tokyo; 15:00Z is already 6 March, where
  // everyone starts from zero again.
  Router router = MakeRouterFor(Rules(R"("catch_up": true)"));
  ASSERT_TRUE(router.SetPresence("c", Presence::kAway).ok());
  Day(router, "x-").Route(4, "2024-03-05T14:59:00Z");  // a 2, b 2
  ASSERT_TRUE(router.SetPresence("c", Presence::kAvailable).ok());
  // Still 5 March: c is behind and catches up.
  EXPECT_EQ(Day(router, "y-").Route(1, "2024-03-05T14:59:30Z").counts(),
            (Counts{{"c", 1}}));
  // 6 March in Tokyo: levels reset, so the least recently assigned (a)
  // goes first. Counted in UTC it would still be 5 March and c (1 lead
  // against 2) would go first.
  EXPECT_EQ(Day(router, "z-").Route(1, "2024-03-05T15:00:00Z").counts(),
            (Counts{{"a", 1}}));
}

TEST(RoundRobinCatchUp, AMonthPeriodCarriesAcrossDays) {
  // c is away all of 4 March; on 5 March it catches up with the month so
  // far (with "day" it would start level with everyone).
  auto day2_first10 = [](const std::string& period) {
    Router router = MakeRouterFor(
        Rules(R"("catch_up": true, "catch_up_period": ")" + period + "\""));
    EXPECT_TRUE(router.SetPresence("c", Presence::kAway).ok());
    Day(router, "d1-").Route(20, "2024-03-04T01:00:00Z");  // a 10, b 10
    EXPECT_TRUE(router.SetPresence("c", Presence::kAvailable).ok());
    return Day(router, "d2-").Route(10, "2024-03-05T01:00:00Z").counts();
  };
  EXPECT_EQ(day2_first10("month"), (Counts{{"c", 10}}));
  EXPECT_EQ(day2_first10("day"), (Counts{{"a", 3}, {"b", 3}, {"c", 4}}));
}

TEST(RoundRobinCatchUp, WeightsSetTheShares) {
  // Lowest (claims + 1) / weight first: a (weight 2) gets two of three.
  Router router = MakeRouterFor(
      Rules(R"("weighted": true, "catch_up": true)", R"(, "weight": 2)"));
  ASSERT_TRUE(router.SetPresence("c", Presence::kOffline).ok());
  std::vector<std::string> owners;
  for (int i = 0; i < 6; ++i) {
    Lead lead("w-" + std::to_string(i));
    lead.Set("created_at", "2024-03-05T02:00:00Z");
    owners.push_back(router.Route(lead)->owner.id);
  }
  EXPECT_THAT(owners, ElementsAre("a", "b", "a", "a", "b", "a"));
}

TEST(RoundRobinCatchUp, CountsSurviveSavedState) {
  auto afternoon = [](bool save_and_load) {
    Router router = MakeRouterFor(Rules(R"("catch_up": true)"));
    EXPECT_TRUE(router.SetPresence("c", Presence::kAway).ok());
    Day(router, "m-").Route(20, "2024-03-05T01:00:00Z");
    EXPECT_TRUE(router.SetPresence("c", Presence::kAvailable).ok());
    if (save_and_load) {
      fs::path path = fs::temp_directory_path() / "leadroute_catch_up.json";
      EXPECT_TRUE(router.SaveState(path.string()).ok());
      Router fresh = MakeRouterFor(Rules(R"("catch_up": true)"));
      EXPECT_TRUE(fresh.LoadState(path.string()).ok());
      fs::remove(path);
      return Day(fresh, "a-").Route(12, "2024-03-05T05:00:00Z").counts();
    }
    return Day(router, "a-").Route(12, "2024-03-05T05:00:00Z").counts();
  };
  EXPECT_EQ(afternoon(true), afternoon(false));
  EXPECT_EQ(afternoon(true), (Counts{{"a", 1}, {"b", 1}, {"c", 10}}));
}

TEST(RoundRobinCatchUp, BadParametersAreErrorsWithPaths) {
  auto bad = RuleSet::FromJson(
      Rules(R"("catch_up": true, "catch_up_period": "week")"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().ToString(),
              HasSubstr("/rules/0/steps/1/catch_up_period"));
  EXPECT_THAT(bad.status().ToString(),
              HasSubstr("expected one of: day, month"));
  auto pointless = RuleSet::FromJson(Rules(R"("catch_up_period": "day")"));
  ASSERT_FALSE(pointless.ok());
  EXPECT_THAT(pointless.status().ToString(),
              HasSubstr("has no effect without \"catch_up\": true"));
}

}  // namespace
}  // namespace leadroute
