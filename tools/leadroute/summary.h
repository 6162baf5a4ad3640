// What `leadroute route --summary` reports: counts gathered while routing and
// their rendering as readable tables.
#ifndef LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_
#define LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "leadroute/assignment.h"
#include "leadroute/rule_set.h"

namespace leadroute::cli {

struct RouteStats {
  int64_t lines = 0;     // non-empty input lines
  int64_t routed = 0;    // lines answered with a decision
  int64_t errors = 0;    // lines answered with an error record
  int64_t repeated = 0;  // decisions returned again for a repeated lead id
  double seconds = 0;    // reading, parsing, routing and writing

  // New decisions only (a repeated lead id counts once).
  int64_t decisions = 0;
  int64_t fallbacks = 0;
  std::unordered_map<std::string, int64_t> by_rep;
  std::unordered_map<std::string, int64_t> by_queue;
  std::unordered_map<std::string, int64_t> by_rule;  // decided by a rule
  // Fallback decisions by the rule that sent them (on_empty: fallback), ""
  // when no rule matched.
  std::unordered_map<std::string, int64_t> fallback_via;
  std::map<std::string, int64_t> by_strategy;

  void Add(const Assignment& assignment);
};

struct SummaryInputs {
  std::string rules_path;
  std::string leads_path;
  std::string out_path;  // "" = standard output
};

// The summary as text: totals, leads per rep against the expected share,
// leads per rule, decisions per strategy. Expected share: each rule's hits
// spread over the active reps of its pool in proportion to `Rep::weight`,
// summed per rep; the fallback's count goes to the fallback owner.
std::string FormatSummary(const RuleSet& rules, const RouteStats& stats,
                          const SummaryInputs& inputs);

}  // namespace leadroute::cli

#endif  // LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_
