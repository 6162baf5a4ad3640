// Router traces (leadroute/trace.h): a reason code for every eliminated rep
// and each built-in strategy, rule-level reasons, relax and fallback, and
// the JSON form. Each test routes with a FakeClock so times are fixed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "router_impl.h"
#include "trip.h"

namespace leadroute {
namespace {

using ::leadroute::testing::FakeClock;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Monday 2026-11-23, 10:00 UTC.
constexpr const char* kMonday = "2026-11-23T10:00:00Z";

Instant At(const char* text) { return *ParseInstant(text); }

// A rules document: `reps` and `rules` are JSON array bodies.
std::string Doc(const std::string& reps, const std::string& rules) {
  return R"({"reps": [)" + reps + R"(], "rules": [)" + rules +
         R"(], "fallback": {"queue": "triage"}})";
}

RuleSet Compile(const std::string& json, const LoadOptions& options = {}) {
  Result<RuleSet> rules = RuleSet::FromJson(json, options);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return std::move(rules).value();
}

struct Routed {
  std::shared_ptr<FakeClock> clock;
  Router router;
};

Routed Make(const std::string& json, AccountDirectory accounts = {},
            const LoadOptions& load = {}) {
  auto clock = std::make_shared<FakeClock>(At(kMonday));
  RouterOptions options;
  options.clock = clock;
  options.accounts = std::move(accounts);
  Result<Router> router = Router::Create(Compile(json, load), options);
  EXPECT_TRUE(router.ok());
  return {clock, std::move(router).value()};
}

Lead MakeLead(const std::string& json) {
  Result<Lead> lead = Lead::FromJson(json);
  EXPECT_TRUE(lead.ok()) << json;
  return std::move(lead).value();
}

Trace Explain(const Router& router, const std::string& lead_json) {
  Result<Trace> trace = router.Explain(MakeLead(lead_json));
  EXPECT_TRUE(trace.ok());
  return std::move(trace).value();
}

const TraceRule& RuleOf(const Trace& trace, const std::string& id) {
  for (const TraceRule& rule : trace.rules) {
    if (rule.id == id) return rule;
  }
  ADD_FAILURE() << "rule " << id << " not in the trace";
  static const TraceRule kNone;
  return kNone;
}

// The first event of `rule` for `strategy` with `action`.
const TraceStep& StepOf(const TraceRule& rule, const std::string& strategy,
                        const std::string& action = "apply") {
  for (const TraceStep& step : rule.steps) {
    if (step.strategy == strategy && step.action == action) return step;
  }
  ADD_FAILURE() << action << " " << strategy << " not in rule " << rule.id;
  static const TraceStep kNone;
  return kNone;
}

std::map<std::string, std::string> Codes(const TraceStep& step) {
  std::map<std::string, std::string> codes;
  for (const TraceElimination& e : step.eliminated) codes[e.rep] = e.code;
  return codes;
}

// One rule "r" over every rep with `steps`, and the trace of `lead`.
Trace OneRule(const std::string& reps, const std::string& steps,
              const std::string& lead) {
  Routed s = Make(Doc(reps, R"({"id": "r", "steps": [)" + steps + "]}"));
  return Explain(s.router, lead);
}

TEST(Trace, PoolReasonsNotInPoolInactiveAndExcluded) {
  RuleSet rules = Compile(
      Doc(R"({"id": "ana", "teams": ["a"]}, {"id": "bob", "teams": ["a"]},
             {"id": "cat", "teams": ["a"], "active": false},
             {"id": "dan", "teams": ["b"]})",
          R"({"id": "r", "pool": {"teams": ["a"]}})")
          .insert(1, R"("teams": [{"id": "a"}, {"id": "b"}], )"));
  internal::Snapshot snapshot{rules.shared(), {}, 1};
  std::unique_ptr<StateStore> state = NewInMemoryStateStore();
  ASSERT_TRUE(state->Attach(rules.roster()).ok());
  Trace trace;
  std::vector<std::string> excluded = {"bob"};
  internal::TripOptions options;
  options.excluded = excluded;
  options.trace = &trace;
  Assignment decision = internal::RunTrip(
      snapshot, *state, MakeLead(R"({"id": "L1"})"), At(kMonday), options);
  EXPECT_EQ(decision.owner.id, "ana");
  const TraceStep& pool = StepOf(RuleOf(trace, "r"), "pool", "pool");
  EXPECT_EQ(pool.path, "/rules/0/pool");
  EXPECT_EQ(pool.before, 4u);
  EXPECT_EQ(pool.after, 1u);
  EXPECT_THAT(Codes(pool), UnorderedElementsAre(Pair("bob", "excluded"),
                                                Pair("cat", "inactive"),
                                                Pair("dan", "not_in_pool")));
}

TEST(Trace, AttributeFiltersReportTheirCodes) {
  const std::string reps = R"(
    {"id": "de", "territories": ["DE"], "industries": ["retail"],
     "products": ["crm"], "languages": ["de"], "tier": "senior",
     "attributes": {"skills": {"technical": 4}}},
    {"id": "fr", "territories": ["FR"], "industries": ["retail"],
     "products": ["crm"], "languages": ["de"], "tier": "senior",
     "attributes": {"skills": {"technical": 4}}},
    {"id": "oil", "territories": ["DE"], "industries": ["energy"],
     "products": ["crm"], "languages": ["de"], "tier": "senior",
     "attributes": {"skills": {"technical": 4}}},
    {"id": "cpq", "territories": ["DE"], "industries": ["retail"],
     "products": ["cpq"], "languages": ["de"], "tier": "senior",
     "attributes": {"skills": {"technical": 4}}},
    {"id": "en", "territories": ["DE"], "industries": ["retail"],
     "products": ["crm"], "languages": ["en"], "tier": "senior",
     "attributes": {"skills": {"technical": 4}}},
    {"id": "novice", "territories": ["DE"], "industries": ["retail"],
     "products": ["crm"], "languages": ["de"], "tier": "senior",
     "attributes": {"skills": {"technical": 1}}},
    {"id": "junior", "territories": ["DE"], "industries": ["retail"],
     "products": ["crm"], "languages": ["de"], "tier": "junior",
     "attributes": {"skills": {"technical": 4}}})";
  Trace trace = OneRule(reps,
                        R"({"strategy": "territory"}, {"strategy": "industry"},
         {"strategy": "product"}, {"strategy": "language"},
         {"strategy": "match", "attribute": "skills.technical", "op": "gte",
          "value": 3},
         {"strategy": "score", "bands": [{"max": 50, "tiers": ["junior"]},
                                         {"min": 50, "tiers": ["senior"]}]})",
                        R"({"id": "L1", "country": "DE", "industry": "retail",
          "products": ["crm"], "language": "de", "score": 80})");
  const TraceRule& rule = RuleOf(trace, "r");
  EXPECT_THAT(Codes(StepOf(rule, "territory")),
              ElementsAre(Pair("fr", "territory")));
  EXPECT_THAT(Codes(StepOf(rule, "industry")),
              ElementsAre(Pair("oil", "industry")));
  EXPECT_THAT(Codes(StepOf(rule, "product")),
              ElementsAre(Pair("cpq", "product")));
  EXPECT_THAT(Codes(StepOf(rule, "language")),
              ElementsAre(Pair("en", "language")));
  EXPECT_THAT(Codes(StepOf(rule, "match")),
              ElementsAre(Pair("novice", "match")));
  const TraceStep& score = StepOf(rule, "score");
  EXPECT_THAT(Codes(score), ElementsAre(Pair("junior", "tier")));
  EXPECT_EQ(score.path, "/rules/0/steps/5");
  EXPECT_EQ(score.kind, "filter");
  EXPECT_EQ(score.before, 2u);
  EXPECT_EQ(score.after, 1u);
  EXPECT_EQ(trace.owner.id, "de");
  // No picker: the implicit round robin, at the rule's own path.
  const TraceStep& pick = StepOf(rule, "round_robin");
  EXPECT_EQ(pick.path, "/rules/0");
  EXPECT_EQ(pick.outcome, "claimed");
  ASSERT_TRUE(pick.pick.has_value());
  EXPECT_EQ(pick.pick->rep, "de");
  EXPECT_EQ(pick.pick->runner_up, "");
}

TEST(Trace, AvailabilityPresenceAndCapacityCodes) {
  Routed s =
      Make(Doc(R"({"id": "ok"}, {"id": "off"}, {"id": "away"},
                        {"id": "full", "capacity": {"max_open": 0}})",
               R"({"id": "r", "steps": [{"strategy": "availability"}]})"));
  ASSERT_TRUE(s.router.SetPresence("off", Presence::kOffline).ok());
  ASSERT_TRUE(s.router.SetPresence("away", Presence::kAway).ok());
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  EXPECT_THAT(Codes(StepOf(RuleOf(trace, "r"), "availability")),
              UnorderedElementsAre(Pair("off", "offline"), Pair("away", "away"),
                                   Pair("full", "at_capacity")));
  EXPECT_EQ(trace.owner.id, "ok");
}

TEST(Trace, AvailabilityScheduleCodes) {
  // Monday 10:00 UTC: `late` works from 14:00, `hol` has a holiday today,
  // `ooo` is out of office (an instant range), `trip` has a dated absence.
  Routed s = Make(Doc(
      R"({"id": "ok", "schedule": {"weekly": {"mon": [["09:00", "17:00"]]}}},
         {"id": "late", "schedule": {"weekly": {"mon": [["14:00", "22:00"]]}}},
         {"id": "hol", "schedule": {"holidays": ["2026-11-23"]}},
         {"id": "ooo", "schedule": {"out_of_office": [
            {"from": "2026-11-23T08:00:00Z", "to": "2026-11-23T12:00:00Z"}]}},
         {"id": "trip", "time_zone": "Europe/Berlin", "schedule": {
            "out_of_office": [{"from": "2026-11-20", "to": "2026-11-24"}]}})",
      R"({"id": "r", "steps": [{"strategy": "availability"}]})"));
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  EXPECT_THAT(Codes(StepOf(RuleOf(trace, "r"), "availability")),
              UnorderedElementsAre(
                  Pair("late", "off_schedule"), Pair("hol", "holiday"),
                  Pair("ooo", "out_of_office"), Pair("trip", "out_of_office")));
}

TEST(Trace, HolidayOfABlockCrossingMidnight) {
  // At 01:00 on Tuesday the Monday night shift is still running, and Monday
  // is a holiday: the holiday is why.
  Routed s =
      Make(Doc(R"({"id": "night", "schedule": {
                          "weekly": {"mon": [["22:00", "06:00"]]},
                          "holidays": ["2026-11-23"]}}, {"id": "ok"})",
               R"({"id": "r", "steps": [{"strategy": "availability"}]})"));
  s.clock->Set(At("2026-11-24T01:00:00Z"));
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  EXPECT_THAT(Codes(StepOf(RuleOf(trace, "r"), "availability")),
              ElementsAre(Pair("night", "holiday")));
}

struct CapCase {
  const char* capacity;
  const char* code;
};

class TimeCapTrace : public ::testing::TestWithParam<CapCase> {};

TEST_P(TimeCapTrace, NamesTheCapReached) {
  Routed s = Make(Doc(std::string(R"({"id": "cap", "capacity": )") +
                          GetParam().capacity + R"(}, {"id": "other"})",
                      R"({"id": "r", "steps": [{"strategy": "availability"},
                                              {"strategy": "round_robin"}]})"));
  Result<Assignment> first = s.router.Route(MakeLead(R"({"id": "L1"})"));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->owner.id, "cap");
  s.clock->Advance(std::chrono::minutes(5));
  Trace trace = Explain(s.router, R"({"id": "L2"})");
  EXPECT_THAT(Codes(StepOf(RuleOf(trace, "r"), "availability")),
              ElementsAre(Pair("cap", GetParam().code)));
  EXPECT_EQ(trace.owner.id, "other");
}

INSTANTIATE_TEST_SUITE_P(
    Caps, TimeCapTrace,
    ::testing::Values(CapCase{R"({"max_per_day": 1})", "daily_cap"},
                      CapCase{R"({"max_per_week": 1})", "weekly_cap"},
                      CapCase{R"({"max_per_month": 1})", "monthly_cap"},
                      CapCase{R"({"max_in_window": {"count": 1, "hours": 2}})",
                              "window_cap"}));

TEST(Trace, PickerAtCapacityWithoutAvailabilityStep) {
  // Claims skip reps at max_open even with no availability step: the
  // picker's event says who and why.
  Routed s =
      Make(Doc(R"({"id": "ana", "capacity": {"max_open": 0}})",
               R"({"id": "r", "steps": [{"strategy": "least_loaded"}]})"));
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  const TraceStep& picker = StepOf(RuleOf(trace, "r"), "least_loaded");
  EXPECT_EQ(picker.outcome, "nobody");
  EXPECT_THAT(Codes(picker), ElementsAre(Pair("ana", "at_capacity")));
  EXPECT_EQ(RuleOf(trace, "r").outcome, "next_rule");
  EXPECT_TRUE(trace.fallback);
  EXPECT_EQ(trace.fallback_reason, "no_rule_yielded");
}

TEST(Trace, PickersNameTheirOrderAndRunnerUp) {
  Routed s =
      Make(Doc(R"({"id": "ana"}, {"id": "bob"}, {"id": "cat"})",
               R"({"id": "r", "steps": [{"strategy": "round_robin"}]})"));
  Result<Assignment> routed = s.router.Route(MakeLead(R"({"id": "L1"})"),
                                             RouteOptions{.explain = true});
  ASSERT_TRUE(routed.ok());
  ASSERT_NE(routed->trace, nullptr);
  const TraceStep& rr = StepOf(RuleOf(*routed->trace, "r"), "round_robin");
  ASSERT_TRUE(rr.pick.has_value());
  EXPECT_EQ(rr.pick->order, "least_recent");
  EXPECT_EQ(rr.pick->rep, "ana");
  EXPECT_EQ(rr.pick->runner_up, "bob");
  EXPECT_EQ(rr.path, "/rules/0/steps/0");
  EXPECT_EQ(rr.kind, "picker");
  // The next route: bob, then cat.
  Trace next = Explain(s.router, R"({"id": "L2"})");
  const TraceStep& rr2 = StepOf(RuleOf(next, "r"), "round_robin");
  EXPECT_EQ(rr2.pick->rep, "bob");
  EXPECT_EQ(rr2.pick->runner_up, "cat");

  Routed loaded =
      Make(Doc(R"({"id": "ana"}, {"id": "bob"})",
               R"({"id": "r", "steps": [{"strategy": "least_loaded"}]},
             {"id": "w", "steps": [{"strategy": "random", "seed": 3}]})"));
  Trace least = Explain(loaded.router, R"({"id": "L1"})");
  const TraceStep& ll = StepOf(RuleOf(least, "r"), "least_loaded");
  EXPECT_EQ(ll.pick->order, "least_loaded");
  EXPECT_EQ(ll.pick->rep, "ana");
  EXPECT_EQ(ll.pick->runner_up, "bob");
}

TEST(Trace, RandomPickerRunnerUpIsAnotherRep) {
  Routed s = Make(Doc(R"({"id": "ana"}, {"id": "bob"}, {"id": "cat"})",
                      R"({"id": "r", "steps": [{"strategy": "random"}]})"));
  for (int i = 0; i < 10; ++i) {
    Result<Assignment> routed =
        s.router.Route(MakeLead(R"({"id": "L)" + std::to_string(i) + R"("})"),
                       RouteOptions{.explain = true});
    ASSERT_TRUE(routed.ok());
    const TraceStep& step = StepOf(RuleOf(*routed->trace, "r"), "random");
    EXPECT_EQ(step.pick->order, "random");
    EXPECT_EQ(step.pick->rep, routed->owner.id);
    EXPECT_FALSE(step.pick->runner_up.empty());
    EXPECT_NE(step.pick->runner_up, step.pick->rep);
  }
}

TEST(Trace, FieldOwnerResolvesOrSaysWhyNot) {
  Routed s = Make(Doc(R"({"id": "ana"}, {"id": "bob"})",
                      R"({"id": "r", "steps": [
                          {"strategy": "availability"},
                          {"strategy": "field_owner", "field": "owner"},
                          {"strategy": "round_robin"}]})"));
  Trace named = Explain(s.router, R"({"id": "L1", "owner": "bob"})");
  const TraceStep& owner = StepOf(RuleOf(named, "r"), "field_owner");
  EXPECT_EQ(owner.kind, "resolver");
  EXPECT_EQ(owner.resolved, "bob");
  EXPECT_EQ(owner.outcome, "claimed");
  ASSERT_TRUE(owner.pick.has_value());
  EXPECT_EQ(owner.pick->order, "preference");
  EXPECT_EQ(named.owner.id, "bob");
  EXPECT_EQ(named.decided_by, "field_owner");

  // bob offline: availability removes him, so field_owner finds no
  // candidate to name and the round robin decides.
  ASSERT_TRUE(s.router.SetPresence("bob", Presence::kOffline).ok());
  Trace offline = Explain(s.router, R"({"id": "L1", "owner": "bob"})");
  EXPECT_EQ(StepOf(RuleOf(offline, "r"), "field_owner").outcome, "passed");
  EXPECT_EQ(offline.owner.id, "ana");

  // Without an availability step the named owner is a candidate, but the
  // claim finds him at max_open: the note says so.
  Routed full = Make(Doc(R"({"id": "ana"},
                            {"id": "bob", "capacity": {"max_open": 0}})",
                         R"({"id": "r", "steps": [
                              {"strategy": "field_owner", "field": "owner"},
                              {"strategy": "round_robin"}]})"));
  Trace capped = Explain(full.router, R"({"id": "L1", "owner": "bob"})");
  const TraceStep& named_full = StepOf(RuleOf(capped, "r"), "field_owner");
  EXPECT_EQ(named_full.outcome, "resolved");
  EXPECT_EQ(named_full.resolved, "bob");
  EXPECT_EQ(named_full.note, "at_capacity");
  EXPECT_EQ(capped.owner.id, "ana");

  Trace nobody = Explain(s.router, R"({"id": "L1"})");
  EXPECT_EQ(StepOf(RuleOf(nobody, "r"), "field_owner").outcome, "passed");
}

TEST(Trace, HierarchyResolvesTheAccountOwner) {
  Result<AccountDirectory> accounts = AccountDirectory::FromJson(
      R"({"accounts": [{"id": "acme", "owner": "bob"}]})");
  ASSERT_TRUE(accounts.ok());
  Routed s = Make(Doc(R"({"id": "ana"}, {"id": "bob"})",
                      R"({"id": "r", "steps": [{"strategy": "hierarchy"}]})"),
                  std::move(accounts).value());
  Trace trace = Explain(s.router, R"({"id": "L1", "account_id": "acme"})");
  const TraceStep& step = StepOf(RuleOf(trace, "r"), "hierarchy");
  EXPECT_EQ(step.resolved, "bob");
  EXPECT_EQ(step.outcome, "claimed");
  EXPECT_EQ(trace.owner.id, "bob");
}

TEST(Trace, RuleWindowAndFirstFailingClause) {
  Routed s = Make(Doc(R"({"id": "ana"})",
                      R"({"id": "weekend", "active": {"days": ["sat", "sun"]}},
         {"id": "hot", "when": {"all": [{"field": "country", "eq": "DE"},
                                        {"field": "score", "gte": 80}]}},
         {"id": "sized", "when": {"any": [
            {"field": "employees", "exists": true},
            {"field": "industry", "in": ["retail", "energy"]}]}},
         {"id": "direct", "when": {"not": {"field": "source",
                                           "eq": "partner"}}},
         {"id": "rest"})"));
  Trace trace = Explain(s.router, R"({"id": "L1", "country": "DE",
      "score": 42, "industry": "software", "source": "partner"})");
  ASSERT_EQ(trace.rules.size(), 5u);
  EXPECT_EQ(trace.rules[0].status, "outside_window");
  EXPECT_EQ(trace.rules[1].status, "condition_false");
  EXPECT_EQ(trace.rules[1].failed_clause, "score >= 80 (was 42)");
  EXPECT_EQ(trace.rules[1].path, "/rules/1");
  EXPECT_EQ(trace.rules[2].failed_clause,
            R"(none of [employees exists (was missing), industry in )"
            R"(["retail", "energy"] (was "software")])");
  EXPECT_EQ(trace.rules[3].failed_clause,
            R"(not source == "partner" (was "partner"))");
  EXPECT_EQ(trace.rules[4].status, "matched");
  EXPECT_EQ(trace.rules[4].outcome, "owner");
  EXPECT_THAT(trace.rules[0].steps, IsEmpty());
  EXPECT_EQ(trace.rule_id, "rest");
}

TEST(Trace, RelaxNamesTheUndoneStep) {
  Routed s = Make(Doc(R"({"id": "de", "territories": ["DE"],
                         "languages": ["de"]},
                        {"id": "fr", "territories": ["FR"],
                         "languages": ["fr"]})",
                      R"({"id": "r", "on_empty": "relax", "steps": [
                          {"strategy": "territory"},
                          {"strategy": "language"},
                          {"strategy": "round_robin"}]})"));
  Trace trace =
      Explain(s.router, R"({"id": "L1", "country": "DE", "language": "fr"})");
  const TraceRule& rule = RuleOf(trace, "r");
  const TraceStep& relax = StepOf(rule, "language", "relax");
  EXPECT_EQ(relax.path, "/rules/0/steps/1");
  EXPECT_EQ(relax.outcome, "relaxed");
  EXPECT_EQ(relax.after, 1u);
  EXPECT_EQ(trace.owner.id, "de");
  // The order of events: pool, territory, language (empties), relax, pick.
  std::vector<std::string> events;
  for (const TraceStep& step : rule.steps) {
    events.push_back(step.action + ":" + step.strategy);
  }
  EXPECT_THAT(events,
              ElementsAre("pool:pool", "apply:territory", "apply:language",
                          "relax:language", "apply:round_robin"));
}

TEST(Trace, FallbackReasons) {
  Routed on_empty = Make(Doc(R"({"id": "fr", "territories": ["FR"]})",
                             R"({"id": "r", "on_empty": "fallback",
              "steps": [{"strategy": "territory"}]},
             {"id": "never"})"));
  Trace a = Explain(on_empty.router, R"({"id": "L1", "country": "DE"})");
  EXPECT_TRUE(a.fallback);
  EXPECT_EQ(a.fallback_reason, "on_empty");
  EXPECT_EQ(a.rule_id, "r");
  EXPECT_EQ(a.owner, Owner::Queue("triage"));
  EXPECT_EQ(a.rules.size(), 1u);
  EXPECT_EQ(a.rules[0].outcome, "fallback");

  Routed when_nobody =
      Make(Doc(R"({"id": "ana"})",
               R"({"id": "r", "steps": [{"strategy": "availability",
                                    "when_nobody": "fallback"}]})"));
  ASSERT_TRUE(when_nobody.router.SetPresence("ana", Presence::kOffline).ok());
  Trace b = Explain(when_nobody.router, R"({"id": "L1"})");
  EXPECT_EQ(b.fallback_reason, "when_nobody");

  Routed none = Make(Doc(R"({"id": "ana"})",
                         R"({"id": "r", "when": {"field": "x", "eq": 1}})"));
  Trace c = Explain(none.router, R"({"id": "L1"})");
  EXPECT_EQ(c.fallback_reason, "no_rule_yielded");
  EXPECT_EQ(c.rule_id, "");
  EXPECT_EQ(c.rules[0].failed_clause, "x == 1 (was missing)");
}

TEST(Trace, HostFilterReportsItsStepName) {
  StrategyRegistry registry = StrategyRegistry::WithBuiltins();
  ASSERT_TRUE(
      registry
          .Register("vip_only",
                    [](StrategyBuildContext&) {
                      return Result<std::unique_ptr<Strategy>>(MakeStrategy(
                          "vip_only", StrategyKind::kFilter,
                          [](const LeadView&, CandidateSet& c, StepContext&) {
                            c.reset(0);
                            return StepResult::Narrowed();
                          }));
                    })
          .ok());
  LoadOptions load;
  load.strategies = &registry;
  Routed s = Make(Doc(R"({"id": "ana"}, {"id": "bob"})",
                      R"({"id": "r", "steps": [{"strategy": "vip_only"}]})"),
                  {}, load);
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  EXPECT_THAT(Codes(StepOf(RuleOf(trace, "r"), "vip_only")),
              ElementsAre(Pair("ana", "vip_only")));
}

// A rule set exercising every picker, caps and relaxing, for the
// no-state-change tests.
std::string Busy() {
  return Doc(
      R"({"id": "a1", "teams": [], "territories": ["DE"], "capacity": {"max_per_day": 30}},
         {"id": "a2", "territories": ["DE", "FR"], "weight": 2},
         {"id": "a3", "territories": ["FR"], "capacity": {"max_open": 40}},
         {"id": "a4", "territories": ["US"], "capacity": {"max_in_window": {"count": 5, "hours": 1}}},
         {"id": "a5", "territories": ["US"]})",
      R"({"id": "hot", "when": {"field": "score", "gte": 70}, "on_empty": "relax",
          "steps": [{"strategy": "territory"}, {"strategy": "availability"},
                    {"strategy": "least_loaded"}]},
         {"id": "mid", "when": {"field": "score", "gte": 30},
          "steps": [{"strategy": "availability"}, {"strategy": "random"}]},
         {"id": "low", "steps": [{"strategy": "territory", "if_missing": "keep"},
                                 {"strategy": "round_robin", "weighted": true}]})");
}

Lead BusyLead(int i) {
  static const char* kCountries[] = {"DE", "FR", "US", "IT"};
  Lead lead("L" + std::to_string(i));
  lead.Set("score", (i * 37) % 100);
  lead.Set("country", std::string(kCountries[i % 4]));
  return lead;
}

TEST(Explain, ChangesNoState) {
  Routed plain = Make(Busy());
  Routed explained = Make(Busy());
  for (int i = 0; i < 200; ++i) {
    plain.clock->Advance(std::chrono::minutes(3));
    explained.clock->Advance(std::chrono::minutes(3));
    Lead lead = BusyLead(i);
    // Before routing, explain this lead and the next one twice.
    ASSERT_TRUE(explained.router.Explain(lead).ok());
    ASSERT_TRUE(explained.router.Explain(BusyLead(i + 1)).ok());
    ASSERT_TRUE(explained.router.Explain(BusyLead(i + 1)).ok());
    Result<Assignment> a = plain.router.Route(lead);
    Result<Assignment> b = explained.router.Route(lead);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->owner, b->owner) << lead.id();
    EXPECT_EQ(a->rule_id, b->rule_id) << lead.id();
    // Explaining a decided lead leaves its decision alone.
    ASSERT_TRUE(explained.router.Explain(lead).ok());
    if (i % 7 == 0) {
      ASSERT_TRUE(plain.router.Release(lead.id()).ok());
      ASSERT_TRUE(explained.router.Release(lead.id()).ok());
    }
  }
  for (const char* rep : {"a1", "a2", "a3", "a4", "a5"}) {
    EXPECT_EQ(plain.router.state().Get(rep).open,
              explained.router.state().Get(rep).open)
        << rep;
  }
  EXPECT_FALSE(explained.router.Find("L200").has_value());
}

TEST(Explain, RouteWithExplainDecidesAsWithout) {
  Routed plain = Make(Busy());
  Routed explained = Make(Busy());
  for (int i = 0; i < 200; ++i) {
    plain.clock->Advance(std::chrono::minutes(3));
    explained.clock->Advance(std::chrono::minutes(3));
    Result<Assignment> a = plain.router.Route(BusyLead(i));
    Result<Assignment> b =
        explained.router.Route(BusyLead(i), RouteOptions{.explain = true});
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->trace, nullptr);
    ASSERT_NE(b->trace, nullptr);
    EXPECT_EQ(a->owner, b->owner) << i;
    EXPECT_EQ(b->trace->owner, b->owner);
    EXPECT_EQ(b->trace->rule_id, b->rule_id);
    EXPECT_EQ(b->trace->decided_by, b->decided_by);
    EXPECT_FALSE(b->trace->dry_run);
    EXPECT_FALSE(b->trace->existing.has_value());
  }
}

TEST(Explain, AlreadyDecidedLeadNamesItsDecision) {
  Routed s =
      Make(Doc(R"({"id": "ana"}, {"id": "bob"})",
               R"({"id": "r", "steps": [{"strategy": "round_robin"}]})"));
  ASSERT_TRUE(s.router.Route(MakeLead(R"({"id": "L1"})")).ok());
  Trace trace = Explain(s.router, R"({"id": "L1"})");
  ASSERT_TRUE(trace.existing.has_value());
  EXPECT_EQ(trace.existing->owner.id, "ana");
  EXPECT_TRUE(trace.dry_run);
  // The rules now would pick bob (ana was assigned last).
  EXPECT_EQ(trace.owner.id, "bob");
  EXPECT_EQ(s.router.state().Get("bob").open, 0);

  // Route with explain on a decided lead: the first decision, repeated.
  Result<Assignment> again = s.router.Route(MakeLead(R"({"id": "L1"})"),
                                            RouteOptions{.explain = true});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->owner.id, "ana");
  ASSERT_NE(again->trace, nullptr);
  ASSERT_TRUE(again->trace->existing.has_value());
  EXPECT_EQ(again->trace->existing->owner.id, "ana");
  EXPECT_EQ(s.router.state().Get("ana").open, 1);
}

TEST(Explain, RejectsALeadWithoutId) {
  Routed s = Make(Doc(R"({"id": "ana"})", R"({"id": "r"})"));
  EXPECT_EQ(s.router.Explain(Lead("")).status().code(),
            StatusCode::kInvalidArgument);
}

std::vector<std::string> Keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

TEST(TraceJson, HasTheDocumentedShape) {
  Routed s = Make(Doc(R"({"id": "ana", "territories": ["DE"]},
                        {"id": "bob", "territories": ["FR"]})",
                      R"({"id": "no", "when": {"field": "score", "gt": 90}},
                        {"id": "r", "steps": [{"strategy": "territory"},
                                              {"strategy": "round_robin"}]})"));
  Trace trace = Explain(s.router, R"({"id": "L1", "country": "DE",
                                      "score": 5})");
  const std::string text = trace.ToJson();
  EXPECT_EQ(text.find('\n'), std::string::npos);
  // ordered_json keeps the order of the text, so Keys() sees it.
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
  EXPECT_THAT(Keys(json),
              ElementsAre("lead_id", "at", "generation", "config_hash",
                          "dry_run", "rules", "decision", "existing"));
  EXPECT_EQ(json["lead_id"], "L1");
  EXPECT_EQ(json["at"], "2026-11-23T10:00:00Z");
  EXPECT_EQ(json["dry_run"], true);
  EXPECT_TRUE(json["existing"].is_null());
  ASSERT_EQ(json["rules"].size(), 2u);
  EXPECT_THAT(
      Keys(json["rules"][1]),
      ElementsAre("id", "path", "status", "failed_clause", "steps", "outcome"));
  EXPECT_EQ(json["rules"][0]["failed_clause"], "score > 90 (was 5)");
  EXPECT_TRUE(json["rules"][0]["outcome"].is_null());
  const auto& territory = json["rules"][1]["steps"][1];
  EXPECT_THAT(Keys(territory),
              ElementsAre("action", "index", "strategy", "kind", "path",
                          "before", "after", "outcome", "eliminated",
                          "resolved", "note", "pick"));
  EXPECT_EQ(territory["eliminated"][0]["rep"], "bob");
  EXPECT_EQ(territory["eliminated"][0]["code"], "territory");
  const auto& pick = json["rules"][1]["steps"][2]["pick"];
  EXPECT_EQ(pick["rep"], "ana");
  EXPECT_EQ(pick["order"], "least_recent");
  EXPECT_TRUE(pick["runner_up"].is_null());
  EXPECT_THAT(Keys(json["decision"]),
              ElementsAre("owner", "owner_kind", "rule", "decided_by",
                          "fallback", "fallback_reason"));
  EXPECT_EQ(json["decision"]["owner"], "ana");
  // Stable: the same trace renders the same text.
  EXPECT_EQ(Explain(s.router, R"({"id": "L1", "country": "DE",
                                  "score": 5})")
                .ToJson(),
            text);
}

}  // namespace
}  // namespace leadroute
