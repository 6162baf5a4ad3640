// Shared pieces of the rapidcheck properties (tests/properties/*_test.cc):
// a fixed default seed, and generators of small valid rulesets and lead
// streams built through the public builders (leadroute/testing.h, steps.h).
//
// Every generator draws with `*rc::gen::...` inside a property, so a failing
// case shrinks to fewer reps, rules, steps and operations.
#ifndef LEADROUTE_TESTS_PROPERTIES_GENERATORS_H_
#define LEADROUTE_TESTS_PROPERTIES_GENERATORS_H_

#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"

namespace leadroute::properties {

// rapidcheck reads RC_PARAMS once, on the first property; without a seed it
// draws a random one. A fixed default makes every run of the suite check
// the same cases; `RC_PARAMS="seed=N"` (or "reproduce=..." as printed by a
// failure) in the environment overrides it.
inline const bool kDefaultRcParams = [] {
  setenv("RC_PARAMS", "seed=20240310", /*overwrite=*/0);
  return true;
}();

inline const std::vector<std::string> kCountries = {"DE", "FR", "US"};
inline const std::string kFallbackQueue = "triage";

enum class Picker { kImplicit, kRoundRobin, kWeighted, kLeastLoaded, kRandom };

// What the properties need to know about a generated rule to check a
// decision against it.
struct RuleSpec {
  std::string id;
  std::optional<int> min_score;  // `when`: score >= min_score
  Pool pool;                     // empty: every active rep
  std::optional<steps::IfMissing> territory;
  bool availability = false;
  Picker picker = Picker::kImplicit;
  OnEmpty on_empty = OnEmpty::kNextRule;
};

struct Scenario {
  RuleSetConfig config;
  std::vector<RuleSpec> rules;
};

inline const Rep* FindRep(const RuleSetConfig& config, const std::string& id) {
  for (const auto& rep : config.reps) {
    if (rep.id == id) return &rep;
  }
  return nullptr;
}

inline bool Contains(const std::vector<std::string>& list,
                     const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

inline bool InPool(const Pool& pool, const Rep& rep) {
  if (pool.teams.empty() && pool.reps.empty()) return true;
  if (Contains(pool.reps, rep.id)) return true;
  for (const auto& team : pool.teams) {
    if (Contains(rep.teams, team)) return true;
  }
  return false;
}

// 1-3 teams, 1-8 reps (random teams, activity, max_open, territories,
// integer weights), 1-4 rules (optional score condition, a pool of everyone,
// a team or some reps, optional territory and availability filters, any
// picker, next_rule or fallback when empty), fallback queue "triage".
inline Scenario GenScenario() {
  Scenario s;
  testing::RuleSetBuilder builder;
  const int teams = *rc::gen::inRange(1, 4);
  const int reps = *rc::gen::inRange(1, 9);
  for (int r = 0; r < reps; ++r) {
    testing::RepBuilder rep =
        testing::MakeRep("r" + std::to_string(r),
                         {"t" + std::to_string(*rc::gen::inRange(0, teams))});
    if (*rc::gen::weightedElement<bool>({{1, true}, {5, false}}))
      rep.Inactive();
    if (*rc::gen::arbitrary<bool>()) rep.MaxOpen(*rc::gen::inRange(0, 4));
    std::vector<std::string> territories;
    for (const auto& c : kCountries) {
      if (*rc::gen::arbitrary<bool>()) territories.push_back(c);
    }
    if (*rc::gen::weightedElement<bool>({{1, true}, {4, false}})) {
      territories.push_back("*");
    }
    rep.Territories(territories).Weight(*rc::gen::inRange(1, 6));
    builder.Rep(rep);
  }
  for (int t = 0; t < teams; ++t) builder.Team("t" + std::to_string(t));
  const int rules = *rc::gen::inRange(1, 5);
  for (int i = 0; i < rules; ++i) {
    RuleSpec spec;
    Rule rule;
    spec.id = rule.id = "rule" + std::to_string(i);
    if (*rc::gen::weightedElement<bool>({{1, true}, {2, false}})) {
      spec.min_score = *rc::gen::inRange(0, 101);
      rule.when = Condition::Gte("score", *spec.min_score);
    }
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        break;
      case 1:
        spec.pool =
            Pool::Team("t" + std::to_string(*rc::gen::inRange(0, teams)));
        break;
      default: {
        std::vector<std::string> ids;
        for (int r = 0; r < reps; ++r) {
          if (*rc::gen::arbitrary<bool>())
            ids.push_back("r" + std::to_string(r));
        }
        if (ids.empty()) ids.push_back("r0");
        spec.pool = Pool::Reps(ids);
        break;
      }
    }
    rule.pool = spec.pool;
    if (*rc::gen::arbitrary<bool>()) {
      spec.territory = *rc::gen::element(steps::IfMissing::kNoMatch,
                                         steps::IfMissing::kKeep);
      rule.steps.push_back(steps::Territory(*spec.territory));
    }
    if (*rc::gen::arbitrary<bool>()) {
      spec.availability = true;
      rule.steps.push_back(steps::Availability());
    }
    spec.picker = *rc::gen::element(Picker::kImplicit, Picker::kRoundRobin,
                                    Picker::kWeighted, Picker::kLeastLoaded,
                                    Picker::kRandom);
    switch (spec.picker) {
      case Picker::kImplicit:
        break;
      case Picker::kRoundRobin:
        rule.steps.push_back(steps::RoundRobin());
        break;
      case Picker::kWeighted:
        rule.steps.push_back(steps::RoundRobin({.weighted = true}));
        break;
      case Picker::kLeastLoaded:
        rule.steps.push_back(steps::LeastLoaded());
        break;
      case Picker::kRandom:
        rule.steps.push_back(steps::Random());
        break;
    }
    spec.on_empty = *rc::gen::element(OnEmpty::kNextRule, OnEmpty::kFallback);
    rule.on_empty = spec.on_empty;
    builder.Rule(rule);
    s.rules.push_back(spec);
  }
  builder.FallbackQueue(kFallbackQueue)
      .Seed(*rc::gen::inRange<uint64_t>(0, 1000));
  s.config = builder.config();
  return s;
}

// One step of a lead stream.
struct Op {
  enum class Kind { kRoute, kRetry, kRelease, kPresence };
  Kind kind = Kind::kRoute;
  int pick = 0;  // the lead (kRetry, kRelease) or rep (kPresence), modulo
  std::optional<std::string> country;
  int score = 0;
  Presence presence = Presence::kAvailable;
};

// 0-80 operations, mostly new leads.
inline std::vector<Op> GenOps() {
  const int n = *rc::gen::inRange(0, 81);
  std::vector<Op> ops(static_cast<size_t>(n));
  for (Op& op : ops) {
    op.kind = *rc::gen::weightedElement<Op::Kind>({{6, Op::Kind::kRoute},
                                                   {1, Op::Kind::kRetry},
                                                   {2, Op::Kind::kRelease},
                                                   {1, Op::Kind::kPresence}});
    op.pick = *rc::gen::inRange(0, 1000);
    if (*rc::gen::weightedElement<bool>({{4, true}, {1, false}})) {
      op.country = *rc::gen::elementOf(kCountries);
    }
    op.score = *rc::gen::inRange(0, 101);
    op.presence = *rc::gen::element(Presence::kAvailable, Presence::kAway,
                                    Presence::kOffline);
  }
  return ops;
}

inline Lead MakeOpLead(const Op& op, int n) {
  Lead lead("L" + std::to_string(n));
  if (op.country) lead.Set("country", *op.country);
  lead.Set("score", op.score);
  return lead;
}

// The routing instant of every generated lead (no `created_at`).
inline std::shared_ptr<testing::FakeClock> FixedClock() {
  return std::make_shared<testing::FakeClock>(
      *ParseInstant("2024-03-11T10:00:00Z"));
}

// A router for scenario `s` at the fixed instant.
inline Router MakeRouter(const Scenario& s) {
  auto rules = RuleSet::Compile(s.config);
  RC_ASSERT(rules.ok());
  RouterOptions options;
  options.clock = FixedClock();
  auto router = Router::Create(std::move(rules).value(), std::move(options));
  RC_ASSERT(router.ok());
  return std::move(router).value();
}

}  // namespace leadroute::properties

#endif  // LEADROUTE_TESTS_PROPERTIES_GENERATORS_H_
