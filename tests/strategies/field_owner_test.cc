#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/strategy_harness.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeLead;
using testing::MakeRep;
using testing::Paths;
using testing::StrategyHarness;
using Outcome = StepResult::Outcome;

RuleSetConfig Config(Step step) {
  return testing::OneStepConfig(
      {MakeRep("ana").Email("Ana.Lopez@Example.com"),
       MakeRep("ben").Email("ben@example.com"),
       MakeRep("dan").Email("dan@example.com").Inactive(), MakeRep("42")},
      std::move(step), "owner");
}

StrategyHarness Harness(Step step = steps::FieldOwner("owner")) {
  return testing::MakeHarness(Config(std::move(step)));
}

TEST(FieldOwnerStrategy, IsAResolver) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.strategy().Name(), "field_owner");
  EXPECT_EQ(h.strategy().Kind(), StrategyKind::kResolver);
}

TEST(FieldOwnerStrategy, ResolvesByRepId) {
  StrategyHarness h = Harness();
  auto out = h.Apply(MakeLead("L1", {{"owner", "ben"}}));
  EXPECT_EQ(out.result.outcome, Outcome::kResolved);
  EXPECT_EQ(out.owner(), "ben");
  EXPECT_THAT(out.ids(), ElementsAre("ana", "ben", "42"));
}

TEST(FieldOwnerStrategy, RepIdsAreExact) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"owner", "BEN"}})).result.outcome,
            Outcome::kPassed);
}

TEST(FieldOwnerStrategy, ResolvesByEmailCaselessly) {
  StrategyHarness h = Harness();
  EXPECT_EQ(
      h.Apply(MakeLead("L1", {{"owner", "ana.lopez@example.com"}})).owner(),
      "ana");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"owner", " BEN@EXAMPLE.COM "}})).owner(),
            "ben");
}

TEST(FieldOwnerStrategy, ResolvesNumericIds) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"owner", 42}})).owner(), "42");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"owner", "42"}})).owner(), "42");
}

TEST(FieldOwnerStrategy, PassesWhenTheRepIsNotACandidate) {
  StrategyHarness h = Harness();
  Lead lead = MakeLead("L1", {{"owner", "ben"}});
  auto out = h.Apply(lead, 0, 0, h.Only({"ana"}));
  EXPECT_EQ(out.result.outcome, Outcome::kPassed);
  EXPECT_EQ(out.owner(), "");
  EXPECT_THAT(out.ids(), ElementsAre("ana"));
}

TEST(FieldOwnerStrategy, PassesForInactiveReps) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"owner", "dan"}})).result.outcome,
            Outcome::kPassed);
  EXPECT_EQ(
      h.Apply(MakeLead("L2", {{"owner", "dan@example.com"}})).result.outcome,
      Outcome::kPassed);
}

TEST(FieldOwnerStrategy, PassesForUnknownOrMissingOwners) {
  StrategyHarness h = Harness();
  std::vector<Lead> leads = {
      MakeLead("L1"),
      MakeLead("L2", {{"owner", "zoe"}}),
      MakeLead("L3", {{"owner", "zoe@example.com"}}),
      MakeLead("L4", {{"owner", ""}}),
      MakeLead("L5", {{"owner", nullptr}}),
      MakeLead("L6", {{"owner", true}}),
      MakeLead("L7", {{"owner", std::vector<std::string>{"ana"}}}),
      MakeLead("L8", {{"owner", 4.2}}),
      MakeLead("L9", {{"other", "ana"}}),
  };
  for (const Lead& lead : leads) {
    EXPECT_EQ(h.Apply(lead).result.outcome, Outcome::kPassed) << lead.ToJson();
  }
}

TEST(FieldOwnerStrategy, ReadsAnyField) {
  StrategyHarness h = Harness(steps::FieldOwner("crm.owner_email"));
  EXPECT_EQ(
      h.Apply(MakeLead("L1", {{"crm.owner_email", "ben@example.com"}})).owner(),
      "ben");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"owner", "ben"}})).result.outcome,
            Outcome::kPassed);
}

TEST(FieldOwnerStrategy, RequiresField) {
  auto h = StrategyHarness::Create(Config(Step{"field_owner", "{}"}));
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/field"));
  EXPECT_THAT(h.status().errors()[0].message, HasSubstr("\"field\""));
}

TEST(FieldOwnerStrategy, RejectsBadField) {
  for (const char* params : {R"({"field": 3})", R"({"field": ""})"}) {
    auto h = StrategyHarness::Create(Config(Step{"field_owner", params}));
    ASSERT_FALSE(h.ok()) << params;
    EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/field"))
        << params;
  }
}

TEST(FieldOwnerStrategy, RejectsUnknownParameters) {
  auto h = StrategyHarness::Create(
      Config(Step{"field_owner", R"({"field": "owner", "feild": "x"})"}));
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/feild"));
}

}  // namespace
}  // namespace leadroute
