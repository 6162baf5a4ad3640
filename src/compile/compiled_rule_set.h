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

struct CompiledStep {
  std::string strategy_name;
  std::string path;  // "/rules/<i>/steps/<j>"
  std::unique_ptr<Strategy> strategy;
  StrategyKind kind = StrategyKind::kFilter;
  bool relaxable = true;
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

  // Validates and compiles; every error is collected with its path.
  static Result<RuleSet> Compile(RuleSetConfig config,
                                 const LoadOptions& options);
  // Wraps a compiled snapshot in the public handle.
  static RuleSet Wrap(std::shared_ptr<const CompiledRuleSet> impl);
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_COMPILED_RULE_SET_H_
