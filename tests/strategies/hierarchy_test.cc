#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/strategy_harness.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeAccount;
using testing::MakeLead;
using testing::MakeRep;
using testing::Paths;
using testing::StrategyHarness;
using Outcome = StepResult::Outcome;

// acme (ana) <- acme-eu (ben) <- acme-de (cid)
// umbrella (ana) <- umbrella-sub (dan, inactive) <- umbrella-lab (ghost, no
// such rep); globex has no owner; 1001 (eve) has a numeric id.
AccountDirectory Accounts() {
  auto dir = AccountDirectory::Build({
      MakeAccount("acme", {"acme.com"}, "", "ana"),
      MakeAccount("acme-eu", {"eu.acme.com", "acme.eu"}, "acme", "ben"),
      MakeAccount("acme-de", {"acme.de"}, "acme-eu", "cid"),
      MakeAccount("umbrella", {"umbrella.com"}, "", "ana"),
      MakeAccount("umbrella-sub", {"sub.umbrella.com"}, "umbrella", "dan"),
      MakeAccount("umbrella-lab", {"lab.umbrella.com"}, "umbrella-sub",
                  "ghost"),
      MakeAccount("globex", {"globex.com"}, "", ""),
      MakeAccount("1001", {"initech.com"}, "", "eve"),
  });
  EXPECT_TRUE(dir.ok()) << dir.status().ToString();
  return std::move(dir).value();
}

RuleSetConfig Config(Step step) {
  return testing::OneStepConfig({MakeRep("ana"), MakeRep("ben"), MakeRep("cid"),
                                 MakeRep("dan").Inactive(), MakeRep("eve")},
                                std::move(step), "accounts");
}

StrategyHarness Harness(Step step = steps::Hierarchy(),
                        AccountDirectory accounts = Accounts()) {
  return testing::MakeHarness(Config(std::move(step)), std::move(accounts));
}

TEST(HierarchyStrategy, IsAResolver) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.strategy().Name(), "hierarchy");
  EXPECT_EQ(h.strategy().Kind(), StrategyKind::kResolver);
}

TEST(HierarchyStrategy, MatchesByAccountId) {
  StrategyHarness h = Harness();
  auto out = h.Apply(MakeLead("L1", {{"account_id", "acme-de"}}));
  EXPECT_EQ(out.result.outcome, Outcome::kResolved);
  EXPECT_EQ(out.owner(), "cid");
}

TEST(HierarchyStrategy, MatchesByNumericAccountId) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"account_id", 1001}})).owner(), "eve");
}

TEST(HierarchyStrategy, MatchesByDomain) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"domain", "acme.de"}})).owner(), "cid");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"domain", "WWW.ACME.DE"}})).owner(),
            "cid");
  EXPECT_EQ(h.Apply(MakeLead("L3", {{"domain", "shop.acme.eu."}})).owner(),
            "ben");
}

TEST(HierarchyStrategy, MatchesByEmail) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"email", "jane@acme.com"}})).owner(),
            "ana");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"email", "Jane.Doe@Sales.EU.ACME.COM"}}))
                .owner(),
            "ben");
  EXPECT_EQ(h.Apply(MakeLead("L3", {{"email", "bob@WWW.Acme.De"}})).owner(),
            "cid");
}

TEST(HierarchyStrategy, TriesMatchKeysInOrder) {
  StrategyHarness h = Harness();
  // account_id comes first by default.
  EXPECT_EQ(
      h.Apply(MakeLead("L1", {{"email", "x@acme.de"}, {"account_id", "acme"}}))
          .owner(),
      "ana");
  // A key that finds no account gives way to the next one.
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"account_id", "unknown"},
                                    {"domain", "nothing.org"},
                                    {"email", "x@acme.de"}}))
                .owner(),
            "cid");
}

TEST(HierarchyStrategy, NearestVersusUltimate) {
  StrategyHarness nearest = Harness(steps::Hierarchy("nearest"));
  StrategyHarness ultimate = Harness(steps::Hierarchy("ultimate"));
  Lead de = MakeLead("L1", {{"account_id", "acme-de"}});
  Lead eu = MakeLead("L2", {{"account_id", "acme-eu"}});
  Lead top = MakeLead("L3", {{"account_id", "acme"}});
  EXPECT_EQ(nearest.Apply(de).owner(), "cid");
  EXPECT_EQ(nearest.Apply(eu).owner(), "ben");
  EXPECT_EQ(nearest.Apply(top).owner(), "ana");
  EXPECT_EQ(ultimate.Apply(de).owner(), "ana");
  EXPECT_EQ(ultimate.Apply(eu).owner(), "ana");
  EXPECT_EQ(ultimate.Apply(top).owner(), "ana");
}

TEST(HierarchyStrategy, NearestWalksPastOwnersNotInTheCandidates) {
  StrategyHarness h = Harness();
  Lead lead = MakeLead("L1", {{"account_id", "acme-de"}});
  EXPECT_EQ(h.Apply(lead, 0, 0, h.Only({"ana", "ben"})).owner(), "ben");
  EXPECT_EQ(h.Apply(lead, 0, 0, h.Only({"ana", "eve"})).owner(), "ana");
  auto none = h.Apply(lead, 0, 0, h.Only({"eve"}));
  EXPECT_EQ(none.result.outcome, Outcome::kPassed);
  EXPECT_EQ(none.owner(), "");
}

TEST(HierarchyStrategy, UltimateTakesTheTopMostEligibleOwner) {
  StrategyHarness h = Harness(steps::Hierarchy("ultimate"));
  Lead lead = MakeLead("L1", {{"account_id", "acme-de"}});
  EXPECT_EQ(h.Apply(lead, 0, 0, h.Only({"ben", "cid"})).owner(), "ben");
  EXPECT_EQ(h.Apply(lead, 0, 0, h.Only({"cid"})).owner(), "cid");
  EXPECT_EQ(h.Apply(lead, 0, 0, h.Only({"eve"})).result.outcome,
            Outcome::kPassed);
}

TEST(HierarchyStrategy, SkipsInactiveAndUnknownOwners) {
  StrategyHarness h = Harness();
  // umbrella-lab's owner is no rep, umbrella-sub's is inactive.
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"account_id", "umbrella-lab"}})).owner(),
            "ana");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"email", "x@lab.umbrella.com"}})).owner(),
            "ana");
  // Inactive reps are never in a pool, so their accounts defer upwards.
  EXPECT_EQ(h.Apply(MakeLead("L3", {{"account_id", "umbrella-sub"}})).owner(),
            "ana");
}

TEST(HierarchyStrategy, LeavesCandidatesUnchanged) {
  StrategyHarness h = Harness();
  auto resolved = h.Apply(MakeLead("L1", {{"account_id", "acme-de"}}));
  EXPECT_THAT(resolved.ids(), ElementsAre("ana", "ben", "cid", "eve"));
  auto passed = h.Apply(MakeLead("L2", {{"account_id", "globex"}}));
  EXPECT_THAT(passed.ids(), ElementsAre("ana", "ben", "cid", "eve"));
}

TEST(HierarchyStrategy, PassesWithoutAnOwner) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"account_id", "globex"}})).result.outcome,
            Outcome::kPassed);
}

TEST(HierarchyStrategy, PassesWithoutAnAccount) {
  StrategyHarness h = Harness();
  EXPECT_EQ(h.Apply(MakeLead("L1")).result.outcome, Outcome::kPassed);
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"account_id", "nope"},
                                    {"domain", "nope.com"},
                                    {"email", "x@nope.com"}}))
                .result.outcome,
            Outcome::kPassed);
}

TEST(HierarchyStrategy, PassesWithAnEmptyDirectory) {
  StrategyHarness h = Harness(steps::Hierarchy(), AccountDirectory());
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"account_id", "acme"}})).result.outcome,
            Outcome::kPassed);
}

TEST(HierarchyStrategy, IgnoresFieldsOfTheWrongType) {
  StrategyHarness h = Harness();
  std::vector<Lead> leads = {
      MakeLead("L1", {{"account_id", std::vector<std::string>{"acme"}}}),
      MakeLead("L2", {{"account_id", true}}),
      MakeLead("L3", {{"domain", 42}}),
      MakeLead("L4", {{"email", nullptr}}),
      MakeLead("L5", {{"account_id", 2.5}}),
      // An email field must hold an email address.
      MakeLead("L6", {{"email", "acme.com"}}),
  };
  for (const Lead& lead : leads) {
    EXPECT_EQ(h.Apply(lead).result.outcome, Outcome::kPassed) << lead.ToJson();
  }
  // A bad field does not hide a good one.
  EXPECT_EQ(
      h.Apply(MakeLead("L7", {{"account_id", true}, {"email", "x@acme.com"}}))
          .owner(),
      "ana");
}

TEST(HierarchyStrategy, ReadsCustomFieldsAndMatchKeys) {
  StrategyHarness h = Harness(Step{"hierarchy", R"({
      "match": ["email", "account_id"], "account_field": "crm.account",
      "email_field": "contact.email", "domain_field": "website"})"});
  // Email is tried before the account id now.
  EXPECT_EQ(h.Apply(MakeLead("L1", {{"crm.account", "acme"},
                                    {"contact.email", "x@acme.de"}}))
                .owner(),
            "cid");
  EXPECT_EQ(h.Apply(MakeLead("L2", {{"crm.account", "acme-eu"}})).owner(),
            "ben");
  // Standard names are not read any more, and domain is not matched at all.
  EXPECT_EQ(h.Apply(MakeLead("L3", {{"account_id", "acme"},
                                    {"email", "x@acme.com"},
                                    {"website", "acme.com"}}))
                .result.outcome,
            Outcome::kPassed);
}

TEST(HierarchyStrategy, RejectsUnknownWalk) {
  auto h = StrategyHarness::Create(
      Config(Step{"hierarchy", R"({"walk": "top"})"}), Accounts());
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/walk"));
  EXPECT_THAT(h.status().errors()[0].message, HasSubstr("\"ultimate\""));
}

TEST(HierarchyStrategy, RejectsUnknownMatchNames) {
  auto h = StrategyHarness::Create(
      Config(
          Step{"hierarchy",
               R"({"match": ["account_id", "company", "domain", "domain"]})"}),
      Accounts());
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/match/1",
                                             "/rules/0/steps/0/match/3"));
  EXPECT_THAT(h.status().errors()[0].message, HasSubstr("\"company\""));
}

TEST(HierarchyStrategy, RejectsEmptyMatch) {
  auto h = StrategyHarness::Create(
      Config(Step{"hierarchy", R"({"match": []})"}), Accounts());
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/match"));
}

TEST(HierarchyStrategy, RejectsParametersOfTheWrongType) {
  auto h = StrategyHarness::Create(
      Config(Step{"hierarchy",
                  R"({"walk": 1, "match": "domain", "email_field": ""})"}),
      Accounts());
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()),
              ::testing::UnorderedElementsAre("/rules/0/steps/0/walk",
                                              "/rules/0/steps/0/match",
                                              "/rules/0/steps/0/email_field"));
}

TEST(HierarchyStrategy, RejectsUnknownParameters) {
  auto h = StrategyHarness::Create(
      Config(Step{"hierarchy", R"({"wlak": "ultimate"})"}), Accounts());
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(Paths(h.status()), ElementsAre("/rules/0/steps/0/wlak"));
}

}  // namespace
}  // namespace leadroute
