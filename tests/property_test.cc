// Properties over random valid configs and 50,000 random leads, checked
// against a small independent model of the rule chain: every lead gets
// exactly one owner; the owner is never a rep the chain excluded, never
// inactive, never at capacity, unless the decision says fallback; and the
// same inputs give the same decisions.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

using testing::Rng;

const std::vector<std::string> kCountries = {"DE", "FR", "US", "GB", "JP"};
const std::vector<std::string> kIndustries = {"saas", "retail", "bank",
                                              "health"};

// The model's view of one rule.
struct ModelRule {
  enum class When { kAlways, kCountryEq, kScoreGte, kIndustryIn, kNotCountry };
  When when = When::kAlways;
  std::string country;
  int score = 0;
  std::vector<std::string> industries;
  std::set<std::string> pool;  // empty: everyone
  enum class Filter { kTerritory, kIndustry, kAvailability };
  std::vector<std::pair<Filter, bool>> filters;  // (filter, keep if missing)
  bool fallback_on_empty = false;
};

struct Model {
  RuleSetConfig config;
  std::vector<ModelRule> rules;
};

Model RandomModel(Rng& rng) {
  Model m;
  int teams = 1 + rng.Below(4);
  for (int t = 0; t < teams; ++t) {
    m.config.teams.push_back({"t" + std::to_string(t), ""});
  }
  int reps = 3 + rng.Below(23);
  for (int r = 0; r < reps; ++r) {
    Rep rep;
    rep.id = "r" + std::to_string(r);
    rep.teams.push_back(rng.Pick(m.config.teams).id);
    if (rng.Chance(30)) rep.teams.push_back(rng.Pick(m.config.teams).id);
    std::sort(rep.teams.begin(), rep.teams.end());
    rep.teams.erase(std::unique(rep.teams.begin(), rep.teams.end()),
                    rep.teams.end());
    rep.active = !rng.Chance(10);
    rep.weight = 1 + rng.Below(4);
    if (rng.Chance(50)) rep.capacity.max_open = 1 + rng.Below(5);
    rep.territories = rng.Chance(10) ? std::vector<std::string>{"*"}
                                     : rng.Sample(kCountries, 35);
    rep.industries = rng.Chance(10) ? std::vector<std::string>{"*"}
                                    : rng.Sample(kIndustries, 40);
    m.config.reps.push_back(rep);
  }
  int rules = 1 + rng.Below(6);
  const std::vector<std::string> pickers = {"", "round_robin", "weighted",
                                            "least_loaded", "random"};
  for (int i = 0; i < rules; ++i) {
    ModelRule mr;
    Rule rule;
    rule.id = "rule" + std::to_string(i);
    switch (rng.Below(5)) {
      case 0:
        break;
      case 1:
        mr.when = ModelRule::When::kCountryEq;
        mr.country = rng.Pick(kCountries);
        rule.when = Condition::Eq("country", mr.country);
        break;
      case 2:
        mr.when = ModelRule::When::kScoreGte;
        mr.score = rng.Below(100);
        rule.when = Condition::Gte("score", mr.score);
        break;
      case 3: {
        mr.when = ModelRule::When::kIndustryIn;
        mr.industries = {rng.Pick(kIndustries), rng.Pick(kIndustries)};
        rule.when =
            Condition::In("industry", {mr.industries[0], mr.industries[1]});
        break;
      }
      default:
        mr.when = ModelRule::When::kNotCountry;
        mr.country = rng.Pick(kCountries);
        rule.when = Condition::Not(Condition::Eq("country", mr.country));
        break;
    }
    switch (rng.Below(3)) {
      case 0:
        break;
      case 1: {
        std::string team = rng.Pick(m.config.teams).id;
        rule.pool = Pool::Team(team);
        for (const auto& rep : m.config.reps) {
          if (std::count(rep.teams.begin(), rep.teams.end(), team)) {
            mr.pool.insert(rep.id);
          }
        }
        // A team nobody is in still needs a non-empty marker: use a rep
        // list instead so the model's "empty = everyone" stays true.
        if (mr.pool.empty()) {
          rule.pool = Pool::Reps({m.config.reps[0].id});
          mr.pool.insert(m.config.reps[0].id);
        }
        break;
      }
      default:
        for (const auto& rep : m.config.reps) {
          if (rng.Chance(40)) {
            rule.pool.reps.push_back(rep.id);
            mr.pool.insert(rep.id);
          }
        }
        if (mr.pool.empty()) {
          rule.pool.reps.push_back(m.config.reps.back().id);
          mr.pool.insert(m.config.reps.back().id);
        }
        break;
    }
    std::vector<ModelRule::Filter> filters = {ModelRule::Filter::kTerritory,
                                              ModelRule::Filter::kIndustry,
                                              ModelRule::Filter::kAvailability};
    for (int k = 0; k < 3; ++k) {
      std::swap(filters[k], filters[k + rng.Below(3 - k)]);
    }
    for (auto f : filters) {
      if (!rng.Chance(60)) continue;
      bool keep = rng.Chance(50);
      mr.filters.emplace_back(f, keep);
      auto if_missing =
          keep ? steps::IfMissing::kKeep : steps::IfMissing::kNoMatch;
      switch (f) {
        case ModelRule::Filter::kTerritory:
          rule.steps.push_back(steps::Territory(if_missing));
          break;
        case ModelRule::Filter::kIndustry:
          rule.steps.push_back(steps::Industry(if_missing));
          break;
        case ModelRule::Filter::kAvailability:
          rule.steps.push_back(steps::Availability());
          break;
      }
    }
    const std::string& picker = rng.Pick(pickers);
    if (picker == "round_robin") rule.steps.push_back(steps::RoundRobin());
    if (picker == "weighted") {
      rule.steps.push_back(steps::RoundRobin({.weighted = true}));
    }
    if (picker == "least_loaded") rule.steps.push_back(steps::LeastLoaded());
    if (picker == "random") rule.steps.push_back(steps::Random());
    mr.fallback_on_empty = rng.Chance(20);
    rule.on_empty =
        mr.fallback_on_empty ? OnEmpty::kFallback : OnEmpty::kNextRule;
    m.config.rules.push_back(rule);
    m.rules.push_back(mr);
  }
  m.config.fallback = Owner::Queue("queue");
  m.config.settings.seed = rng.Next();
  return m;
}

Lead RandomLead(Rng& rng, int n) {
  Lead lead("lead-" + std::to_string(n));
  if (!rng.Chance(10)) lead.Set("country", rng.Pick(kCountries));
  if (!rng.Chance(10)) lead.Set("industry", rng.Pick(kIndustries));
  if (rng.Chance(5)) lead.Set("industry", 42);  // wrong type
  if (!rng.Chance(5)) lead.Set("score", rng.Below(101));
  return lead;
}

const std::string* StringField(const Lead& lead, const char* name) {
  const Value* v = lead.Find(name);
  return v == nullptr ? nullptr : v->string_if();
}

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The live state the model tracks alongside the router.
struct ModelState {
  std::map<std::string, int> open;
  std::map<std::string, Presence> presence;
};

bool WhenHolds(const ModelRule& r, const Lead& lead) {
  const std::string* country = StringField(lead, "country");
  const std::string* industry = StringField(lead, "industry");
  const Value* score = lead.Find("score");
  switch (r.when) {
    case ModelRule::When::kAlways:
      return true;
    case ModelRule::When::kCountryEq:
      return country && *country == r.country;
    case ModelRule::When::kScoreGte:
      return score && score->is_number() && *score->number() >= r.score;
    case ModelRule::When::kIndustryIn:
      return industry && Has(r.industries, *industry);
    case ModelRule::When::kNotCountry:
      return !(country && *country == r.country);
  }
  return false;
}

// The reps a rule could claim for `lead`, in the model.
std::set<std::string> Eligible(const Model& m, const ModelRule& r,
                               const Lead& lead, const ModelState& s) {
  std::set<std::string> c;
  for (const auto& rep : m.config.reps) {
    if (rep.active && (r.pool.empty() || r.pool.count(rep.id))) {
      c.insert(rep.id);
    }
  }
  auto rep_of = [&](const std::string& id) -> const Rep& {
    for (const auto& rep : m.config.reps) {
      if (rep.id == id) return rep;
    }
    return m.config.reps[0];
  };
  auto under_cap = [&](const std::string& id) {
    const Rep& rep = rep_of(id);
    auto it = s.open.find(id);
    int open = it == s.open.end() ? 0 : it->second;
    return !rep.capacity.max_open || open < *rep.capacity.max_open;
  };
  for (const auto& [filter, keep] : r.filters) {
    std::set<std::string> next;
    if (filter == ModelRule::Filter::kAvailability) {
      for (const auto& id : c) {
        auto p = s.presence.find(id);
        bool available =
            p == s.presence.end() || p->second == Presence::kAvailable;
        if (available && under_cap(id)) next.insert(id);
      }
    } else if (filter == ModelRule::Filter::kTerritory) {
      const std::string* country = StringField(lead, "country");
      if (country == nullptr) {
        if (keep) next = c;
      } else {
        for (const auto& id : c) {
          if (Has(rep_of(id).territories, *country)) next.insert(id);
        }
        if (next.empty()) {
          for (const auto& id : c) {
            if (Has(rep_of(id).territories, "*")) next.insert(id);
          }
        }
      }
    } else {
      const std::string* industry = StringField(lead, "industry");
      if (industry == nullptr) {
        if (keep) next = c;
      } else {
        for (const auto& id : c) {
          const auto& list = rep_of(id).industries;
          if (Has(list, *industry) || Has(list, "*")) next.insert(id);
        }
      }
    }
    c = std::move(next);
  }
  std::set<std::string> claimable;
  for (const auto& id : c) {
    if (under_cap(id)) claimable.insert(id);
  }
  return claimable;
}

std::string Describe(const Assignment& a) {
  return a.lead_id + "->" + a.owner.id + "@" + a.rule_id + "/" + a.decided_by;
}

// Routes `leads` with random presence changes and releases; checks every
// decision against the model; returns the decision log.
std::vector<std::string> RunAndCheck(const Model& m, uint64_t seed, int leads,
                                     int config_index) {
  auto rules = RuleSet::Compile(m.config);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  if (!rules.ok()) return {};
  Router router = Router::Create(std::move(rules).value()).value();
  ModelState s;
  Rng rng(seed);
  std::vector<Assignment> routed;
  std::vector<std::string> log;
  for (int n = 0; n < leads; ++n) {
    if (rng.Chance(3)) {
      const Rep& rep = rng.Pick(m.config.reps);
      Presence p = static_cast<Presence>(rng.Below(3));
      EXPECT_TRUE(router.SetPresence(rep.id, p).ok());
      s.presence[rep.id] = p;
    }
    if (!routed.empty() && rng.Chance(30)) {
      size_t k = static_cast<size_t>(rng.Below(int(routed.size())));
      Assignment gone = routed[k];
      routed.erase(routed.begin() + static_cast<long>(k));
      EXPECT_TRUE(router.Release(gone.lead_id).ok());
      if (gone.owner.kind == OwnerKind::kRep) --s.open[gone.owner.id];
    }
    Lead lead = RandomLead(rng, n);
    auto result = router.Route(lead);
    EXPECT_TRUE(result.ok());
    if (!result.ok()) return log;
    const Assignment& a = *result;
    EXPECT_FALSE(a.owner.id.empty());
    EXPECT_FALSE(a.repeated);

    // Which rule should decide, per the model?
    std::string expected_rule;
    std::set<std::string> allowed;
    bool expect_fallback = true;
    for (size_t i = 0; i < m.rules.size(); ++i) {
      if (!WhenHolds(m.rules[i], lead)) continue;
      allowed = Eligible(m, m.rules[i], lead, s);
      if (!allowed.empty()) {
        expect_fallback = false;
        expected_rule = m.config.rules[i].id;
        break;
      }
      if (m.rules[i].fallback_on_empty) {
        expected_rule = m.config.rules[i].id;
        break;
      }
    }
    EXPECT_EQ(a.fallback, expect_fallback)
        << "config " << config_index << " " << Describe(a);
    EXPECT_EQ(a.rule_id, expected_rule)
        << "config " << config_index << " " << Describe(a);
    if (expect_fallback) {
      EXPECT_EQ(a.owner, Owner::Queue("queue"));
    } else {
      EXPECT_EQ(a.owner.kind, OwnerKind::kRep);
      EXPECT_TRUE(allowed.count(a.owner.id))
          << "config " << config_index << " " << Describe(a)
          << " was excluded by the chain";
      ++s.open[a.owner.id];
    }
    routed.push_back(a);
    log.push_back(Describe(a));
    if (::testing::Test::HasFailure()) return log;
  }
  // Load accounting: the store agrees with the model.
  for (const auto& rep : m.config.reps) {
    EXPECT_EQ(router.state().Get(rep.id).open, s.open[rep.id]) << rep.id;
  }
  return log;
}

// 20 configs x 2,500 leads: long streams against the model in a few seconds
// of Debug; the rapidcheck properties (tests/properties/) add shrinking.
TEST(RoutingProperties, FiftyThousandLeadsOverRandomConfigs) {
  constexpr int kConfigs = 20;
  constexpr int kLeadsPerConfig = 2500;
  for (int c = 0; c < kConfigs; ++c) {
    Rng rng(1000 + c);
    Model m = RandomModel(rng);
    RunAndCheck(m, 77 + c, kLeadsPerConfig, c);
    if (HasFailure()) {
      ADD_FAILURE() << "replay with config seed " << 1000 + c;
      return;
    }
  }
}

TEST(RoutingProperties, SameInputsGiveTheSameDecisions) {
  for (int c = 0; c < 5; ++c) {
    Rng rng(5000 + c);
    Model m = RandomModel(rng);
    auto first = RunAndCheck(m, 9 + c, 2000, c);
    auto second = RunAndCheck(m, 9 + c, 2000, c);
    ASSERT_EQ(first, second) << "config seed " << 5000 + c;
  }
}

}  // namespace
}  // namespace leadroute
