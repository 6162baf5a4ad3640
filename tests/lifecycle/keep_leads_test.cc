// RouterOptions::keep_leads: whether a decision's record keeps the lead's
// fields, and what needs them (docs/lifecycle.md#keeping-leads).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using testing::MakeLead;
using testing::MakeRep;

const Instant kNow = *ParseInstant("2026-03-02T09:00:00Z");

Router MakeRouter(const RuleSet& rules, bool keep_leads) {
  RouterOptions options;
  options.clock = std::make_shared<testing::FakeClock>(kNow);
  options.keep_leads = keep_leads;
  auto router = Router::Create(rules, options);
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

RuleSet ThreeReps() {
  return testing::MakeRules(testing::OneStepRules(
      {MakeRep("a"), MakeRep("b"), MakeRep("c")}, Step{"round_robin", "{}"}));
}

TEST(KeepLeads, DecisionsAndLoadsDoNotDependOnIt) {
  RuleSet rules = ThreeReps();
  Router kept = MakeRouter(rules, true);
  Router bare = MakeRouter(rules, false);
  for (int i = 0; i < 30; ++i) {
    Lead lead = MakeLead("L" + std::to_string(i), {{"country", "DE"}});
    Result<Assignment> a = kept.Route(lead);
    Result<Assignment> b = bare.Route(lead);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->owner, b->owner) << i;
    if (i % 3 == 0) {
      ASSERT_TRUE(kept.Release(lead.id()).ok());
      ASSERT_TRUE(bare.Release(lead.id()).ok());
    }
  }
  for (const char* rep : {"a", "b", "c"}) {
    EXPECT_EQ(kept.state().Get(rep).open, bare.state().Get(rep).open) << rep;
  }
  // A retry is still recognised: the record holds the decision either way.
  Result<Assignment> again = bare.Route(MakeLead("L1", {}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);
}

TEST(KeepLeads, RecordHoldsTheFieldsOnlyWhenKept) {
  RuleSet rules = ThreeReps();
  Router kept = MakeRouter(rules, true);
  Router bare = MakeRouter(rules, false);
  Lead lead = MakeLead("L1", {{"country", "DE"}, {"email", "kim@acme.io"}});
  ASSERT_TRUE(kept.Route(lead).ok());
  ASSERT_TRUE(bare.Route(lead).ok());

  std::optional<LeadRecord> with = kept.state().FindRecord("L1");
  ASSERT_TRUE(with.has_value());
  ASSERT_NE(with->lead, nullptr);
  EXPECT_EQ(with->lead->ToJson(), lead.ToJson());

  std::optional<LeadRecord> without = bare.state().FindRecord("L1");
  ASSERT_TRUE(without.has_value());
  EXPECT_EQ(without->lead, nullptr);
  EXPECT_EQ(without->decision.owner, with->decision.owner);
}

TEST(KeepLeads, ReassignNeedsTheFieldsTransferDoesNot) {
  Router bare = MakeRouter(ThreeReps(), false);
  Result<Assignment> first = bare.Route(MakeLead("L1", {{"country", "DE"}}));
  ASSERT_TRUE(first.ok());

  Result<Assignment> again = bare.Reassign("L1", ChangeReason::kManual);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(),
            "lead \"L1\" was recorded without its fields and cannot be "
            "routed again");
  // Nothing changed: same owner, same load.
  EXPECT_EQ(bare.Find("L1")->owner, first->owner);
  EXPECT_EQ(bare.state().Get(first->owner.id).open, 1);

  // A transfer names the new owner; it needs no fields.
  const std::string to = first->owner.id == "a" ? "b" : "a";
  Result<Assignment> moved = bare.Transfer("L1", to);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->owner, Owner::Rep(to));
  EXPECT_EQ(bare.state().Get(first->owner.id).open, 0);
  EXPECT_EQ(bare.state().Get(to).open, 1);
}

TEST(KeepLeads, APendingLeadKeepsItsFieldsUntilClaimed) {
  auto rules = RuleSet::FromJson(R"({
    "reps": [{"id": "ana"}, {"id": "ben"}],
    "rules": [{"id": "offer", "mode": "offer", "offer": {"size": 2},
               "steps": [{"strategy": "availability"}]}],
    "fallback": {"queue": "triage"}
  })");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  Router bare = MakeRouter(*rules, false);
  Result<Assignment> pending = bare.Route(MakeLead("L1", {{"country", "DE"}}));
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE(pending->offer.has_value());
  // The claim runs the offering rule again on the lead's fields.
  Result<Assignment> claimed = bare.Claim("L1", "ben");
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(claimed->owner, Owner::Rep("ben"));
  // Decided now: the record keeps no fields.
  std::optional<LeadRecord> record = bare.state().FindRecord("L1");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->lead, nullptr);
}

}  // namespace
}  // namespace leadroute
