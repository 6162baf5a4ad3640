// The rule chain (DESIGN.md §1, §3): narrow through each rule's steps, claim
// one rep atomically in the StateStore, fall back when nothing yields.
#include "trip.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "time/schedule.h"

namespace leadroute::internal {
namespace {

constexpr std::string_view kDefaultPicker = "round_robin";
constexpr std::string_view kFallback = "fallback";
constexpr std::string_view kCreatedAt = "created_at";

// Per-thread buffers reused across routes so the narrow phase allocates
// nothing in steady state.
struct Scratch {
  std::vector<const Value*> slots;
  CandidateSet candidates;
  CandidateSet excluded;  // TripOptions::excluded as a set
  std::vector<char> relaxed;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

enum class RuleEnd : uint8_t { kOwner, kNextRule, kFallback, kSuperseded };

// One lead's trip through the chain; the StepContext the steps see.
class Trip final : public StepContext {
 public:
  Trip(const Snapshot& snapshot, StateStore& state, const Lead& lead,
       Scratch& scratch, Instant now, const TripOptions& options)
      : snapshot_(snapshot),
        rules_(*snapshot.rules),
        state_(state),
        scratch_(scratch),
        view_(lead, BindSlots(lead, *snapshot.rules, scratch)),
        now_(now) {
    draft_.lead_id = lead.id();
    draft_.generation = snapshot.generation;
    draft_.routed_at = now;
    if (!options.excluded.empty()) {
      scratch_.excluded = CandidateSet(rules_.roster->size());
      for (const std::string& id : options.excluded) {
        RepIndex rep = rules_.roster->Find(id);
        if (rep != kNoRep) {
          scratch_.excluded.set(rep);
          has_excluded_ = true;
        }
      }
    }
  }

  // Walks the rules; the decision is in `result()` afterwards.
  void Run() noexcept {
    for (const CompiledRule& rule : rules_.rules) {
      if (!rule.active.Contains(now_) || !rule.when.Evaluate(view_)) continue;
      rule_ = &rule;
      switch (RunRule(rule)) {
        case RuleEnd::kOwner:
        case RuleEnd::kSuperseded:
          return;
        case RuleEnd::kFallback:
          Fallback(rule.id);
          return;
        case RuleEnd::kNextRule:
          break;
      }
    }
    rule_ = nullptr;
    Fallback("");
  }

  Assignment& result() noexcept { return draft_; }

  // StepContext.
  const Roster& roster() const noexcept override { return *rules_.roster; }
  const AccountDirectory& accounts() const noexcept override {
    return snapshot_.accounts;
  }
  RepStatus Status(RepIndex rep) const noexcept override {
    return state_.Read(*rules_.roster, rep);
  }
  RepIndex Claim(const CandidateSet& candidates,
                 const ClaimPolicy& policy) noexcept override {
    if (superseded_) return kNoRep;
    draft_.rule_id = rule_->id;
    draft_.decided_by = deciding_step_;
    draft_.fallback = false;
    ClaimRequest request;
    request.roster = rules_.roster.get();
    request.candidates = &candidates;
    request.policy = policy;
    request.rotation = rule_->rotation;
    request.seed = rule_->seed;
    request.decision = &draft_;
    request.at = now_;
    ClaimResult claim = state_.Claim(request);
    switch (claim.outcome) {
      case ClaimResult::Outcome::kClaimed:
        draft_.owner = Owner::Rep(rules_.roster->id(claim.rep));
        return claim.rep;
      case ClaimResult::Outcome::kAlreadyDecided:
        Supersede(std::move(claim.existing));
        return kNoRep;
      case ClaimResult::Outcome::kNobody:
        return kNoRep;
    }
    return kNoRep;
  }
  std::string_view rule_id() const noexcept override {
    return rule_ == nullptr ? std::string_view() : rule_->id;
  }
  Instant now() const noexcept override { return now_; }
  void RequestFallback() noexcept override { fallback_requested_ = true; }
  bool UnderTimeCaps(RepIndex rep) const noexcept override {
    return state_.UnderTimeCaps(*rules_.roster, rep, now_);
  }
  bool OnSchedule(RepIndex rep) const noexcept override {
    return rep < rules_.schedules.size() &&
           rules_.schedules[rep].Contains(now_);
  }

 private:
  static std::span<const Value* const> BindSlots(const Lead& lead,
                                                 const CompiledRuleSet& rules,
                                                 Scratch& scratch) {
    scratch.slots.assign(rules.fields.size(), nullptr);
    for (const auto& [name, value] : lead.fields()) {
      if (auto slot = rules.fields.Find(name)) scratch.slots[*slot] = &value;
    }
    return scratch.slots;
  }

  // The candidates a rule starts from: its pool less the excluded reps.
  void StartFrom(const CandidateSet& pool) noexcept {
    scratch_.candidates = pool;
    if (has_excluded_) scratch_.candidates.Subtract(scratch_.excluded);
  }

  void Supersede(Assignment existing) {
    superseded_ = true;
    draft_ = std::move(existing);
    draft_.repeated = true;
  }

  // Runs one rule whose `when` holds. The loop index `j` is the next step;
  // `j == steps.size()` is the implicit round robin when no picker ran.
  RuleEnd RunRule(const CompiledRule& rule) noexcept {
    CandidateSet& candidates = scratch_.candidates;
    StartFrom(rule.pool);
    scratch_.relaxed.assign(rule.steps.size(), 0);
    fallback_requested_ = false;
    size_t j = 0;
    while (true) {
      if (candidates.empty()) {
        if (fallback_requested_) return RuleEnd::kFallback;
        if (rule.on_empty == OnEmpty::kRelax && j > 0 && Relax(rule, j - 1)) {
          continue;
        }
        return rule.on_empty == OnEmpty::kFallback ? RuleEnd::kFallback
                                                   : RuleEnd::kNextRule;
      }
      if (j == rule.steps.size()) {
        deciding_step_ = kDefaultPicker;
        RepIndex rep = Claim(candidates, ClaimPolicy{});
        if (superseded_) return RuleEnd::kSuperseded;
        if (rep != kNoRep) return RuleEnd::kOwner;
        candidates.Clear();  // everyone at capacity: as if a filter emptied
        continue;
      }
      const CompiledStep& step = rule.steps[j];
      deciding_step_ = step.strategy_name;
      StepResult result = step.strategy->Apply(view_, candidates, *this);
      if (superseded_) return RuleEnd::kSuperseded;
      switch (result.outcome) {
        case StepResult::Outcome::kClaimed:
          if (result.rep != kNoRep && !draft_.owner.id.empty()) {
            return RuleEnd::kOwner;
          }
          candidates.Clear();
          break;  // a picker that claims nobody: retried after relaxing
        case StepResult::Outcome::kResolved:
          if (result.rep < candidates.size() && candidates.test(result.rep)) {
            RepIndex preferred = result.rep;
            ClaimPolicy policy{PickOrder::kPreference, {&preferred, 1}};
            if (Claim(candidates, policy) != kNoRep) return RuleEnd::kOwner;
            if (superseded_) return RuleEnd::kSuperseded;
          }
          ++j;  // the named owner is not eligible: the rule goes on
          break;
        case StepResult::Outcome::kPassed:
          ++j;
          break;
        case StepResult::Outcome::kNarrowed:
          // A picker that leaves the set empty could claim nobody; it runs
          // again after relaxing. A filter moves on.
          if (step.kind != StrategyKind::kPicker) ++j;
          break;
      }
    }
  }

  // Undoes the latest relaxable filter at or before `upto` not yet undone,
  // recomputes the candidates through the remaining filters, and repeats
  // until someone is left. False when nothing more can be relaxed.
  bool Relax(const CompiledRule& rule, size_t upto) noexcept {
    if (rule.steps.empty()) return false;
    CandidateSet& candidates = scratch_.candidates;
    upto = std::min(upto, rule.steps.size() - 1);
    while (true) {
      size_t undo = rule.steps.size();
      for (size_t k = upto + 1; k-- > 0;) {
        if (rule.steps[k].relaxable && !scratch_.relaxed[k]) {
          undo = k;
          break;
        }
      }
      if (undo == rule.steps.size()) return false;
      scratch_.relaxed[undo] = 1;
      StartFrom(rule.pool);
      for (size_t s = 0; s <= upto && !candidates.empty(); ++s) {
        const CompiledStep& step = rule.steps[s];
        if (step.kind != StrategyKind::kFilter || scratch_.relaxed[s]) continue;
        (void)step.strategy->Apply(view_, candidates, *this);
      }
      if (!candidates.empty()) {
        // Someone is eligible after all: an availability step that emptied
        // the set while recomputing does not send the lead to the fallback.
        fallback_requested_ = false;
        return true;
      }
    }
  }

  void Fallback(std::string_view rule_id) noexcept {
    draft_.owner = rules_.fallback;
    draft_.rule_id = rule_id;
    draft_.decided_by = kFallback;
    draft_.fallback = true;
    ClaimResult recorded = state_.Record(draft_);
    if (recorded.outcome == ClaimResult::Outcome::kAlreadyDecided) {
      Supersede(std::move(recorded.existing));
    }
  }

  const Snapshot& snapshot_;
  const CompiledRuleSet& rules_;
  StateStore& state_;
  Scratch& scratch_;
  LeadView view_;
  const CompiledRule* rule_ = nullptr;
  std::string_view deciding_step_;
  bool has_excluded_ = false;
  bool superseded_ = false;
  bool fallback_requested_ = false;
  Assignment draft_;
  Instant now_;
};

}  // namespace

Assignment RunTrip(const Snapshot& snapshot, StateStore& state,
                   const Lead& lead, Instant now,
                   const TripOptions& options) noexcept {
  Trip trip(snapshot, state, lead, ThreadScratch(), now, options);
  trip.Run();
  return std::move(trip.result());
}

// The lead's `created_at` when it is a valid RFC 3339 string, else `now`.
Instant RoutingInstant(const Lead& lead, const Clock& clock) noexcept {
  if (const Value* created = lead.Find(kCreatedAt)) {
    if (created->is_string()) {
      if (std::optional<Instant> t = ParseInstant(created->as_string())) {
        return *t;
      }
    }
  }
  return clock.Now();
}

}  // namespace leadroute::internal
