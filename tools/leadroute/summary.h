// What `leadroute route --summary` and `leadroute simulate` report: counts
// gathered while routing and their rendering as readable tables.
#ifndef LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_
#define LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leadroute/assignment.h"
#include "leadroute/candidate_set.h"
#include "leadroute/roster.h"
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
  // Leads left waiting for a claim by an `offer` or `pool` rule: counted
  // by rule and strategy, not by owner.
  int64_t pending = 0;
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

// A text table: columns left- or right-aligned, two spaces apart.
class Table {
 public:
  enum Align { kLeft, kRight };

  explicit Table(std::vector<std::pair<std::string, Align>> columns)
      : columns_(std::move(columns)) {
    std::vector<std::string> header;
    for (const auto& c : columns_) header.push_back(c.first);
    Row(std::move(header));
  }
  void Row(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    rows_.push_back(std::move(cells));
  }
  void Render(std::string& out) const {
    std::vector<size_t> width(columns_.size(), 0);
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) {
        width[i] = std::max(width[i], row[i].size());
      }
    }
    for (const auto& row : rows_) {
      std::string line = " ";
      for (size_t i = 0; i < row.size(); ++i) {
        line += ' ';
        if (columns_[i].second == kRight) {
          line += fmt::format("{:>{}}", row[i], width[i]);
        } else {
          line += fmt::format("{:<{}}", row[i], width[i]);
        }
        line += ' ';
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line;
      out += '\n';
    }
  }

 private:
  std::vector<std::pair<std::string, Align>> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// `part` as a percentage of `whole` with one decimal ("-" when whole is 0).
std::string Percent(int64_t part, int64_t whole);
// counts[key], 0 when absent.
int64_t CountOf(const std::unordered_map<std::string, int64_t>& counts,
                const std::string& key);
// The active reps a rule's pool starts from (DESIGN.md §3.3).
CandidateSet PoolOf(const Rule& rule, const Roster& roster);
// A rep's first team, "-" when it has none.
std::string_view TeamOf(const Roster& roster, RepIndex i);
// Reps by team, then id: the row order of every per-rep table.
std::vector<RepIndex> RepOrder(const Roster& roster);
// "queue nurture", "rep ana" or "none".
std::string FallbackOwnerName(const RuleSetConfig& config);

// Leads each rep is expected to get, by roster index: each rule's hits
// spread over the active reps of its pool in proportion to `Rep::weight`;
// the fallback's count goes to a fallback rep.
std::vector<double> ExpectedLeads(const RuleSet& rules,
                                  const RouteStats& stats);

// The sections of the summary, each appended to `out` with its title.
void RenderRepTable(const RuleSet& rules, const RouteStats& stats,
                    std::span<const double> expected, std::string& out);
void RenderRuleTable(const RuleSet& rules, const RouteStats& stats,
                     std::string& out);
void RenderStrategyTable(const RouteStats& stats, std::string& out);

// The summary as text: totals, leads per rep against the expected share,
// leads per rule, decisions per strategy. Expected share: each rule's hits
// spread over the active reps of its pool in proportion to `Rep::weight`,
// summed per rep; the fallback's count goes to the fallback owner.
std::string FormatSummary(const RuleSet& rules, const RouteStats& stats,
                          const SummaryInputs& inputs);

}  // namespace leadroute::cli

#endif  // LEADROUTE_TOOLS_LEADROUTE_SUMMARY_H_
