// Builders shared by the tests: rules and one-step RuleSets, routers, strategy
// harnesses, accounts, and the JSON Pointer paths of configuration errors.
// Failures to build are reported as test failures (EXPECT) where they occur.
#ifndef LEADROUTE_TESTS_TESTING_BUILDERS_H_
#define LEADROUTE_TESTS_TESTING_BUILDERS_H_

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/router.h"
#include "leadroute/rule_set.h"
#include "leadroute/status.h"
#include "leadroute/testing.h"
#include "testing/strategy_harness.h"

namespace leadroute::testing {

// A rule with `id` and `steps` (designated initialisers of Rule trip g++ 12's
// -Wmissing-field-initializers).
inline Rule MakeRule(std::string id, std::vector<Step> steps, Pool pool = {},
                     Condition when = {}, std::string rotation = {}) {
  Rule rule;
  rule.id = std::move(id);
  rule.steps = std::move(steps);
  rule.pool = std::move(pool);
  rule.when = std::move(when);
  rule.rotation = std::move(rotation);
  return rule;
}

// `reps` and one rule, `rule_id`, whose only step is `step`; the fallback
// is the queue "inbox".
inline RuleSetBuilder OneStepRules(std::vector<Rep> reps, Step step,
                                   std::string rule_id = "r") {
  RuleSetBuilder builder;
  for (Rep& rep : reps) builder.Rep(std::move(rep));
  builder.Rule(MakeRule(std::move(rule_id), {std::move(step)}))
      .FallbackQueue("inbox");
  return builder;
}

// `OneStepRules` with every team a rep names declared.
inline RuleSetConfig OneStepConfig(std::vector<Rep> reps, Step step,
                                   std::string rule_id = "r") {
  RuleSetBuilder builder =
      OneStepRules(std::move(reps), std::move(step), std::move(rule_id));
  return builder.AutoTeams().config();
}

// The compiled RuleSet; a compile error fails the test (and aborts).
inline RuleSet MakeRules(const RuleSetBuilder& builder) {
  auto rules = builder.Build();
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return std::move(rules).value();
}

inline Router MakeRouter(const RuleSetBuilder& builder) {
  auto router = Router::Create(MakeRules(builder));
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

// The owner id of `lead`, or "error: <status>" when routing fails.
inline std::string Owner(Router& router, const Lead& lead) {
  auto a = router.Route(lead);
  return a.ok() ? a->owner.id : "error: " + a.status().ToString();
}
inline std::string Owner(Router& router, const std::string& lead_id) {
  return Owner(router, MakeLead(lead_id));
}

// Routes `n` fresh leads named prefix0, prefix1, ... and returns the owners.
inline std::vector<std::string> RouteMany(Router& router, int n,
                                          const std::string& prefix = "L") {
  std::vector<std::string> owners;
  for (int i = 0; i < n; ++i) {
    owners.push_back(Owner(router, prefix + std::to_string(i)));
  }
  return owners;
}

// The JSON Pointer path of each error, in order.
inline std::vector<std::string> Paths(std::span<const ConfigError> errors) {
  std::vector<std::string> paths;
  for (const ConfigError& e : errors) paths.push_back(e.path);
  return paths;
}
inline std::vector<std::string> Paths(const Status& status) {
  return Paths(status.errors());
}

// The errors of compiling `config`; compiling must fail.
inline std::vector<ConfigError> CompileErrors(const RuleSetConfig& config) {
  auto rules = RuleSet::Compile(config);
  EXPECT_FALSE(rules.ok());
  if (rules.ok()) return {};
  auto errors = rules.status().errors();
  return {errors.begin(), errors.end()};
}

// A harness for the first step of `config`, which must compile.
inline StrategyHarness MakeHarness(RuleSetConfig config,
                                   AccountDirectory accounts = {}) {
  auto harness =
      StrategyHarness::Create(std::move(config), std::move(accounts));
  EXPECT_TRUE(harness.ok()) << harness.status().ToString();
  return std::move(harness).value();
}
inline StrategyHarness MakeHarness(std::vector<Rep> reps, Step step) {
  return MakeHarness(OneStepConfig(std::move(reps), std::move(step)));
}

// An account named after its id.
inline Account MakeAccount(std::string id,
                           std::vector<std::string> domains = {},
                           std::string parent = "", std::string owner = "") {
  Account a;
  a.id = std::move(id);
  a.name = a.id;
  a.domains = std::move(domains);
  a.parent = std::move(parent);
  a.owner = std::move(owner);
  return a;
}

}  // namespace leadroute::testing

#endif  // LEADROUTE_TESTS_TESTING_BUILDERS_H_
