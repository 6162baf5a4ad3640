#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "leadroute/router.h"
#include "leadroute/rule_set.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using testing::MakeLead;
using testing::MakeRep;
using testing::MakeRouter;
using testing::MakeRule;
using testing::OneStepRules;
using testing::Owner;
using testing::Paths;
using testing::RouteMany;
using testing::RuleSetBuilder;

TEST(LeastLoadedStrategy, IsAPicker) {
  auto rules = OneStepRules({MakeRep("a")}, steps::LeastLoaded()).Build();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const Strategy& strategy =
      *rules->compiled().rules.at(0).steps.at(0).strategy;
  EXPECT_EQ(strategy.Name(), "least_loaded");
  EXPECT_EQ(strategy.Kind(), StrategyKind::kPicker);
}

TEST(LeastLoadedStrategy, PicksTheRepWithFewestOpenLeads) {
  Router router = MakeRouter(OneStepRules(
      {MakeRep("a"), MakeRep("b"), MakeRep("c")}, steps::LeastLoaded()));
  ASSERT_THAT(RouteMany(router, 3), ElementsAre("a", "b", "c"));
  ASSERT_TRUE(router.Release("L1").ok());  // b back to 0
  EXPECT_EQ(Owner(router, "X1"), "b");
  ASSERT_TRUE(router.Release("L0").ok());
  ASSERT_TRUE(router.Release("L2").ok());
  EXPECT_EQ(Owner(router, "X2"), "a");  // a and c at 0: a assigned earlier
  EXPECT_EQ(Owner(router, "X3"), "c");
  EXPECT_EQ(Owner(router, "X4"), "b");  // all at 1: b least recent
}

TEST(LeastLoadedStrategy, TiesGoToTheLeastRecentlyAssigned) {
  Router router = MakeRouter(OneStepRules(
      {MakeRep("a"), MakeRep("b"), MakeRep("c")}, steps::LeastLoaded()));
  ASSERT_THAT(RouteMany(router, 3), ElementsAre("a", "b", "c"));
  ASSERT_TRUE(router.Release("L0").ok());
  ASSERT_EQ(Owner(router, "X1"), "a");  // a now most recent
  ASSERT_TRUE(router.Release("L1").ok());
  ASSERT_TRUE(router.Release("X1").ok());
  // a and b both at 0; b was assigned longer ago, despite a's lower index.
  EXPECT_EQ(Owner(router, "X2"), "b");
  EXPECT_EQ(Owner(router, "X3"), "a");
}

TEST(LeastLoadedStrategy, LoadIncludesLeadsFromOtherRules) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a")).Rep(MakeRep("b"));
  builder
      .Rule(MakeRule("vip", {steps::RoundRobin()}, Pool::Reps({"a"}),
                     Condition::Eq("source", "vip")))
      .Rule(MakeRule("rest", {steps::LeastLoaded()}))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  for (int i = 0; i < 3; ++i) {
    auto a =
        router.Route(MakeLead("V" + std::to_string(i), {{"source", "vip"}}));
    ASSERT_TRUE(a.ok());
    ASSERT_EQ(a->owner.id, "a");
  }
  // b catches up to a's three before a gets another.
  EXPECT_THAT(RouteMany(router, 5), ElementsAre("b", "b", "b", "a", "b"));
}

TEST(LeastLoadedStrategy, SkipsRepsAtMaxOpen) {
  Router router = MakeRouter(
      OneStepRules({MakeRep("a").MaxOpen(1), MakeRep("b").MaxOpen(2)},
                   steps::LeastLoaded()));
  EXPECT_THAT(RouteMany(router, 4), ElementsAre("a", "b", "b", "inbox"));
}

TEST(LeastLoadedStrategy, RelativeRanksByOpenOverMaxOpen) {
  Router router = MakeRouter(
      OneStepRules({MakeRep("a").MaxOpen(10), MakeRep("b").MaxOpen(2)},
                   steps::LeastLoaded(true)));
  // a fills to 5/10 while b sits at 1/2; at 0.5 each the least recently
  // assigned (b) goes, and b is then full.
  EXPECT_THAT(RouteMany(router, 9),
              ElementsAre("a", "b", "a", "a", "a", "a", "b", "a", "a"));
}

TEST(LeastLoadedStrategy, RelativeRanksUncappedRepsByOpenCount) {
  Router router = MakeRouter(OneStepRules(
      {MakeRep("a").MaxOpen(4), MakeRep("b")}, steps::LeastLoaded(true)));
  EXPECT_THAT(RouteMany(router, 7),
              ElementsAre("a", "b", "a", "a", "a", "b", "b"));
}

TEST(LeastLoadedStrategy, PlainIgnoresMaxOpenForRanking) {
  Router router = MakeRouter(
      OneStepRules({MakeRep("a").MaxOpen(10), MakeRep("b").MaxOpen(2)},
                   steps::LeastLoaded()));
  EXPECT_THAT(RouteMany(router, 6), ElementsAre("a", "b", "a", "b", "a", "a"));
}

TEST(LeastLoadedStrategy, ParamsFromJsonText) {
  Router router = MakeRouter(
      OneStepRules({MakeRep("a").MaxOpen(10), MakeRep("b").MaxOpen(2)},
                   Step{"least_loaded", R"({"relative":true})"}));
  EXPECT_THAT(RouteMany(router, 7),
              ElementsAre("a", "b", "a", "a", "a", "a", "b"));
}

TEST(LeastLoadedStrategy, UnknownKeyIsAnError) {
  auto rules =
      OneStepRules({MakeRep("a")}, Step{"least_loaded", R"({"relativ":true})"})
          .Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/relativ"));
}

TEST(LeastLoadedStrategy, WrongTypeIsAnError) {
  auto rules =
      OneStepRules({MakeRep("a")}, Step{"least_loaded", R"({"relative":1})"})
          .Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/relative"));
}

}  // namespace
}  // namespace leadroute
