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

namespace leadroute {
namespace {

using testing::MakeLead;
using testing::MakeRep;
using testing::RuleSetBuilder;

// A rule with `id` and `steps` (designated initialisers of Rule trip g++ 12's
// -Wmissing-field-initializers).
Rule MakeRule(std::string id, std::vector<Step> steps, Pool pool = {},
              Condition when = {}, std::string rotation = {}) {
  Rule rule;
  rule.id = std::move(id);
  rule.steps = std::move(steps);
  rule.pool = std::move(pool);
  rule.when = std::move(when);
  rule.rotation = std::move(rotation);
  return rule;
}

Router MakeRouter(const RuleSetBuilder& builder) {
  auto rules = builder.Build();
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  auto router = Router::Create(std::move(rules).value());
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

std::vector<std::string> RouteMany(Router& router, int n,
                                   const std::string& prefix = "L") {
  std::vector<std::string> owners;
  for (int i = 0; i < n; ++i) {
    auto a = router.Route(MakeLead(prefix + std::to_string(i)));
    owners.push_back(a.ok() ? a->owner.id : "error");
  }
  return owners;
}

std::vector<std::string> ErrorPaths(const Status& status) {
  std::vector<std::string> paths;
  for (const ConfigError& e : status.errors()) paths.push_back(e.path);
  return paths;
}

RuleSetBuilder FourReps(Step step, uint64_t settings_seed = 0) {
  RuleSetBuilder builder;
  for (const char* id : {"a", "b", "c", "d"}) builder.Rep(MakeRep(id));
  builder.Rule(MakeRule("r", {std::move(step)}))
      .FallbackQueue("inbox")
      .Seed(settings_seed);
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
  EXPECT_THAT(ErrorPaths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/seed"));
  auto fractional = FourReps(Step{"random", R"({"seed":1.5})"}).Build();
  ASSERT_FALSE(fractional.ok());
  EXPECT_THAT(ErrorPaths(fractional.status()),
              ::testing::Contains("/rules/0/steps/0/seed"));
}

TEST(RandomStrategy, UnknownKeyIsAnError) {
  auto rules = FourReps(Step{"random", R"({"sead":1})"}).Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(ErrorPaths(rules.status()),
              ::testing::Contains("/rules/0/steps/0/sead"));
}

}  // namespace
}  // namespace leadroute
