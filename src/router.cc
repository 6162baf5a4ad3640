// The rule chain (DESIGN.md §1, §3): narrow through each rule's steps, claim
// one rep atomically in the StateStore, fall back when nothing yields.
#include "leadroute/router.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "log.h"
#include "time/schedule.h"

LEADROUTE_NAMESPACE_BEGIN
namespace {

using internal::CompiledRule;
using internal::CompiledRuleSet;
using internal::CompiledStep;

constexpr std::string_view kDefaultPicker = "round_robin";
constexpr std::string_view kFallback = "fallback";
constexpr std::string_view kCreatedAt = "created_at";

// What the Router holds for one generation.
struct Snapshot {
  std::shared_ptr<const CompiledRuleSet> rules;
  AccountDirectory accounts;
  uint64_t generation = 0;
};

// Per-thread buffers reused across routes so the narrow phase allocates
// nothing in steady state.
struct Scratch {
  std::vector<const Value*> slots;
  CandidateSet candidates;
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
       Scratch& scratch, Instant now)
      : snapshot_(snapshot),
        rules_(*snapshot.rules),
        state_(state),
        scratch_(scratch),
        view_(lead, BindSlots(lead, *snapshot.rules, scratch)),
        now_(now) {
    draft_.lead_id = lead.id();
    draft_.generation = snapshot.generation;
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

  void Supersede(Assignment existing) {
    superseded_ = true;
    draft_ = std::move(existing);
    draft_.repeated = true;
  }

  // Runs one rule whose `when` holds. The loop index `j` is the next step;
  // `j == steps.size()` is the implicit round robin when no picker ran.
  RuleEnd RunRule(const CompiledRule& rule) noexcept {
    CandidateSet& candidates = scratch_.candidates;
    candidates = rule.pool;
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
      candidates = rule.pool;
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
  bool superseded_ = false;
  bool fallback_requested_ = false;
  Assignment draft_;
  Instant now_;
};

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

}  // namespace

struct Router::Impl {
  Impl(std::shared_ptr<StateStore> state_store, RouterOptions& options)
      : state(std::move(state_store)),
        clock(options.clock != nullptr ? std::move(options.clock)
                                       : SystemClock()),
        log(options.log_level, std::move(options.log_sink)) {}

  std::shared_ptr<const Snapshot> Load() const noexcept {
    return snapshot.load(std::memory_order_acquire);
  }
  void Publish(std::shared_ptr<const Snapshot> next) noexcept {
    snapshot.store(std::move(next), std::memory_order_release);
  }

  std::shared_ptr<StateStore> state;
  std::shared_ptr<const Clock> clock;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot;
  std::mutex update_mutex;  // serialises Update/SetAccounts
  internal::Log log;
};

Result<Router> Router::Create(RuleSet rules, RouterOptions options) {
  std::shared_ptr<StateStore> state = options.state;
  if (state == nullptr) state = NewInMemoryStateStore();
  Status attached = state->Attach(rules.roster());
  if (!attached.ok()) return attached;
  auto impl = std::make_unique<Impl>(std::move(state), options);
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->rules = rules.shared();
  snapshot->accounts = std::move(options.accounts);
  snapshot->generation = 1;
  impl->Publish(std::move(snapshot));
  impl->log.Write(
      LogLevel::kInfo, "router created: {} reps, {} rules, config {}",
      rules.roster().size(), rules.config().rules.size(), rules.hash());
  return Router(std::move(impl));
}

Router::Router(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;
Router::~Router() = default;

Result<Assignment> Router::Route(const Lead& lead) noexcept {
  if (lead.id().empty()) {
    return Status::InvalidArgument("the lead has no id");
  }
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  StateStore& state = *impl_->state;
  if (std::optional<Assignment> existing = state.Find(lead.id())) {
    existing->repeated = true;
    return std::move(*existing);
  }
  Trip trip(*snapshot, state, lead, ThreadScratch(),
            RoutingInstant(lead, *impl_->clock));
  trip.Run();
  return std::move(trip.result());
}

Status Router::Release(std::string_view lead_id) noexcept {
  Result<Assignment> released = impl_->state->Release(lead_id);
  if (!released.ok()) return released.status();
  return Status();
}

Status Router::SetPresence(std::string_view rep_id,
                           Presence presence) noexcept {
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  if (snapshot->rules->roster->Find(rep_id) == kNoRep) {
    return Status::NotFound("unknown rep \"" + std::string(rep_id) + "\"");
  }
  return impl_->state->SetPresence(rep_id, presence);
}

Status Router::Update(RuleSet rules) noexcept {
  std::lock_guard<std::mutex> lock(impl_->update_mutex);
  Status attached = impl_->state->Attach(rules.roster());
  if (!attached.ok()) return attached;
  std::shared_ptr<const Snapshot> current = impl_->Load();
  auto next = std::make_shared<Snapshot>();
  next->rules = rules.shared();
  next->accounts = current->accounts;
  next->generation = current->generation + 1;
  impl_->Publish(std::move(next));
  impl_->log.Write(LogLevel::kInfo, "rules updated to generation {} ({})",
                   current->generation + 1, rules.hash());
  return Status();
}

void Router::SetAccounts(AccountDirectory accounts) noexcept {
  std::lock_guard<std::mutex> lock(impl_->update_mutex);
  std::shared_ptr<const Snapshot> current = impl_->Load();
  auto next = std::make_shared<Snapshot>(*current);
  next->accounts = std::move(accounts);
  impl_->Publish(std::move(next));
}

Result<Instant> Router::NextAvailable(std::string_view rep_id,
                                      Instant t) const {
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  const CompiledRuleSet& rules = *snapshot->rules;
  RepIndex rep = rules.roster->Find(rep_id);
  if (rep == kNoRep) {
    return Status::NotFound("unknown rep \"" + std::string(rep_id) + "\"");
  }
  if (!rules.roster->rep(rep).active) {
    return Status::FailedPrecondition("rep \"" + std::string(rep_id) +
                                      "\" is inactive");
  }
  if (std::optional<Instant> next = rules.schedules[rep].Next(t)) return *next;
  return Status::NotFound("rep \"" + std::string(rep_id) +
                          "\" has no working time in the next 400 days");
}

std::optional<Assignment> Router::Find(std::string_view lead_id) const {
  return impl_->state->Find(lead_id);
}

RuleSet Router::rules() const noexcept {
  return internal::CompiledRuleSet::Wrap(impl_->Load()->rules);
}

uint64_t Router::generation() const noexcept {
  return impl_->Load()->generation;
}

StateStore& Router::state() const noexcept { return *impl_->state; }

LEADROUTE_NAMESPACE_END
