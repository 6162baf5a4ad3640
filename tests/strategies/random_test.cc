#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
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

using testing::MakeRep;
using testing::MakeRouter;
using testing::MakeRule;
using testing::OneStepRules;
using testing::Paths;
using testing::RouteMany;
using testing::RuleSetBuilder;

RuleSetBuilder FourReps(Step step, uint64_t settings_seed = 0) {
  RuleSetBuilder builder =
      OneStepRules({MakeRep("a"), MakeRep("b"), MakeRep("c"), MakeRep("d")},
                   std::move(step));
  builder.Seed(settings_seed);
  return builder;
}

std::vector<std::string> Sequence(const RuleSetBuilder& builder, int n = 200) {
  Router router = MakeRouter(builder);
  return RouteMany(router, n);
}

TEST(RandomStrategy, IsAPicker) {
  auto rules = FourReps(steps::Random()).Build();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const Strategy& strategy =
      *rules->compiled().rules.at(0).steps.at(0).strategy;
  EXPECT_EQ(strategy.Name(), "random");
  EXPECT_EQ(strategy.Kind(), StrategyKind::kPicker);
}

TEST(RandomStrategy, SameSeedGivesTheSameSequence) {
  auto first = Sequence(FourReps(steps::Random(42)));
  EXPECT_EQ(first, Sequence(FourReps(steps::Random(42))));
  // Every rep shows up: it is not stuck on one.
  std::map<std::string, int> counts;
  for (const auto& owner : first) ++counts[owner];
  EXPECT_EQ(counts.size(), 4u);
}

TEST(RandomStrategy, DifferentSeedsGiveDifferentSequences) {
  EXPECT_NE(Sequence(FourReps(steps::Random(1))),
            Sequence(FourReps(steps::Random(2))));
  EXPECT_NE(Sequence(FourReps(steps::Random(0))),
            Sequence(FourReps(steps::Random(1))));
}

TEST(RandomStrategy, SettingsSeedIsUsedWithoutAStepSeed) {
  EXPECT_EQ(Sequence(FourReps(steps::Random(), 7)),
            Sequence(FourReps(steps::Random(), 7)));
  EXPECT_NE(Sequence(FourReps(steps::Random(), 7)),
            Sequence(FourReps(steps::Random(), 8)));
  // A step seed overrides settings.seed.
  EXPECT_EQ(Sequence(FourReps(steps::Random(5), 7)),
            Sequence(FourReps(steps::Random(5), 8)));
}

TEST(RandomStrategy, SeedFromJsonTextMatchesTheBuilder) {
  EXPECT_EQ(Sequence(FourReps(Step{"random", R"({"seed":42})"})),
            Sequence(FourReps(steps::Random(42))));
}

TEST(RandomStrategy, WeightsAreHonoured) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").Weight(3)).Rep(MakeRep("b").Weight(1));
  builder.Rule(MakeRule("r", {steps::Random(2024)})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  constexpr int kLeads = 40000;
  int a = 0;
  for (const auto& owner : RouteMany(router, kLeads)) a += owner == "a";
  double share = static_cast<double>(a) / kLeads;
  EXPECT_GT(share, 0.73);
  EXPECT_LT(share, 0.77);
}

TEST(RandomStrategy, OnlyCandidatesUnderCapacityArePicked) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").MaxOpen(3)).Rep(MakeRep("b")).Rep(MakeRep("c"));
  builder.Rule(MakeRule("r", {steps::Random(9)}, Pool::Reps({"a", "b"})))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  std::map<std::string, int> counts;
  for (const auto& owner : RouteMany(router, 100)) ++counts[owner];
  EXPECT_EQ(counts["a"], 3);
  EXPECT_EQ(counts["b"], 97);
  EXPECT_EQ(counts["c"], 0);
}

TEST(RandomStrategy, EveryoneAtCapacityFallsBack) {
  RuleSetBuilder builder;
  builder.Rep(MakeRep("a").MaxOpen(1)).Rep(MakeRep("b").MaxOpen(1));
  builder.Rule(MakeRule("r", {steps::Random(3)})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);
  auto owners = RouteMany(router, 3);
  EXPECT_THAT(owners, ::testing::UnorderedElementsAre("a", "b", "inbox"));
  EXPECT_EQ(owners[2], "inbox");
}

TEST(RandomStrategy, WrongTypeIsAnError) {
  auto rules = FourReps(Step{"random", R"({"seed":"x"})"}).Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/seed"));
  auto fractional = FourReps(Step{"random", R"({"seed":1.5})"}).Build();
  ASSERT_FALSE(fractional.ok());
  EXPECT_THAT(Paths(fractional.status()),
              ::testing::Contains("/rules/0/steps/0/seed"));
}

TEST(RandomStrategy, UnknownKeyIsAnError) {
  auto rules = FourReps(Step{"random", R"({"sead":1})"}).Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(Paths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/sead"));
}

}  // namespace
}  // namespace leadroute
