// The compiled, immutable form of a RuleSet that the Router walks.
#ifndef LEADROUTE_COMPILE_COMPILED_RULE_SET_H_
#define LEADROUTE_COMPILE_COMPILED_RULE_SET_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compile/condition.h"
#include "compile/field_table.h"
#include "leadroute/candidate_set.h"
#include "leadroute/owner.h"
#include "leadroute/roster.h"
#include "leadroute/rule.h"
#include "leadroute/rule_set.h"
#include "leadroute/strategy.h"
#include "time/schedule.h"

namespace leadroute::internal {

struct StickyPlan;  // strategies/sticky.h

struct CompiledStep {
  std::string strategy_name;
  std::string path;  // "/rules/<i>/steps/<j>"
  std::unique_ptr<Strategy> strategy;
  StrategyKind kind = StrategyKind::kFilter;
  bool relaxable = true;
};

// One variant of a rule's experiment (compile/experiment.h).
struct CompiledVariant {
  std::string label;   // "<experiment id>/<variant name>": Assignment::variant
  uint32_t upper = 0;  // cumulative bound in basis points (exclusive)
  // The rule's full step list for this variant: the steps before the
  // experiment step, the variant's, then the steps after it.
  std::vector<CompiledStep> steps;
};

struct CompiledRule {
  std::string id;
  std::string rotation;  // the rule id unless a shared rotation is named
  CompiledCondition when;
  CandidateSet pool;  // active reps of the pool
  std::vector<CompiledStep> steps;
  OnEmpty on_empty = OnEmpty::kNextRule;
  uint64_t seed = 0;        // settings.seed mixed with the rule id
  CompiledSchedule active;  // the rule's window; always when it has none
  // The rule's SLA, else `settings.sla` (points into `config`); nullptr:
  // none.
  const Sla* sla = nullptr;
  // A rule with an experiment step: its variants in config order, and
  // `steps` empty. A lead runs the first variant whose `upper` is above its
  // ExperimentBucket(experiment_seed, lead id). Empty: no experiment.
  std::vector<CompiledVariant> variants;
  uint64_t experiment_seed = 0;
  // How the rule hands the lead over (leadroute/offer.h) and, for offers,
  // the settings (defaults when the config gives none).
  Distribution mode = Distribution::kPush;
  OfferSettings offer{};
};

struct CompiledRuleSet {
  RuleSetConfig config;
  std::unique_ptr<Roster> roster;
  FieldTable fields;
  std::vector<CompiledRule> rules;
  Owner fallback;
  RepIndex fallback_rep = kNoRep;  // when the fallback is a rep
  std::string hash;
  std::vector<CompiledSchedule> schedules;  // by RepIndex
  const date::time_zone* zone = nullptr;    // settings.time_zone; nullptr: UTC
  bool any_sla = false;  // some rule or the settings set an SLA
  // What the Router remembers after each decision for the `sticky` steps
  // (strategies/sticky.h); nullptr when no step is sticky, so a RuleSet
  // without one does nothing more on a route.
  std::shared_ptr<const StickyPlan> sticky;

  // Validates and compiles; every error is collected with its path.
  static Result<RuleSet> Compile(RuleSetConfig config,
                                 const LoadOptions& options);
  // Wraps a compiled snapshot in the public handle.
  static RuleSet Wrap(std::shared_ptr<const CompiledRuleSet> impl);
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_COMPILED_RULE_SET_H_
