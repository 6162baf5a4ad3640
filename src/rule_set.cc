#include "leadroute/rule_set.h"

#include <fmt/format.h>

#include <algorithm>

#include "compile/compiled_rule_set.h"
#include "config/json_util.h"
#include "config/rule_set_json.h"

LEADROUTE_NAMESPACE_BEGIN

Result<RuleSet> RuleSet::Compile(RuleSetConfig config,
                                 const LoadOptions& options) {
  return internal::CompiledRuleSet::Compile(std::move(config), options);
}

Result<RuleSet> RuleSet::FromJson(std::string_view json,
                                  const LoadOptions& options) {
  std::vector<ConfigError> errors;
  RuleSetConfig config;
  try {
    config = internal::ParseRuleSetJson(json, errors);
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("reading the RuleSet: {}", e.what()));
  }
  // Malformed JSON: nothing more can be said.
  if (!errors.empty() && errors.front().path.empty() &&
      errors.front().message.starts_with("invalid JSON")) {
    return Status::FromErrors(std::move(errors));
  }
  Result<RuleSet> compiled =
      internal::CompiledRuleSet::Compile(std::move(config), options);
  if (errors.empty()) return compiled;
  // Report structural and semantic errors together, without repeating a
  // path the structural pass already explained.
  for (const ConfigError& e : compiled.status().errors()) {
    bool repeated = std::any_of(errors.begin(), errors.end(), [&](auto& s) {
      return e.path == s.path || e.path.starts_with(s.path + "/");
    });
    if (!repeated) errors.push_back(e);
  }
  return Status::FromErrors(std::move(errors));
}

Result<RuleSet> RuleSet::FromFile(const std::string& path,
                                  const LoadOptions& options) {
  std::optional<std::string> text = internal::ReadFile(path);
  if (!text) return Status::NotFound(fmt::format("cannot read {}", path));
  return FromJson(*text, options);
}

const RuleSetConfig& RuleSet::config() const noexcept { return impl_->config; }
const Roster& RuleSet::roster() const noexcept { return *impl_->roster; }
const std::string& RuleSet::hash() const noexcept { return impl_->hash; }

LEADROUTE_NAMESPACE_END
