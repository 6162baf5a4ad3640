// `leadroute simulate`: route a leads file with fresh in-memory state and
// report how the rules would spread it: per-rep counts against the expected
// share, per-rule hits, fallbacks, fairness and caps reached. Nothing is
// written except the report.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cli.h"
#include "leadroute/owner.h"
#include "summary.h"

namespace leadroute::cli {
namespace {

// A rep whose open leads reached `max_open` during the run (nothing is
// released in a simulation, so open leads = leads assigned).
struct CapReached {
  RepIndex rep = kNoRep;
  int max_open = 0;
  int64_t lead_index = 0;  // 1-based position among the routed leads
  std::string lead_id;
};

struct Fairness {
  double max_deviation = 0;  // (leads - expected) / expected, largest |.|
  std::string max_deviation_rep;
  double gini = 0;  // over the active reps' lead counts
  size_t reps = 0;  // active reps counted
};

struct Simulation {
  RouteStats stats;
  std::vector<double> expected;  // by roster index
  std::vector<CapReached> caps;
  Fairness fairness;
};

// Gini coefficient of `counts`: 0 = perfectly even, 1 = one rep has all.
double Gini(std::vector<int64_t> counts) {
  if (counts.empty()) return 0;
  std::sort(counts.begin(), counts.end());
  double total = 0;
  double weighted = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    total += static_cast<double>(counts[i]);
    weighted += static_cast<double>(i + 1) * static_cast<double>(counts[i]);
  }
  if (total == 0) return 0;
  double n = static_cast<double>(counts.size());
  return 2 * weighted / (n * total) - (n + 1) / n;
}

Fairness FairnessOf(const Roster& roster, const RouteStats& stats,
                    const std::vector<double>& expected) {
  Fairness fairness;
  std::vector<int64_t> counts;
  for (RepIndex i : RepOrder(roster)) {
    const Rep& rep = roster.rep(i);
    if (!rep.active) continue;
    int64_t count = CountOf(stats.by_rep, rep.id);
    counts.push_back(count);
    if (expected[i] <= 0) continue;
    double deviation = (static_cast<double>(count) - expected[i]) / expected[i];
    if (std::abs(deviation) > std::abs(fairness.max_deviation)) {
      fairness.max_deviation = deviation;
      fairness.max_deviation_rep = rep.id;
    }
  }
  fairness.reps = counts.size();
  fairness.gini = Gini(std::move(counts));
  return fairness;
}

std::string CapsLine(const Roster& roster,
                     const std::vector<CapReached>& caps) {
  if (caps.empty()) return "no rep reached max_open";
  std::string line = fmt::format("{} rep{} reached max_open:", caps.size(),
                                 caps.size() == 1 ? "" : "s");
  for (size_t k = 0; k < caps.size(); ++k) {
    line += fmt::format("{} {} ({}) at lead {} ({})", k == 0 ? "" : ",",
                        roster.id(caps[k].rep), caps[k].max_open,
                        caps[k].lead_index, caps[k].lead_id);
  }
  return line;
}

std::string FormatText(const RuleSet& rules, const Simulation& sim,
                       const SimulateOptions& options, int64_t bad_lines) {
  const RuleSetConfig& config = rules.config();
  const RouteStats& stats = sim.stats;
  std::string out = "leadroute simulate (fresh in-memory state)\n";
  out += fmt::format(
      "  rules       {}{} (hash {})\n", options.rules,
      config.name.empty() ? "" : fmt::format(" \"{}\"", config.name),
      rules.hash());
  out += fmt::format("  leads       {}: {} routed, {} errors\n",
                     options.leads == "-" ? "stdin" : options.leads,
                     stats.routed, bad_lines + stats.errors);
  out += fmt::format("  decisions   {} new, {} repeated lead ids\n",
                     stats.decisions, stats.repeated);
  out += fmt::format("  fallbacks   {} ({} of decisions) to {}\n",
                     stats.fallbacks, Percent(stats.fallbacks, stats.decisions),
                     FallbackOwnerName(config));
  out += fmt::format(
      "  fairness    max deviation from expected {:+.1f}% ({}), Gini {:.3f} "
      "over {} active reps\n",
      100 * sim.fairness.max_deviation,
      sim.fairness.max_deviation_rep.empty() ? "-"
                                             : sim.fairness.max_deviation_rep,
      sim.fairness.gini, sim.fairness.reps);
  out += fmt::format("  caps        {}\n", CapsLine(rules.roster(), sim.caps));
  RenderRepTable(rules, stats, sim.expected, out);
  RenderRuleTable(rules, stats, out);
  RenderStrategyTable(stats, out);
  return out;
}

nlohmann::ordered_json FormatJson(const RuleSet& rules, const Simulation& sim,
                                  const SimulateOptions& options,
                                  int64_t bad_lines) {
  const RuleSetConfig& config = rules.config();
  const Roster& roster = rules.roster();
  const RouteStats& stats = sim.stats;
  nlohmann::ordered_json doc;
  doc["rules"] = options.rules;
  doc["hash"] = rules.hash();
  doc["leads"] = options.leads;
  doc["routed"] = stats.routed;
  doc["errors"] = bad_lines + stats.errors;
  doc["decisions"] = stats.decisions;
  doc["repeated"] = stats.repeated;
  doc["fallbacks"] = stats.fallbacks;
  doc["fallback_rate"] = stats.decisions == 0
                             ? 0.0
                             : static_cast<double>(stats.fallbacks) /
                                   static_cast<double>(stats.decisions);
  doc["fallback_owner"] = FallbackOwnerName(config);
  // Only when an offer or pool rule left leads waiting, so the golden
  // output of push-only configs keeps its keys.
  if (stats.pending > 0) doc["pending"] = stats.pending;
  doc["fairness"] = {{"max_deviation", sim.fairness.max_deviation},
                     {"max_deviation_rep", sim.fairness.max_deviation_rep},
                     {"gini", sim.fairness.gini},
                     {"active_reps", sim.fairness.reps}};
  std::vector<const CapReached*> cap_of(roster.size(), nullptr);
  for (const CapReached& cap : sim.caps) cap_of[cap.rep] = &cap;
  doc["reps"] = nlohmann::ordered_json::array();
  for (RepIndex i : RepOrder(roster)) {
    const Rep& rep = roster.rep(i);
    nlohmann::ordered_json row;
    row["id"] = rep.id;
    row["team"] = std::string(TeamOf(roster, i));
    row["active"] = rep.active;
    row["leads"] = CountOf(stats.by_rep, rep.id);
    row["expected"] = std::round(sim.expected[i] * 1000) / 1000;
    if (rep.capacity.max_open) row["max_open"] = *rep.capacity.max_open;
    if (const CapReached* cap = cap_of[i]) {
      row["cap_reached_at"] = {{"lead_index", cap->lead_index},
                               {"lead_id", cap->lead_id}};
    }
    doc["reps"].push_back(std::move(row));
  }
  std::vector<std::pair<std::string, int64_t>> queues(stats.by_queue.begin(),
                                                      stats.by_queue.end());
  std::sort(queues.begin(), queues.end());
  doc["queues"] = nlohmann::ordered_json::array();
  for (const auto& [id, count] : queues) {
    doc["queues"].push_back({{"id", id}, {"leads", count}});
  }
  doc["rules_hit"] = nlohmann::ordered_json::array();
  for (const Rule& rule : config.rules) {
    doc["rules_hit"].push_back(
        {{"id", rule.id}, {"hits", CountOf(stats.by_rule, rule.id)}});
  }
  doc["decided_by"] = nlohmann::ordered_json::object();
  for (const auto& [name, count] : stats.by_strategy) {
    doc["decided_by"][name] = count;
  }
  return doc;
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A standalone page: inline CSS and SVG, no scripts, no network resources.
std::string FormatHtml(const RuleSet& rules, const Simulation& sim,
                       const std::string& text_report) {
  const Roster& roster = rules.roster();
  const RouteStats& stats = sim.stats;
  std::vector<RepIndex> order = RepOrder(roster);
  double most = 1;
  for (RepIndex i : order) {
    most = std::max({most, sim.expected[i],
                     static_cast<double>(CountOf(stats.by_rep, roster.id(i)))});
  }
  constexpr int kLabel = 230;
  constexpr int kBarArea = 560;
  constexpr int kRow = 20;
  int height = static_cast<int>(order.size()) * kRow + 30;
  std::string svg = fmt::format(
      "<svg width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-label=\"Leads per rep against expected share\">\n",
      kLabel + kBarArea + 120, height);
  int y = 10;
  for (RepIndex i : order) {
    const Rep& rep = roster.rep(i);
    int64_t count = CountOf(stats.by_rep, rep.id);
    double width = kBarArea * static_cast<double>(count) / most;
    double marker = kLabel + kBarArea * sim.expected[i] / most;
    svg +=
        fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                    kLabel - 6, y + 13, Escape(rep.id));
    svg += fmt::format(
        "<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" "
        "height=\"{}\"><title>{}: {} leads, expected {:.1f}</title></rect>\n",
        rep.active ? "" : " inactive", kLabel, y + 2, width, kRow - 6,
        Escape(rep.id), count, sim.expected[i]);
    svg += fmt::format(
        "<line class=\"expected\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" "
        "y2=\"{}\"/>\n",
        marker, marker, y, y + kRow - 2);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>\n",
                       kLabel + width + 4, y + 13, count);
    y += kRow;
  }
  svg += "</svg>\n";

  const RuleSetConfig& config = rules.config();
  std::string title = config.name.empty()
                          ? "leadroute simulation"
                          : "leadroute simulation: " + config.name;
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n";
  html += "<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>{}</title>\n", Escape(title));
  html +=
      "<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
      "svg text{font-size:12px;font-family:system-ui,sans-serif}\n"
      "rect.bar{fill:#4a7bd0}\nrect.bar.inactive{fill:#bbb}\n"
      "line.expected{stroke:#d0452f;stroke-width:2}\n"
      "pre{background:#f6f6f6;padding:1em;overflow-x:auto}\n"
      "</style>\n</head>\n<body>\n";
  html += fmt::format("<h1>{}</h1>\n", Escape(title));
  html += fmt::format(
      "<p>{} decisions, {} fallbacks ({}), Gini {:.3f}, max deviation from "
      "expected {:+.1f}% ({}).</p>\n",
      stats.decisions, stats.fallbacks,
      Percent(stats.fallbacks, stats.decisions), sim.fairness.gini,
      100 * sim.fairness.max_deviation,
      Escape(sim.fairness.max_deviation_rep.empty()
                 ? "-"
                 : sim.fairness.max_deviation_rep));
  html +=
      "<h2>Leads per rep</h2>\n<p>Bars: leads routed; red marks: expected "
      "share (each rule's hits spread over the active reps of its pool by "
      "weight).</p>\n";
  html += svg;
  html += "<h2>Report</h2>\n<pre>";
  html += Escape(text_report);
  html += "</pre>\n</body>\n</html>\n";
  return html;
}

}  // namespace

int RunSimulate(const SimulateOptions& options) {
  std::optional<RuleSet> rules = LoadRules(options.rules);
  if (!rules) return kExitLoadFailed;
  std::optional<Router> router =
      NewRouter(*rules, options.rules, options.accounts);
  if (!router) return kExitLoadFailed;
  if (!options.state.empty() &&
      !LoadStateFile(*router, options.state, /*must_exist=*/true)) {
    return kExitLoadFailed;
  }
  int64_t bad_lines = 0;
  std::optional<std::vector<Lead>> leads = ReadLeads(options.leads, bad_lines);
  if (!leads) return kExitLoadFailed;

  const Roster& roster = rules->roster();
  Simulation sim;
  std::vector<bool> capped(roster.size(), false);
  auto start = std::chrono::steady_clock::now();
  int64_t index = 0;
  for (const Lead& lead : *leads) {
    ++index;
    auto assignment = router->Route(lead);
    if (!assignment.ok()) {
      ++sim.stats.errors;
      ReportLineError(index, assignment.status());
      continue;
    }
    sim.stats.Add(*assignment);
    if (assignment->repeated || assignment->owner.kind != OwnerKind::kRep) {
      continue;
    }
    RepIndex i = roster.Find(assignment->owner.id);
    if (i == kNoRep || capped[i]) continue;
    const std::optional<int>& max_open = roster.rep(i).capacity.max_open;
    if (max_open && CountOf(sim.stats.by_rep, roster.id(i)) >= *max_open) {
      capped[i] = true;
      sim.caps.push_back({i, *max_open, index, lead.id()});
    }
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  sim.stats.lines = static_cast<int64_t>(leads->size()) + bad_lines;
  sim.stats.seconds = seconds;
  sim.expected = ExpectedLeads(*rules, sim.stats);
  sim.fairness = FairnessOf(roster, sim.stats, sim.expected);

  // Timings vary run to run: stderr, so stdout stays comparable.
  fmt::print(stderr, "simulate: {} leads routed in {:.3f} s = {:.0f} leads/s\n",
             sim.stats.routed, seconds,
             seconds > 0 ? static_cast<double>(sim.stats.routed) / seconds : 0);
  std::string text = FormatText(*rules, sim, options, bad_lines);
  if (options.json) {
    fmt::print("{}\n", FormatJson(*rules, sim, options, bad_lines)
                           .dump(2, ' ', false,
                                 nlohmann::json::error_handler_t::replace));
  } else {
    std::fputs(text.c_str(), stdout);
  }
  if (!options.html.empty()) {
    std::ofstream html(options.html, std::ios::binary | std::ios::trunc);
    html << FormatHtml(*rules, sim, text);
    html.close();
    if (!html) {
      fmt::print(stderr, "{}: cannot write\n", options.html);
      return kExitLoadFailed;
    }
    fmt::print(stderr, "simulate: HTML report written to {}\n", options.html);
  }
  return bad_lines + sim.stats.errors == 0 ? kExitOk : kExitSomeLeadsFailed;
}

}  // namespace leadroute::cli
