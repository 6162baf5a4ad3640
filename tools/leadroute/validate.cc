// `leadroute validate RULES.json`: load a rules file and report every error.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
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
        nlohmann::ordered_json error = {{"path", e.path},
                                        {"message", e.message}};
        // Malformed JSON: where in the text, for editors and scripts.
        if (auto at = PositionIn(e.message); at && e.path.empty()) {
          error["line"] = at->line;
          error["column"] = at->column;
        }
        doc["errors"].push_back(std::move(error));
      }
    }
    fmt::print("{}\n", doc.dump(-1, ' ', false,
                                nlohmann::json::error_handler_t::replace));
    return rules.ok() ? kExitOk : kExitLoadFailed;
  }
  if (!rules.ok()) {
    std::vector<ConfigError> storage;
    std::span<const ConfigError> errors = ErrorsOf(rules.status(), storage);
    for (const ConfigError& e : errors) {
      // `FILE:LINE:COLUMN: ` first where the JSON text itself is broken, as
      // compilers do, so editors jump to it.
      auto at = e.path.empty() ? PositionIn(e.message) : std::nullopt;
      std::string where =
          at ? fmt::format("{}:{}:{}", options.rules, at->line, at->column)
             : options.rules;
      fmt::print(stderr, "{}: {}: {}\n", where, e.path.empty() ? "/" : e.path,
                 e.message);
    }
    size_t n = errors.size();
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
