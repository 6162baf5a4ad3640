// `leadroute validate RULES.json`: load a rules file and report every error.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.h"
#include "leadroute/owner.h"
#include "leadroute/rule_set.h"

namespace leadroute::cli {
namespace {

// `47 reps (44 active) in 7 teams, 13 rules, fallback queue "nurture"`.
std::string Describe(const RuleSet& rules) {
  const RuleSetConfig& config = rules.config();
  size_t active = 0;
  for (const Rep& rep : config.reps) active += rep.active ? 1 : 0;
  std::string fallback = "none";
  if (config.fallback) {
    fallback = fmt::format("{} \"{}\"", OwnerKindName(config.fallback->kind),
                           config.fallback->id);
  }
  return fmt::format(
      "{} reps ({} active) in {} teams, {} rules, fallback {}, hash {}",
      config.reps.size(), active, config.teams.size(), config.rules.size(),
      fallback, rules.hash());
}

}  // namespace

int RunValidate(const ValidateOptions& options) {
  auto rules = RuleSet::FromFile(options.rules);
  if (options.json) {
    nlohmann::ordered_json doc;
    doc["valid"] = rules.ok();
    doc["errors"] = nlohmann::ordered_json::array();
    if (!rules.ok()) {
      std::vector<ConfigError> storage;
      for (const ConfigError& e : ErrorsOf(rules.status(), storage)) {
        doc["errors"].push_back({{"path", e.path}, {"message", e.message}});
      }
    }
    fmt::print("{}\n", doc.dump(-1, ' ', false,
                                nlohmann::json::error_handler_t::replace));
    return rules.ok() ? kExitOk : kExitLoadFailed;
  }
  if (!rules.ok()) {
    PrintErrors(stderr, options.rules, rules.status());
    std::vector<ConfigError> storage;
    size_t n = ErrorsOf(rules.status(), storage).size();
    fmt::print(stderr, "{}: invalid: {} error{}\n", options.rules, n,
               n == 1 ? "" : "s");
    return kExitLoadFailed;
  }
  const std::string& name = rules->config().name;
  fmt::print("{}: valid: {}{}\n", options.rules,
             name.empty() ? "" : fmt::format("\"{}\": ", name),
             Describe(*rules));
  return kExitOk;
}

}  // namespace leadroute::cli
