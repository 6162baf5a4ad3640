#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>
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
using testing::MakeRules;
using testing::OneStepRules;
using testing::Owner;
using testing::Paths;
using testing::RouteMany;
using testing::RuleSetBuilder;

RuleSetBuilder ThreeReps(Step step) {
  return OneStepRules({MakeRep("a"), MakeRep("b"), MakeRep("c")},
                      std::move(step));
}

TEST(RoundRobinStrategy, IsAPicker) {
  RuleSet rules = MakeRules(ThreeReps(steps::RoundRobin()));
  const Strategy& strategy = *rules.compiled().rules.at(0).steps.at(0).strategy;
  EXPECT_EQ(strategy.Name(), "round_robin");
  EXPECT_EQ(strategy.Kind(), StrategyKind::kPicker);
  EXPECT_FALSE(strategy.Relaxable());
}

TEST(RoundRobinStrategy, LeastRecentlyAssignedGoesFirst) {
  Router router = MakeRouter(ThreeReps(steps::RoundRobin()));
  EXPECT_THAT(RouteMany(router, 7),
              ElementsAre("a", "b", "c", "a", "b", "c", "a"));
}

TEST(RoundRobinStrategy, RecordsTheRuleAndStrategy) {
  Router router = MakeRouter(ThreeReps(steps::RoundRobin()));
  auto a = router.Route(MakeLead("L1"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->owner, Owner::Rep("a"));
  EXPECT_EQ(a->rule_id, "r");
  EXPECT_EQ(a->decided_by, "round_robin");
  EXPECT_FALSE(a->fallback);
}

TEST(RoundRobinStrategy, TiesGoToRosterOrderNotPoolOrder) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a")).Rep(MakeRep("b")).Rep(MakeRep("c"));
  builder
      .Rule(MakeRule("r", {steps::RoundRobin()}, Pool::Reps({"c", "a", "b"})))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  EXPECT_THAT(RouteMany(router, 4), ElementsAre("a", "b", "c", "a"));
}

TEST(RoundRobinStrategy, OnlyTheRulesCandidatesTakePart) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a")).Rep(MakeRep("b")).Rep(MakeRep("c"));
  builder.Rule(MakeRule("r", {steps::RoundRobin()}, Pool::Reps({"b", "c"})))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  EXPECT_THAT(RouteMany(router, 3), ElementsAre("b", "c", "b"));
}

TEST(RoundRobinStrategy, SkipsRepsAtMaxOpen) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").MaxOpen(1)).Rep(MakeRep("b")).Rep(MakeRep("c"));
  builder.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  EXPECT_THAT(RouteMany(router, 5), ElementsAre("a", "b", "c", "b", "c"));
  EXPECT_EQ(router.state().Get("a").open, 1);
}

TEST(RoundRobinStrategy, ReleaseFreesCapacity) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").MaxOpen(1)).Rep(MakeRep("b").MaxOpen(1));
  builder.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  ASSERT_THAT(RouteMany(router, 2), ElementsAre("a", "b"));
  auto full = router.Route(MakeLead("L2"));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->owner, Owner::Queue("inbox"));
  EXPECT_TRUE(full->fallback);

  ASSERT_TRUE(router.Release("L0").ok());
  EXPECT_EQ(router.state().Get("a").open, 0);
  EXPECT_EQ(Owner(router, MakeLead("L3")), "a");
  EXPECT_EQ(router.state().Get("a").open, 1);
}

TEST(RoundRobinStrategy, EveryoneAtCapacityTriesTheNextRule) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").MaxOpen(1)).Rep(MakeRep("b"));
  builder.Rule(MakeRule("first", {steps::RoundRobin()}, Pool::Reps({"a"})))
      .Rule(MakeRule("second", {steps::RoundRobin()}, Pool::Reps({"b"})))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  auto first = router.Route(MakeLead("L1"));
  auto second = router.Route(MakeLead("L2"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->owner.id, "a");
  EXPECT_EQ(first->rule_id, "first");
  EXPECT_EQ(second->owner.id, "b");
  EXPECT_EQ(second->rule_id, "second");
}

TEST(RoundRobinStrategy, RetryReturnsTheFirstDecisionAndKeepsTheRotation) {
  Router router = MakeRouter(ThreeReps(steps::RoundRobin()));
  EXPECT_EQ(Owner(router, MakeLead("L1")), "a");
  auto again = router.Route(MakeLead("L1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->owner.id, "a");
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(router.state().Get("a").open, 1);
  EXPECT_EQ(Owner(router, MakeLead("L2")), "b");
}

RuleSetBuilder TwoRules(std::string rotation_de, std::string rotation_rest) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a")).Rep(MakeRep("b")).Rep(MakeRep("c"));
  builder
      .Rule(MakeRule("de", {steps::RoundRobin()}, {},
                     Condition::Eq("country", "DE"), std::move(rotation_de)))
      .Rule(MakeRule("rest", {steps::RoundRobin()}, {}, {},
                     std::move(rotation_rest)))
      .FallbackQueue("inbox");
  return builder;
}

std::vector<std::string> Alternate(Router& router, int n) {
  std::vector<std::string> owners;
  for (int i = 0; i < n; ++i) {
    owners.push_back(
        Owner(router, MakeLead("L" + std::to_string(i),
                               {{"country", i % 2 == 0 ? "DE" : "FR"}})));
  }
  return owners;
}

TEST(RoundRobinStrategy, RulesNamingTheSameRotationShareIt) {
  Router router = MakeRouter(TwoRules("sales", "sales"));
  EXPECT_THAT(Alternate(router, 6), ElementsAre("a", "b", "c", "a", "b", "c"));
}

TEST(RoundRobinStrategy, EachRuleHasItsOwnRotationByDefault) {
  Router router = MakeRouter(TwoRules("", ""));
  EXPECT_THAT(Alternate(router, 6), ElementsAre("a", "a", "b", "b", "c", "c"));
}

TEST(RoundRobinStrategy, RotationSurvivesAnUpdateThatReordersAndAddsReps) {
  Router router = MakeRouter(ThreeReps(steps::RoundRobin()));
  ASSERT_THAT(RouteMany(router, 2, "A"), ElementsAre("a", "b"));

  RuleSetBuilder next;
  next.Rep(MakeRep("c")).Rep(MakeRep("b")).Rep(MakeRep("a")).Rep(MakeRep("d"));
  next.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  ASSERT_TRUE(router.Update(MakeRules(next)).ok());
  // c and d were never assigned (c first: roster order), then a and b in
  // the order they were last assigned.
  EXPECT_THAT(RouteMany(router, 6, "B"),
              ElementsAre("c", "d", "a", "b", "c", "d"));
  EXPECT_EQ(router.state().Get("a").open, 2);
}

TEST(RoundRobinStrategy, RotationSurvivesAnUpdateThatRemovesReps) {
  Router router = MakeRouter(ThreeReps(steps::RoundRobin()));
  ASSERT_THAT(RouteMany(router, 4, "A"), ElementsAre("a", "b", "c", "a"));

  RuleSetBuilder next;
  next.Rep(MakeRep("b")).Rep(MakeRep("c"));
  next.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  ASSERT_TRUE(router.Update(MakeRules(next)).ok());
  EXPECT_THAT(RouteMany(router, 3, "B"), ElementsAre("b", "c", "b"));

  // a comes back where it left off: last assigned before b and c.
  ASSERT_TRUE(router.Update(MakeRules(ThreeReps(steps::RoundRobin()))).ok());
  EXPECT_THAT(RouteMany(router, 3, "C"), ElementsAre("a", "c", "b"));
}

RuleSetBuilder Weighted(std::vector<std::pair<std::string, double>> reps) {
  RuleSetBuilder builder;
  for (const auto& [id, weight] : reps) builder.Rep(MakeRep(id).Weight(weight));
  builder.Rule(MakeRule("r", {steps::RoundRobin({.weighted = true})}))
      .FallbackQueue("inbox");
  return builder;
}

TEST(RoundRobinStrategy, WeightedFollowsSmoothWeightedOrder) {
  Router router = MakeRouter(Weighted({{"a", 5}, {"b", 1}, {"c", 1}}));
  EXPECT_THAT(RouteMany(router, 7),
              ElementsAre("a", "a", "b", "a", "c", "a", "a"));
}

TEST(RoundRobinStrategy, WeightedSharesMatchTheWeights) {
  Router router = MakeRouter(Weighted({{"a", 3}, {"b", 1}}));
  std::map<std::string, int> counts;
  for (const auto& owner : RouteMany(router, 400)) ++counts[owner];
  EXPECT_EQ(counts["a"], 300);
  EXPECT_EQ(counts["b"], 100);
}

TEST(RoundRobinStrategy, WeightedSkipsRepsAtMaxOpen) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").Weight(3).MaxOpen(2)).Rep(MakeRep("b"));
  builder.Rule(MakeRule("r", {steps::RoundRobin({.weighted = true})}))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  EXPECT_THAT(RouteMany(router, 5), ElementsAre("a", "a", "b", "b", "b"));
}

TEST(RoundRobinStrategy, ParamsFromJsonText) {
  Router router = MakeRouter(Weighted({{"a", 5}, {"b", 1}, {"c", 1}}));
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").Weight(5))
      .Rep(MakeRep("b").Weight(1))
      .Rep(MakeRep("c").Weight(1));
  builder.Rule(MakeRule("r", {Step{"round_robin", R"({"weighted":true})"}}))
      .FallbackQueue("inbox");
  Router from_text = MakeRouter(builder);
  EXPECT_EQ(RouteMany(router, 14), RouteMany(from_text, 14));
}

TEST(RoundRobinStrategy, UnknownKeyIsAnError) {
  auto rules = ThreeReps(Step{"round_robin", R"({"weigth":true})"}).Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/weigth"));
}

TEST(RoundRobinStrategy, WrongTypeIsAnError) {
  auto rules = ThreeReps(Step{"round_robin", R"({"weighted":"yes"})"}).Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/weighted"));
}

TEST(RoundRobinStrategy, ConcurrentRoutesNeverExceedMaxOpen) {
  RuleSetBuilder builder;
  for (const char* id : {"a", "b", "c", "d"}) {
    builder.Rep(MakeRep(id).MaxOpen(100));
  }
  builder.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  constexpr int kThreads = 8;
  constexpr int kLeads = 500;
  std::mutex mu;
  std::map<std::string, int> counts;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::map<std::string, int> mine;
      start.arrive_and_wait();
      for (int i = 0; i < kLeads; ++i) {
        auto a = router.Route(
            MakeLead("T" + std::to_string(t) + "-" + std::to_string(i)));
        ++mine[a.ok() ? a->owner.id : "error"];
      }
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& [owner, n] : mine) counts[owner] += n;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const char* id : {"a", "b", "c", "d"}) {
    EXPECT_EQ(counts[id], 100) << id;
    EXPECT_EQ(router.state().Get(id).open, 100) << id;
  }
  EXPECT_EQ(counts["inbox"], kThreads * kLeads - 400);
  EXPECT_EQ(counts["error"], 0);
}

}  // namespace
}  // namespace leadroute
