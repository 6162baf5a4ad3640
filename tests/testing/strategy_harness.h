// StrategyHarness: runs one compiled step of a RuleSet against a lead, with
// a fake StepContext whose rep status the test controls. For unit tests of
// filters and resolvers; pickers are best tested through a Router.
#ifndef LEADROUTE_TESTS_TESTING_STRATEGY_HARNESS_H_
#define LEADROUTE_TESTS_TESTING_STRATEGY_HARNESS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "leadroute/account_directory.h"
#include "leadroute/lead.h"
#include "leadroute/rule_set.h"
#include "leadroute/state_store.h"
#include "leadroute/strategy.h"

namespace leadroute::testing {

// A StepContext whose presence and loads are set by the test. Claim goes to
// a real in-memory StateStore so pickers can run too.
class FakeStepContext final : public StepContext {
 public:
  FakeStepContext(const Roster& roster, AccountDirectory accounts)
      : roster_(&roster),
        accounts_(std::move(accounts)),
        store_(NewInMemoryStateStore()) {
    (void)store_->Attach(roster);
  }

  void SetPresence(std::string_view rep_id, Presence presence) {
    status_[std::string(rep_id)].presence = presence;
  }
  void SetOpen(std::string_view rep_id, int32_t open) {
    status_[std::string(rep_id)].open = open;
  }
  void set_lead_id(std::string id) { lead_id_ = std::move(id); }
  int claims() const { return claims_; }

  const Roster& roster() const noexcept override { return *roster_; }
  const AccountDirectory& accounts() const noexcept override {
    return accounts_;
  }
  RepStatus Status(RepIndex rep) const noexcept override {
    auto it = status_.find(roster_->id(rep));
    return it == status_.end() ? RepStatus{} : it->second;
  }
  RepIndex Claim(const CandidateSet& candidates,
                 const ClaimPolicy& policy) noexcept override {
    ++claims_;
    Assignment draft;
    draft.lead_id = lead_id_;
    draft.rule_id = "test";
    ClaimRequest request;
    request.roster = roster_;
    request.candidates = &candidates;
    request.policy = policy;
    request.rotation = "test";
    request.decision = &draft;
    ClaimResult result = store_->Claim(request);
    return result.outcome == ClaimResult::Outcome::kClaimed ? result.rep
                                                            : kNoRep;
  }
  std::string_view rule_id() const noexcept override { return "test"; }

 private:
  const Roster* roster_;
  AccountDirectory accounts_;
  std::unique_ptr<StateStore> store_;
  std::map<std::string, RepStatus, std::less<>> status_;
  std::string lead_id_ = "lead";
  int claims_ = 0;
};

class StrategyHarness {
 public:
  // Compiles `config`; a non-OK Result carries the compile errors.
  static Result<StrategyHarness> Create(RuleSetConfig config,
                                        AccountDirectory accounts = {}) {
    auto rules = RuleSet::Compile(std::move(config));
    if (!rules.ok()) return rules.status();
    return StrategyHarness(std::move(rules).value(), std::move(accounts));
  }

  struct Outcome {
    StepResult result;
    CandidateSet candidates;
    const Roster* roster;
    // The ids of the remaining candidates, in roster order.
    std::vector<std::string> ids() const {
      std::vector<std::string> out;
      candidates.ForEach([&](RepIndex i) { out.push_back(roster->id(i)); });
      return out;
    }
    // The id of the resolved or claimed rep, or "" when none.
    std::string owner() const {
      return result.rep == kNoRep ? std::string() : roster->id(result.rep);
    }
  };

  // Runs step `step` of rule `rule` on `lead`, starting from `start` (by
  // default the rule's pool).
  Outcome Apply(const Lead& lead, size_t rule = 0, size_t step = 0,
                std::optional<CandidateSet> start = std::nullopt) {
    const internal::CompiledRuleSet& compiled = rules_.compiled();
    const internal::CompiledRule& r = compiled.rules.at(rule);
    CandidateSet candidates = start ? *start : r.pool;
    std::vector<const Value*> slots(compiled.fields.size(), nullptr);
    for (const auto& [name, value] : lead.fields()) {
      if (auto slot = compiled.fields.Find(name)) slots[*slot] = &value;
    }
    LeadView view(lead, slots);
    ctx_->set_lead_id(lead.id());
    StepResult result =
        r.steps.at(step).strategy->Apply(view, candidates, *ctx_);
    return Outcome{result, std::move(candidates), &roster()};
  }

  // All reps of the roster, for `start`.
  CandidateSet Everyone() const { return CandidateSet(roster().size(), true); }
  // A set holding exactly the reps named.
  CandidateSet Only(const std::vector<std::string>& ids) const {
    CandidateSet set(roster().size());
    for (const auto& id : ids) set.set(roster().Find(id));
    return set;
  }

  const RuleSet& rules() const { return rules_; }
  const Roster& roster() const { return rules_.roster(); }
  const Strategy& strategy(size_t rule = 0, size_t step = 0) const {
    return *rules_.compiled().rules.at(rule).steps.at(step).strategy;
  }
  FakeStepContext& context() { return *ctx_; }

 private:
  StrategyHarness(RuleSet rules, AccountDirectory accounts)
      : rules_(std::move(rules)),
        ctx_(std::make_unique<FakeStepContext>(rules_.roster(),
                                               std::move(accounts))) {}

  RuleSet rules_;
  std::unique_ptr<FakeStepContext> ctx_;
};

}  // namespace leadroute::testing

#endif  // LEADROUTE_TESTS_TESTING_STRATEGY_HARNESS_H_
