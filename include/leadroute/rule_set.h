// RuleSet: reps, teams, ordered rules and a fallback owner, validated and
// compiled into an immutable snapshot that routers share.
//
// Build one from JSON (`FromJson`, `FromFile`) or in code (`Compile`).
// Either way every error is collected with its JSON Pointer path. A RuleSet
// is immutable; copies share the compiled snapshot; safe from any thread.
#ifndef LEADROUTE_RULE_SET_H_
#define LEADROUTE_RULE_SET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "leadroute/roster.h"
#include "leadroute/rule.h"
#include "leadroute/status.h"
#include "leadroute/team.h"
#include "leadroute/version.h"

namespace leadroute::internal {
struct CompiledRuleSet;
}  // namespace leadroute::internal

LEADROUTE_NAMESPACE_BEGIN

class StrategyRegistry;

struct RuleSetSettings {
  // Seeds the `random` picker (mixed with each step's path). Default 0.
  uint64_t seed = 0;
  // IANA zone of the rules' active windows. Empty: UTC.
  std::string time_zone{};
  // The SLA of every rule without its own, and of fallback decisions.
  // nullopt: no SLA (decisions have no `due`).
  std::optional<Sla> sla{};
};

// The plain-data form of a RuleSet, as in the JSON format (docs/config.md).
struct RuleSetConfig {
  std::string name{};  // optional label, reported by tools
  RuleSetSettings settings{};
  std::vector<Team> teams{};
  std::vector<Rep> reps{};
  std::vector<Rule> rules{};
  // Who gets a lead that no rule takes: a rep or a queue. Required.
  std::optional<Owner> fallback{};
};

struct LoadOptions {
  // Where step strategies are looked up; nullptr: the built-ins.
  const StrategyRegistry* strategies = nullptr;
};

class LEADROUTE_EXPORT RuleSet {
 public:
  // Validates and compiles `config`. On error, kInvalidArgument whose
  // errors() hold every problem found, each with its JSON Pointer path.
  static Result<RuleSet> Compile(RuleSetConfig config,
                                 const LoadOptions& options = {});
  // Parses the JSON format (docs/config.md), then compiles. Unknown keys,
  // wrong types and malformed JSON are errors too.
  static Result<RuleSet> FromJson(std::string_view json,
                                  const LoadOptions& options = {});
  // Reads a file and calls FromJson; kNotFound when it cannot be read.
  static Result<RuleSet> FromFile(const std::string& path,
                                  const LoadOptions& options = {});

  const RuleSetConfig& config() const noexcept;
  const Roster& roster() const noexcept;
  // Content hash of the canonical config (16 hex digits, FNV-1a 64), for
  // audits: equal configs give equal hashes.
  const std::string& hash() const noexcept;

  // For the Router and tests.
  const internal::CompiledRuleSet& compiled() const noexcept { return *impl_; }
  std::shared_ptr<const internal::CompiledRuleSet> shared() const noexcept {
    return impl_;
  }

 private:
  explicit RuleSet(std::shared_ptr<const internal::CompiledRuleSet> impl)
      : impl_(std::move(impl)) {}
  friend struct internal::CompiledRuleSet;
  std::shared_ptr<const internal::CompiledRuleSet> impl_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_RULE_SET_H_
