// A host plugs its own strategy into leadroute: "lead_model", the host's
// conversion model used as a filter. Leads the model rates likely to convert
// (probability >= `min_probability`) may go only to the rep tiers listed in
// `tiers`; other leads keep every candidate. The strategy is registered by
// name next to the built-ins and used from a JSON ruleset like any other.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"

namespace lr = leadroute;

namespace {

// Stands in for the host's model: a logistic curve over size and engagement.
double ConversionProbability(const lr::Value* employees,
                             const lr::Value* score) {
  double e = employees != nullptr ? employees->number().value_or(0) : 0;
  double s = score != nullptr ? score->number().value_or(0) : 0;
  double z = -5.0 + 0.05 * s + 0.8 * std::log10(1 + e);
  return 1 / (1 + std::exp(-z));
}

// The factory runs once per step when the ruleset loads: it reads the step's
// parameters and precomputes the reps allowed for hot leads.
lr::Result<std::unique_ptr<lr::Strategy>> NewLeadModel(
    lr::StrategyBuildContext& ctx) {
  const lr::StepParams& params = ctx.params();
  double min_probability = params.Number("min_probability").value_or(0.5);
  std::vector<std::string> tiers =
      params.Strings("tiers", lr::StepParams::Need::kRequired)
          .value_or(std::vector<std::string>{});
  if (min_probability <= 0 || min_probability > 1) {
    params.Error("min_probability", "expected a probability in (0, 1]");
  }
  lr::CandidateSet allowed(ctx.roster().size());
  for (lr::RepIndex i = 0; i < ctx.roster().size(); ++i) {
    for (const std::string& tier : tiers) {
      if (ctx.roster().rep(i).tier == tier) allowed.set(i);
    }
  }
  lr::FieldSlot employees = ctx.Field("employees");
  lr::FieldSlot score = ctx.Field("score");
  // Called concurrently while routing: reads only captured immutable data.
  return lr::MakeStrategy(
      "lead_model", lr::StrategyKind::kFilter,
      [=](const lr::LeadView& lead, lr::CandidateSet& candidates,
          lr::StepContext&) {
        if (ConversionProbability(lead.Get(employees), lead.Get(score)) >=
            min_probability) {
          candidates &= allowed;
        }
        return lr::StepResult::Narrowed();
      });
}

constexpr const char* kRules = R"json({
  "name": "inbound with the host's model",
  "teams": [{"id": "inbound"}],
  "reps": [
    {"id": "jo", "teams": ["inbound"], "tier": "junior"},
    {"id": "mo", "teams": ["inbound"], "tier": "junior"},
    {"id": "sam", "teams": ["inbound"], "tier": "senior"}
  ],
  "rules": [
    {
      "id": "inbound",
      "pool": {"teams": ["inbound"]},
      "steps": [
        {"strategy": "lead_model", "min_probability": 0.6, "tiers": ["senior"]},
        {"strategy": "round_robin"}
      ],
      "on_empty": "relax"
    }
  ],
  "fallback": {"queue": "unassigned"}
})json";

}  // namespace

int main() {
  lr::StrategyRegistry registry = lr::StrategyRegistry::WithBuiltins();
  if (lr::Status s = registry.Register("lead_model", NewLeadModel); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  auto rules = lr::RuleSet::FromJson(kRules, {.strategies = &registry});
  if (!rules.ok()) {
    std::fprintf(stderr, "%s\n", rules.status().ToString().c_str());
    return 1;
  }
  lr::Router router = lr::Router::Create(*rules).value();

  struct Sample {
    const char* id;
    int employees;
    int score;
  };
  for (const Sample& s : {Sample{"L-1", 12, 20}, Sample{"L-2", 5000, 90},
                          Sample{"L-3", 40, 35}, Sample{"L-4", 800, 75}}) {
    lr::Lead lead(s.id);
    lead.Set("employees", s.employees).Set("score", s.score);
    lr::Value employees(s.employees);
    lr::Value score(s.score);
    auto decision = router.Route(lead);
    if (!decision.ok()) {
      std::fprintf(stderr, "%s: %s\n", s.id,
                   decision.status().ToString().c_str());
      return 1;
    }
    std::printf("%s (employees %d, score %d, p=%.2f) -> %s via %s/%s\n", s.id,
                s.employees, s.score, ConversionProbability(&employees, &score),
                decision->owner.id.c_str(), decision->rule_id.c_str(),
                decision->decided_by.c_str());
  }
  return 0;
}
