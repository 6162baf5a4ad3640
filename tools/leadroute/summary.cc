#include "summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/candidate_set.h"
#include "leadroute/owner.h"
#include "leadroute/roster.h"
#include "leadroute/rule.h"

namespace leadroute::cli {

void RouteStats::Add(const Assignment& a) {
  ++routed;
  if (a.repeated) {
    ++repeated;
    return;
  }
  ++decisions;
  if (a.offer && a.owner.id.empty()) {
    ++pending;
  } else if (a.owner.kind == OwnerKind::kRep) {
    ++by_rep[a.owner.id];
  } else {
    ++by_queue[a.owner.id];
  }
  if (a.fallback) {
    ++fallbacks;
    ++fallback_via[a.rule_id];
  } else {
    ++by_rule[a.rule_id];
  }
  ++by_strategy[a.decided_by];
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) /
                                    static_cast<double>(whole));
}

int64_t CountOf(const std::unordered_map<std::string, int64_t>& counts,
                const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

CandidateSet PoolOf(const Rule& rule, const Roster& roster) {
  if (rule.pool.teams.empty() && rule.pool.reps.empty()) return roster.active();
  CandidateSet pool(roster.size());
  for (const std::string& team : rule.pool.teams) {
    if (const CandidateSet* members = roster.team(team)) pool |= *members;
  }
  for (const std::string& id : rule.pool.reps) {
    RepIndex i = roster.Find(id);
    if (i != kNoRep && roster.rep(i).active) pool.set(i);
  }
  return pool;
}

namespace {

std::string PoolName(const Rule& rule) {
  if (rule.pool.teams.empty() && rule.pool.reps.empty()) return "everyone";
  std::vector<std::string> parts = rule.pool.teams;
  if (!rule.pool.reps.empty()) {
    parts.push_back(fmt::format("{} rep{}", rule.pool.reps.size(),
                                rule.pool.reps.size() == 1 ? "" : "s"));
  }
  return fmt::format("{}", fmt::join(parts, "+"));
}

}  // namespace

std::vector<double> ExpectedLeads(const RuleSet& rules,
                                  const RouteStats& stats) {
  const RuleSetConfig& config = rules.config();
  const Roster& roster = rules.roster();
  std::vector<double> expected(roster.size(), 0.0);
  for (const Rule& rule : config.rules) {
    int64_t hits = CountOf(stats.by_rule, rule.id);
    if (hits == 0) continue;
    CandidateSet pool = PoolOf(rule, roster);
    double total = 0;
    pool.ForEach([&](RepIndex i) { total += roster.rep(i).weight; });
    if (total <= 0) continue;
    pool.ForEach([&](RepIndex i) {
      expected[i] += static_cast<double>(hits) * roster.rep(i).weight / total;
    });
  }
  if (config.fallback && config.fallback->kind == OwnerKind::kRep) {
    RepIndex i = roster.Find(config.fallback->id);
    if (i != kNoRep) expected[i] += static_cast<double>(stats.fallbacks);
  }
  return expected;
}

std::string_view TeamOf(const Roster& roster, RepIndex i) {
  const Rep& rep = roster.rep(i);
  return rep.teams.empty() ? std::string_view("-") : rep.teams.front();
}

std::vector<RepIndex> RepOrder(const Roster& roster) {
  std::vector<RepIndex> order;
  for (RepIndex i = 0; i < roster.size(); ++i) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](RepIndex a, RepIndex b) {
    std::string_view team_a = TeamOf(roster, a);
    std::string_view team_b = TeamOf(roster, b);
    if (team_a != team_b) return team_a < team_b;
    return roster.id(a) < roster.id(b);
  });
  return order;
}

std::string FallbackOwnerName(const RuleSetConfig& config) {
  if (!config.fallback) return "none";
  return fmt::format("{} {}", OwnerKindName(config.fallback->kind),
                     config.fallback->id);
}

void RenderRepTable(const RuleSet& rules, const RouteStats& stats,
                    std::span<const double> expected, std::string& out) {
  const RuleSetConfig& config = rules.config();
  const Roster& roster = rules.roster();
  out += fmt::format(
      "\nLeads per rep (expected: each rule's hits spread over the active reps "
      "of its pool by weight)\n");
  Table reps({{"team", Table::kLeft},
              {"rep", Table::kLeft},
              {"tier", Table::kLeft},
              {"weight", Table::kRight},
              {"max_open", Table::kRight},
              {"leads", Table::kRight},
              {"expected", Table::kRight},
              {"deviation", Table::kRight},
              {"", Table::kLeft}});
  for (RepIndex i : RepOrder(roster)) {
    const Rep& rep = roster.rep(i);
    int64_t count = CountOf(stats.by_rep, rep.id);
    std::string deviation = "-";
    if (expected[i] > 0) {
      deviation = fmt::format(
          "{:+.1f}%",
          100.0 * (static_cast<double>(count) - expected[i]) / expected[i]);
    }
    std::string note;
    if (!rep.active) {
      note = "inactive";
    } else if (rep.capacity.max_open && count >= *rep.capacity.max_open) {
      note = "at max_open";
    }
    reps.Row({std::string(TeamOf(roster, i)), rep.id,
              rep.tier.empty() ? "-" : rep.tier,
              fmt::format("{:g}", rep.weight),
              rep.capacity.max_open ? fmt::format("{}", *rep.capacity.max_open)
                                    : "-",
              fmt::format("{}", count), fmt::format("{:.1f}", expected[i]),
              deviation, note});
  }
  std::vector<std::pair<std::string, int64_t>> queues(stats.by_queue.begin(),
                                                      stats.by_queue.end());
  std::sort(queues.begin(), queues.end());
  for (const auto& [id, count] : queues) {
    bool is_fallback = config.fallback &&
                       config.fallback->kind == OwnerKind::kQueue &&
                       config.fallback->id == id;
    reps.Row({"(queue)", id, "", "", "", fmt::format("{}", count),
              is_fallback
                  ? fmt::format("{:.1f}", static_cast<double>(stats.fallbacks))
                  : "-",
              "-", is_fallback ? "fallback" : ""});
  }
  reps.Render(out);
}

void RenderRuleTable(const RuleSet& rules, const RouteStats& stats,
                     std::string& out) {
  const RuleSetConfig& config = rules.config();
  std::string fallback_owner = FallbackOwnerName(config);
  // Leads per rule, in rule order.
  out += "\nLeads per rule\n";
  Table by_rule({{"rule", Table::kLeft},
                 {"hits", Table::kRight},
                 {"share", Table::kRight},
                 {"pool", Table::kLeft},
                 {"on_empty", Table::kLeft}});
  for (const Rule& rule : config.rules) {
    int64_t hits = CountOf(stats.by_rule, rule.id);
    by_rule.Row({rule.id, fmt::format("{}", hits),
                 Percent(hits, stats.decisions), PoolName(rule),
                 std::string(OnEmptyName(rule.on_empty))});
  }
  by_rule.Row({"(fallback)", fmt::format("{}", stats.fallbacks),
               Percent(stats.fallbacks, stats.decisions), fallback_owner, ""});
  std::vector<std::pair<std::string, int64_t>> via(stats.fallback_via.begin(),
                                                   stats.fallback_via.end());
  std::sort(via.begin(), via.end());
  for (const auto& [rule_id, count] : via) {
    by_rule.Row({rule_id.empty() ? "  no rule matched" : "  sent by " + rule_id,
                 fmt::format("{}", count), Percent(count, stats.decisions), "",
                 ""});
  }
  by_rule.Render(out);
}

void RenderStrategyTable(const RouteStats& stats, std::string& out) {
  // Which strategy decided.
  out += "\nDecided by\n";
  Table by_strategy({{"strategy", Table::kLeft},
                     {"leads", Table::kRight},
                     {"share", Table::kRight}});
  std::vector<std::pair<std::string, int64_t>> strategies(
      stats.by_strategy.begin(), stats.by_strategy.end());
  std::stable_sort(
      strategies.begin(), strategies.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [name, count] : strategies) {
    by_strategy.Row(
        {name, fmt::format("{}", count), Percent(count, stats.decisions)});
  }
  by_strategy.Render(out);
}

std::string FormatSummary(const RuleSet& rules, const RouteStats& stats,
                          const SummaryInputs& inputs) {
  const RuleSetConfig& config = rules.config();
  std::string out;

  // Totals.
  out += "leadroute route summary\n";
  out += fmt::format(
      "  rules       {}{} (hash {})\n", inputs.rules_path,
      config.name.empty() ? "" : fmt::format(" \"{}\"", config.name),
      rules.hash());
  out += fmt::format(
      "  leads       {}: {} non-empty lines, {} routed, {} errors\n",
      inputs.leads_path == "-" ? "stdin" : inputs.leads_path, stats.lines,
      stats.routed, stats.errors);
  out += fmt::format("  output      {}\n",
                     inputs.out_path.empty() || inputs.out_path == "-"
                         ? "stdout"
                         : inputs.out_path);
  out += fmt::format(
      "  decisions   {} new, {} repeated lead ids (first decision returned "
      "again; not counted below)\n",
      stats.decisions, stats.repeated);
  std::string fallback_owner = FallbackOwnerName(config);
  out +=
      fmt::format("  fallbacks   {} ({} of decisions) to {}\n", stats.fallbacks,
                  Percent(stats.fallbacks, stats.decisions), fallback_owner);
  if (stats.pending > 0) {
    out += fmt::format("  pending     {} ({} of decisions) offered or pooled\n",
                       stats.pending, Percent(stats.pending, stats.decisions));
  }
  double rate =
      stats.seconds > 0 ? static_cast<double>(stats.lines) / stats.seconds : 0;
  out += fmt::format("  speed       {} leads in {:.3f} s = {:.0f} leads/s\n",
                     stats.lines, stats.seconds, rate);

  RenderRepTable(rules, stats, ExpectedLeads(rules, stats), out);
  RenderRuleTable(rules, stats, out);
  RenderStrategyTable(stats, out);
  return out;
}

}  // namespace leadroute::cli
