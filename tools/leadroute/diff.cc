// `leadroute diff`: replay the same leads through two rule sets, each with a
// fresh in-memory state, and report which leads would change owner.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "leadroute/owner.h"
#include "summary.h"

namespace leadroute::cli {
namespace {

// "ana" for a rep, "queue:nurture" for a queue, "" when routing failed.
std::string OwnerName(const Owner& owner) {
  return owner.kind == OwnerKind::kRep ? owner.id : "queue:" + owner.id;
}

// The owner of every lead, in order, through a fresh router.
std::optional<std::vector<std::string>> Owners(const RuleSet& rules,
                                               const std::string& rules_path,
                                               const std::string& accounts_path,
                                               const std::vector<Lead>& leads,
                                               int64_t& errors,
                                               int64_t& fallbacks) {
  std::optional<Router> router = NewRouter(rules, rules_path, accounts_path);
  if (!router) return std::nullopt;
  std::vector<std::string> owners;
  owners.reserve(leads.size());
  for (size_t i = 0; i < leads.size(); ++i) {
    auto assignment = router->Route(leads[i]);
    if (!assignment.ok()) {
      ++errors;
      owners.emplace_back();
      continue;
    }
    if (assignment->fallback && !assignment->repeated) ++fallbacks;
    owners.push_back(OwnerName(assignment->owner));
  }
  return owners;
}

struct OwnerCount {
  int64_t old_count = 0;
  int64_t new_count = 0;
};

}  // namespace

int RunDiff(const DiffOptions& options) {
  std::optional<RuleSet> old_rules = LoadRules(options.old_rules);
  std::optional<RuleSet> new_rules = LoadRules(options.new_rules);
  if (!old_rules || !new_rules) return kExitLoadFailed;
  int64_t bad_lines = 0;
  std::optional<std::vector<Lead>> leads = ReadLeads(options.leads, bad_lines);
  if (!leads) return kExitLoadFailed;

  int64_t old_errors = 0, new_errors = 0, old_fallbacks = 0, new_fallbacks = 0;
  auto old_owners = Owners(*old_rules, options.old_rules, options.accounts,
                           *leads, old_errors, old_fallbacks);
  auto new_owners = Owners(*new_rules, options.new_rules, options.accounts,
                           *leads, new_errors, new_fallbacks);
  if (!old_owners || !new_owners) return kExitLoadFailed;

  // Per owner: every rep of either roster, and every queue that got a lead.
  std::map<std::string, OwnerCount> per_owner;
  for (const RuleSet* rules : {&*old_rules, &*new_rules}) {
    for (const Rep& rep : rules->config().reps) per_owner[rep.id];
  }
  std::map<std::pair<std::string, std::string>, int64_t> moves;
  int64_t compared = 0, changed = 0;
  for (size_t i = 0; i < leads->size(); ++i) {
    const std::string& from = (*old_owners)[i];
    const std::string& to = (*new_owners)[i];
    if (from.empty() || to.empty()) continue;
    ++compared;
    ++per_owner[from].old_count;
    ++per_owner[to].new_count;
    if (from != to) {
      ++changed;
      ++moves[{from, to}];
    }
  }
  std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> top(
      moves.begin(), moves.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second > b.second;
  });
  size_t shown =
      std::min(top.size(), static_cast<size_t>(std::max(0, options.top)));

  if (options.json) {
    nlohmann::ordered_json doc;
    doc["old"] = {{"rules", options.old_rules},
                  {"hash", old_rules->hash()},
                  {"fallbacks", old_fallbacks}};
    doc["new"] = {{"rules", options.new_rules},
                  {"hash", new_rules->hash()},
                  {"fallbacks", new_fallbacks}};
    doc["leads"] = options.leads;
    doc["compared"] = compared;
    doc["errors"] = bad_lines + old_errors + new_errors;
    doc["changed"] = changed;
    doc["changed_share"] = compared == 0 ? 0.0
                                         : static_cast<double>(changed) /
                                               static_cast<double>(compared);
    doc["changes"] = nlohmann::ordered_json::array();
    for (size_t k = 0; k < top.size(); ++k) {
      doc["changes"].push_back({{"from", top[k].first.first},
                                {"to", top[k].first.second},
                                {"leads", top[k].second}});
    }
    doc["owners"] = nlohmann::ordered_json::array();
    for (const auto& [owner, count] : per_owner) {
      doc["owners"].push_back({{"owner", owner},
                               {"old", count.old_count},
                               {"new", count.new_count},
                               {"change", count.new_count - count.old_count}});
    }
    fmt::print("{}\n", doc.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
  } else {
    std::string out = "leadroute diff (fresh in-memory state for each)\n";
    out += fmt::format("  old         {} (hash {}), {} fallbacks\n",
                       options.old_rules, old_rules->hash(), old_fallbacks);
    out += fmt::format("  new         {} (hash {}), {} fallbacks\n",
                       options.new_rules, new_rules->hash(), new_fallbacks);
    out += fmt::format("  leads       {}: {} compared, {} errors\n",
                       options.leads == "-" ? "stdin" : options.leads, compared,
                       bad_lines + old_errors + new_errors);
    out += fmt::format("  changed     {} of {} leads ({}) change owner\n",
                       changed, compared, Percent(changed, compared));

    out += fmt::format("\nTop owner changes ({} of {} pairs)\n", shown,
                       top.size());
    Table changes({{"old owner", Table::kLeft},
                   {"new owner", Table::kLeft},
                   {"leads", Table::kRight},
                   {"share", Table::kRight}});
    for (size_t k = 0; k < shown; ++k) {
      changes.Row({top[k].first.first, top[k].first.second,
                   fmt::format("{}", top[k].second),
                   Percent(top[k].second, compared)});
    }
    changes.Render(out);

    out += "\nLeads per owner\n";
    Table owners({{"owner", Table::kLeft},
                  {"old", Table::kRight},
                  {"new", Table::kRight},
                  {"change", Table::kRight}});
    for (const auto& [owner, count] : per_owner) {
      int64_t delta = count.new_count - count.old_count;
      owners.Row({owner, fmt::format("{}", count.old_count),
                  fmt::format("{}", count.new_count),
                  delta == 0 ? "0" : fmt::format("{:+}", delta)});
    }
    owners.Render(out);
    std::fputs(out.c_str(), stdout);
  }
  return bad_lines + old_errors + new_errors == 0 ? kExitOk
                                                  : kExitSomeLeadsFailed;
}

}  // namespace leadroute::cli
