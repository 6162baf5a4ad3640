// SLA due times and escalation with a fake clock: Route stamps `due`,
// Router::Due lists nothing before it and then each step in order (reassign,
// team lead, fallback) as the host runs them, measured from the first
// routing; the list is ordered by due time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "leadroute/router.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::FakeClock;

constexpr char kT0[] = "2026-03-02T09:00:00Z";

// ana and ben share team "emea", whose lead is lea; the rule's SLA is the
// one of the issue: 15 minutes, then reassign, the team lead, the queue.
constexpr char kRules[] = R"({
  "teams": [{"id": "emea", "lead": "lea"}],
  "reps": [{"id": "ana", "teams": ["emea"]}, {"id": "ben", "teams": ["emea"]},
           {"id": "lea"}],
  "rules": [{"id": "emea", "when": {"field": "region", "eq": "EMEA"},
             "pool": {"teams": ["emea"]},
             "steps": [{"strategy": "round_robin"}],
             "sla": {"respond_within": "15m", "escalate": [
               {"after": "15m", "action": "reassign"},
               {"after": "60m", "action": "team_lead"},
               {"after": "2h", "action": "fallback"}]}},
            {"id": "slow", "pool": {"reps": ["lea"]}}],
  "settings": {"sla": {"respond_within": "1d"}},
  "fallback": {"queue": "triage"}
})";

Instant T0() { return *ParseInstant(kT0); }

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>(T0());
  Router router = Make(clock, kRules);

  static Router Make(std::shared_ptr<FakeClock> clock, const char* json) {
    Result<RuleSet> rules = RuleSet::FromJson(json);
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    RouterOptions options;
    options.clock = std::move(clock);
    return std::move(Router::Create(std::move(rules).value(), options)).value();
  }
};

Lead EmeaLead(const std::string& id, bool with_created_at) {
  Lead lead(id);
  lead.Set("region", "EMEA");
  if (with_created_at) lead.Set("created_at", kT0);
  return lead;
}

std::vector<std::string> DueLeads(const std::vector<DueEscalation>& due) {
  std::vector<std::string> ids;
  for (const DueEscalation& d : due) ids.push_back(d.assignment.lead_id);
  return ids;
}

TEST(SlaEscalation, RouteStampsTheDueTimeOfTheDecidingRule) {
  Fixture f;
  Result<Assignment> a = f.router.Route(EmeaLead("L1", false));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->due, T0() + minutes(15));
  Lead other("L2");  // rule "slow": the settings default of one day
  Result<Assignment> b = f.router.Route(other);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->rule_id, "slow");
  EXPECT_EQ(b->due, T0() + hours(24));
  // A retry and Find report the same deadline.
  EXPECT_EQ(f.router.Route(EmeaLead("L1", false))->due, T0() + minutes(15));
  EXPECT_EQ(f.router.Find("L1")->due, T0() + minutes(15));
  EXPECT_THAT(a->ToJson(),
              ::testing::HasSubstr(R"("due":"2026-03-02T09:15:00Z")"));
}

TEST(SlaEscalation, NoSlaMeansNoDueAndNothingListed) {
  auto clock = std::make_shared<FakeClock>(T0());
  Router router = Fixture::Make(clock, R"({
    "reps": [{"id": "ana"}], "rules": [{"id": "r"}],
    "fallback": {"queue": "q"}})");
  Result<Assignment> a = router.Route(Lead("L1"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->due, std::nullopt);
  EXPECT_EQ(a->ToJson().find("due"), std::string::npos);
  EXPECT_TRUE(router.Due(T0() + hours(1000)).empty());
}

// The issue's sequence, with the host acting the moment each step is due.
TEST(SlaEscalation, StepsFireInOrderFromTheFirstRouting) {
  Fixture f;
  ASSERT_EQ(f.router.Route(EmeaLead("L1", true))->owner.id, "ana");

  EXPECT_TRUE(f.router.Due(T0()).empty());
  EXPECT_TRUE(f.router.Due(T0() + minutes(15) - seconds(1)).empty());

  std::vector<DueEscalation> due = f.router.Due(T0() + minutes(15));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kReassign);
  EXPECT_EQ(due[0].level, 0);
  EXPECT_EQ(due[0].due, T0() + minutes(15));
  EXPECT_EQ(due[0].assignment.owner.id, "ana");
  EXPECT_TRUE(due[0].target.id.empty());

  // The host reassigns five minutes late.
  f.clock->Set(T0() + minutes(20));
  Result<Assignment> second = f.router.Reassign("L1", ChangeReason::kSlaMissed);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->owner.id, "ben");
  // ben's deadline is the next step: 60 minutes after the FIRST routing.
  EXPECT_EQ(second->due, T0() + minutes(60));
  EXPECT_TRUE(f.router.Due(T0() + minutes(20)).empty());
  EXPECT_TRUE(f.router.Due(T0() + minutes(59)).empty());

  due = f.router.Due(T0() + minutes(60));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kTeamLead);
  EXPECT_EQ(due[0].level, 1);
  EXPECT_EQ(due[0].target, Owner::Rep("lea"));
  EXPECT_EQ(due[0].assignment.owner.id, "ben");

  f.clock->Set(T0() + minutes(60));
  Result<Assignment> third = f.router.Transfer("L1", due[0].target.id);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->owner.id, "lea");
  EXPECT_EQ(third->due, T0() + hours(2));
  EXPECT_TRUE(f.router.Due(T0() + hours(2) - seconds(1)).empty());

  due = f.router.Due(T0() + hours(2));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kFallback);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_EQ(due[0].target, Owner::Queue("triage"));

  // Every step ran (the queue cannot be a Transfer target, so the host
  // moves it in the store): nothing is due ever again.
  f.clock->Set(T0() + hours(2));
  ASSERT_TRUE(f.router.state()
                  .Transfer("L1", Owner::Queue("triage"), f.clock->Now())
                  .ok());
  EXPECT_TRUE(f.router.Due(T0() + hours(1000)).empty());
  EXPECT_EQ(f.router.Find("L1")->due, std::nullopt);
}

TEST(SlaEscalation, ALateReassignmentPassesStepsThatCameDueMeanwhile) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(EmeaLead("L1", true)).ok());
  // Nobody looked for 90 minutes: the first step is still the one due (the
  // list never jumps ahead on its own).
  std::vector<DueEscalation> due = f.router.Due(T0() + minutes(90));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kReassign);
  EXPECT_EQ(due[0].due, T0() + minutes(15));
  // Reassigned at 90 minutes, the new owner got it after the team-lead step
  // was due as well: the next step is the fallback.
  f.clock->Set(T0() + minutes(90));
  ASSERT_TRUE(f.router.Reassign("L1", ChangeReason::kSlaMissed).ok());
  due = f.router.Due(T0() + minutes(90));
  EXPECT_TRUE(due.empty());
  due = f.router.Due(T0() + hours(2));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kFallback);
  EXPECT_EQ(due[0].level, 2);
}

TEST(SlaEscalation, AStepToTheCurrentOwnerIsSkipped) {
  auto clock = std::make_shared<FakeClock>(T0());
  Router router = Fixture::Make(clock, R"({
    "reps": [{"id": "ana"}, {"id": "lea"}],
    "rules": [{"id": "r", "pool": {"reps": ["ana"]}, "sla": {
      "respond_within": "15m", "escalate": [
        {"after": "15m", "action": "transfer", "to": "lea"},
        {"after": "1h", "action": "fallback"}]}}],
    "fallback": {"queue": "triage"}})");
  Lead lead("L1");
  lead.Set("created_at", kT0);
  ASSERT_EQ(router.Route(lead)->owner.id, "ana");
  // An administrator gave the lead to lea early: the transfer to lea has
  // nothing left to do, so the fallback is the next step.
  clock->Set(T0() + minutes(5));
  ASSERT_TRUE(router.Transfer("L1", "lea").ok());
  EXPECT_TRUE(router.Due(T0() + minutes(59)).empty());
  std::vector<DueEscalation> due = router.Due(T0() + hours(1));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next.action, EscalationAction::kFallback);
  EXPECT_EQ(due[0].level, 1);
  EXPECT_EQ(due[0].assignment.due, T0() + hours(1));
}

TEST(SlaEscalation, DueIsOrderedByDueTime) {
  Fixture f;
  // L3 routed first, L1 last; "slow" (one day) never comes due here.
  f.clock->Set(T0());
  ASSERT_TRUE(f.router.Route(EmeaLead("L3", false)).ok());
  f.clock->Set(T0() + minutes(1));
  ASSERT_TRUE(f.router.Route(EmeaLead("L2", false)).ok());
  ASSERT_TRUE(f.router.Route(EmeaLead("L0", false)).ok());
  f.clock->Set(T0() + minutes(2));
  ASSERT_TRUE(f.router.Route(EmeaLead("L1", false)).ok());
  ASSERT_TRUE(f.router.Route(Lead("S1")).ok());

  EXPECT_THAT(DueLeads(f.router.Due(T0() + minutes(16))),
              ::testing::ElementsAre("L3", "L0", "L2"));
  std::vector<DueEscalation> due = f.router.Due(T0() + minutes(30));
  EXPECT_THAT(DueLeads(due), ::testing::ElementsAre("L3", "L0", "L2", "L1"));
  EXPECT_EQ(due[3].due, T0() + minutes(17));
  // A released lead is not open any more.
  ASSERT_TRUE(f.router.Release("L0").ok());
  EXPECT_THAT(DueLeads(f.router.Due(T0() + minutes(30))),
              ::testing::ElementsAre("L3", "L2", "L1"));
}

// Without `created_at` the record keeps no instant before the first owner
// change; an SLA reassignment stands in for "first routing + first step".
TEST(SlaEscalation, WithoutCreatedAtAnSlaReassignmentAnchorsTheSteps) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(EmeaLead("L1", false)).ok());
  ASSERT_TRUE(f.router.Route(EmeaLead("L2", false)).ok());
  f.clock->Set(T0() + minutes(15));  // on time for L1
  ASSERT_TRUE(f.router.Reassign("L1", ChangeReason::kSlaMissed).ok());
  f.clock->Set(T0() + minutes(20));  // five minutes late for L2
  ASSERT_TRUE(f.router.Reassign("L2", ChangeReason::kSlaMissed).ok());

  EXPECT_TRUE(f.router.Due(T0() + minutes(59)).empty());
  EXPECT_THAT(DueLeads(f.router.Due(T0() + minutes(60))),
              ::testing::ElementsAre("L1"));
  std::vector<DueEscalation> due = f.router.Due(T0() + minutes(65));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[1].assignment.lead_id, "L2");
  EXPECT_EQ(due[1].next.action, EscalationAction::kTeamLead);
  EXPECT_EQ(due[1].due, T0() + minutes(65));  // later, never earlier
}

}  // namespace
}  // namespace leadroute
