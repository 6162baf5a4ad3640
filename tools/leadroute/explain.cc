// `leadroute explain`: why one lead goes where it goes. Routes it as a dry
// run (Router::Explain) with fresh in-memory state and prints the trace as a
// tree, or as JSON with --json (docs/explain.md).
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/router.h"
#include "leadroute/trace.h"

namespace leadroute::cli {
namespace {

// The lead of --lead (one JSON object), or the one with id --lead-id in
// --leads (JSON Lines); errors reported.
std::optional<Lead> ReadLead(const ExplainOptions& options) {
  const std::string& path = options.lead.empty() ? options.leads : options.lead;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    fmt::print(stderr, "{}: cannot read: {}\n", path, std::strerror(errno));
    return std::nullopt;
  }
  if (!options.lead.empty()) {
    std::string text((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
    Result<Lead> lead = Lead::FromJson(text);
    if (!lead.ok()) {
      PrintErrors(stderr, path, lead.status());
      return std::nullopt;
    }
    return std::move(lead).value();
  }
  std::string line;
  while (std::getline(file, line)) {
    // Only lines naming the id are parsed: a large file stays quick.
    if (line.find(options.lead_id) == std::string::npos) continue;
    Result<Lead> lead = Lead::FromJson(line);
    if (lead.ok() && lead->id() == options.lead_id) {
      return std::move(lead).value();
    }
  }
  fmt::print(stderr, "{}: no lead with id \"{}\"\n", path, options.lead_id);
  return std::nullopt;
}

std::string StatusText(const TraceRule& rule) {
  if (rule.status == "outside_window") return "skipped: outside its window";
  if (rule.status == "condition_false") {
    return "skipped: " + rule.failed_clause;
  }
  return "matched -> " + rule.outcome;
}

// The step's path within its rule: "steps/2", or for a step of an
// experiment variant "steps/1/variants/0/steps/0".
std::string_view StepPath(const TraceStep& step) {
  std::string_view path = step.path;
  size_t steps = path.find("/steps/");
  return steps == std::string_view::npos ? path : path.substr(steps + 1);
}

std::string EventLabel(const TraceStep& step) {
  if (step.action == "pool") return "pool";
  if (step.action == "relax") {
    return fmt::format("relax {} {}", StepPath(step), step.strategy);
  }
  if (step.path.find("/steps/") == std::string::npos) {
    return step.strategy + " (implicit)";
  }
  return fmt::format("{} {}", StepPath(step), step.strategy);
}

std::string EventDetail(const TraceStep& step) {
  std::string detail;
  if (step.outcome == "relaxed") {
    detail = "undone; candidates recomputed";
  } else if (step.outcome == "passed") {
    detail = "named nobody";
  } else if (step.outcome == "resolved") {
    detail = "named " + step.resolved;
  } else if (step.outcome == "nobody") {
    detail = "nobody could be claimed";
  } else if (step.outcome == "superseded") {
    detail = "another route decided the lead first";
  } else if (step.outcome == "claimed" && step.pick) {
    detail = step.resolved.empty() ? "picked " + step.pick->rep
                                   : "named and claimed " + step.pick->rep;
  } else if (step.outcome == "offered" && step.pick) {
    detail =
        fmt::format("offered to [{}]", fmt::join(step.pick->shortlist, ", "));
  }
  // A resolver's note: what it matched on (sticky: "domain=acme.com"), or
  // why the rep it named could not be claimed.
  if (!step.note.empty()) {
    detail += step.outcome == "claimed" ? " (" + step.note + ")"
                                        : " (not claimed: " + step.note + ")";
  }
  if (step.pick && !step.pick->rep.empty() &&
      step.pick->order != "preference") {
    detail += fmt::format(
        " by {}, runner-up {}", step.pick->order,
        step.pick->runner_up.empty() ? "none" : step.pick->runner_up);
  }
  return detail;
}

std::string OwnerText(const Owner& owner) {
  return fmt::format("{} {}", OwnerKindName(owner.kind), owner.id);
}

std::string Tree(const Trace& trace) {
  std::string out = fmt::format("lead {} at {} (config {})\n", trace.lead_id,
                                FormatInstant(trace.at), trace.config_hash);
  for (const TraceRule& rule : trace.rules) {
    out += fmt::format("  {:<10} {:<24} {}\n", rule.path, rule.id,
                       StatusText(rule));
    if (!rule.variant.empty()) {
      out += fmt::format("      experiment variant {} (bucket {})\n",
                         rule.variant, rule.bucket);
    }
    for (const TraceStep& step : rule.steps) {
      std::string detail = EventDetail(step);
      std::string line =
          fmt::format("      {:<30} {:>4} -> {:<4} {}", EventLabel(step),
                      step.before, step.after, detail);
      line.erase(line.find_last_not_of(' ') + 1);
      out += line + "\n";
      // Eliminated reps grouped by reason, codes in order of first use.
      std::vector<std::string> codes;
      std::map<std::string, std::vector<std::string>> reps;
      for (const TraceElimination& e : step.eliminated) {
        auto& list = reps[e.code];
        if (list.empty()) codes.push_back(e.code);
        list.push_back(e.rep);
      }
      for (const std::string& code : codes) {
        const std::vector<std::string>& list = reps[code];
        // Reps outside the pool are many and say little: a count.
        if (code == "not_in_pool") {
          out += fmt::format("          {}: {} reps\n", code, list.size());
        } else {
          out += fmt::format("          {}: {}\n", code, fmt::join(list, ", "));
        }
      }
    }
  }
  if (trace.offer) {
    out += fmt::format("decision: {} by rule {}, offered to [{}]\n",
                       DistributionName(trace.offer->mode), trace.rule_id,
                       fmt::join(trace.offer->reps, ", "));
  } else if (trace.fallback) {
    out += fmt::format("decision: {} (fallback: {}{})\n",
                       OwnerText(trace.owner), trace.fallback_reason,
                       trace.rule_id.empty() ? "" : ", rule " + trace.rule_id);
  } else {
    out += fmt::format("decision: {} by rule {} ({})\n", OwnerText(trace.owner),
                       trace.rule_id, trace.decided_by);
  }
  if (!trace.variant.empty()) {
    out += fmt::format("variant: {}\n", trace.variant);
  }
  if (trace.existing) {
    out +=
        fmt::format("already decided: {} by rule {}\n",
                    OwnerText(trace.existing->owner), trace.existing->rule_id);
  }
  return out;
}

}  // namespace

int RunExplain(const ExplainOptions& options) {
  std::optional<RuleSet> rules = LoadRules(options.rules);
  if (!rules) return kExitLoadFailed;
  int exit_code = kExitOk;
  std::optional<RouterOptions> router_options =
      RouterOptionsFor(options.at, options.accounts, exit_code);
  if (!router_options) return exit_code;
  std::optional<Lead> lead = ReadLead(options);
  if (!lead) return kExitLoadFailed;
  std::optional<Router> router =
      NewRouter(*rules, options.rules, std::move(*router_options));
  if (!router) return kExitLoadFailed;
  Result<Trace> trace = router->Explain(*lead);
  if (!trace.ok()) {
    PrintErrors(stderr, options.lead.empty() ? options.leads : options.lead,
                trace.status());
    return kExitLoadFailed;
  }
  std::string text = options.json ? trace->ToJson() + "\n" : Tree(*trace);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace leadroute::cli
