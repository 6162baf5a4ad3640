// The rule chain (DESIGN.md §1, §3): narrow through each rule's steps, claim
// one rep atomically in the StateStore, fall back when nothing yields.
#include "trip.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "compile/experiment.h"
#include "time/local_time.h"
#include "time/schedule.h"

namespace leadroute::internal {
namespace {

constexpr std::string_view kDefaultPicker = "round_robin";
constexpr std::string_view kFallback = "fallback";
constexpr std::string_view kCreatedAt = "created_at";
constexpr std::string_view kOfferDecider = "offer";
constexpr std::string_view kPoolDecider = "pool";

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

// kOffered: an offer or pool rule left the lead pending (leadroute/offer.h).
enum class RuleEnd : uint8_t {
  kOwner,
  kNextRule,
  kFallback,
  kSuperseded,
  kOffered
};

// --- Explain-only helpers: nothing below runs on a route without a trace.

// The `when` clause that fails for a lead, readably. Each field test is
// compiled on its own against a copy of the RuleSet's field table (every
// field is already interned there, so slots match the lead's), which keeps
// the semantics exactly those of CompiledCondition.
class ClauseExplainer {
 public:
  ClauseExplainer(const FieldTable& fields, const LeadView& view)
      : fields_(fields), view_(view) {}

  // The first clause of `c` that fails, e.g. `score >= 80 (was 42)`; empty
  // when `c` holds.
  std::string FirstFailing(const Condition& c) {
    if (Holds(c)) return {};
    switch (c.op) {
      case ConditionOp::kAll:
        for (const Condition& child : c.children) {
          if (!Holds(child)) return FirstFailing(child);
        }
        return {};
      case ConditionOp::kAny: {
        if (c.children.size() == 1) return FirstFailing(c.children[0]);
        std::vector<std::string> parts;
        for (const Condition& child : c.children) {
          parts.push_back(Describe(child));
        }
        return fmt::format("none of [{}]", fmt::join(parts, ", "));
      }
      default:
        return Describe(c);
    }
  }

 private:
  bool Holds(const Condition& c) {
    switch (c.op) {
      case ConditionOp::kAll:
        return std::all_of(c.children.begin(), c.children.end(),
                           [&](const Condition& x) { return Holds(x); });
      case ConditionOp::kAny:
        return std::any_of(c.children.begin(), c.children.end(),
                           [&](const Condition& x) { return Holds(x); });
      case ConditionOp::kNot:
        return c.children.size() == 1 && !Holds(c.children[0]);
      default: {
        std::vector<ConfigError> errors;
        return CompiledCondition::Compile(c, "", fields_, errors)
            .Evaluate(view_);
      }
    }
  }

  // `c` with the lead's values: `employees between 200 and 1999 (was 51)`.
  std::string Describe(const Condition& c) {
    auto join = [&](std::string_view word) {
      std::vector<std::string> parts;
      for (const Condition& child : c.children) {
        parts.push_back(Describe(child));
      }
      return fmt::format("({})", fmt::join(parts, word));
    };
    auto operand = [&](size_t k) {
      return k < c.values.size() ? c.values[k].ToJson() : std::string("?");
    };
    auto list = [&] {
      std::vector<std::string> parts;
      for (const Value& v : c.values) parts.push_back(v.ToJson());
      return fmt::format("[{}]", fmt::join(parts, ", "));
    };
    std::string test;
    switch (c.op) {
      case ConditionOp::kAll:
        return join(" and ");
      case ConditionOp::kAny:
        return join(" or ");
      case ConditionOp::kNot:
        return c.children.size() == 1 ? "not " + Describe(c.children[0])
                                      : std::string("not (?)");
      case ConditionOp::kEq:
        test = "== " + operand(0);
        break;
      case ConditionOp::kNe:
        test = "!= " + operand(0);
        break;
      case ConditionOp::kIn:
        test = "in " + list();
        break;
      case ConditionOp::kNotIn:
        test = "not in " + list();
        break;
      case ConditionOp::kGt:
        test = "> " + operand(0);
        break;
      case ConditionOp::kGte:
        test = ">= " + operand(0);
        break;
      case ConditionOp::kLt:
        test = "< " + operand(0);
        break;
      case ConditionOp::kLte:
        test = "<= " + operand(0);
        break;
      case ConditionOp::kBetween:
        test = fmt::format("between {} and {}", operand(0), operand(1));
        break;
      case ConditionOp::kExists:
        test =
            c.values.empty() || c.values[0].as_bool() ? "exists" : "is absent";
        break;
      case ConditionOp::kPrefix:
        test = "starts with " + operand(0);
        break;
      case ConditionOp::kContains:
        test = "contains " + operand(0);
        break;
    }
    const Value* was = view_.lead().Find(c.field);
    return fmt::format("{} {} (was {})", c.field, test,
                       was == nullptr ? std::string("missing") : was->ToJson());
  }

  FieldTable fields_;
  const LeadView& view_;
};

// The trace code of a filter that does not report its own reasons: the
// attribute it compares (bands compare tiers), else the step's name.
std::string_view FilterCode(std::string_view strategy) noexcept {
  if (strategy == "bands" || strategy == "score" || strategy == "deal_value") {
    return "tier";
  }
  // availability reports every other reason itself.
  if (strategy == "availability") return "inactive";
  return strategy;
}

std::string_view PickOrderCode(PickOrder order) noexcept {
  switch (order) {
    case PickOrder::kLeastRecent:
      return "least_recent";
    case PickOrder::kSmoothWeighted:
      return "smooth_weighted";
    case PickOrder::kLeastLoaded:
      return "least_loaded";
    case PickOrder::kLeastLoadedRatio:
      return "least_loaded_ratio";
    case PickOrder::kRandom:
      return "random";
    case PickOrder::kPreference:
      return "preference";
    case PickOrder::kWeightedBy:
      return "performance";
  }
  return "";
}

std::string_view RuleEndCode(RuleEnd end) noexcept {
  switch (end) {
    case RuleEnd::kOwner:
      return "owner";
    case RuleEnd::kNextRule:
      return "next_rule";
    case RuleEnd::kFallback:
      return "fallback";
    case RuleEnd::kSuperseded:
      return "superseded";
    case RuleEnd::kOffered:
      return "offered";
  }
  return "";
}

// Which time-based cap of `rep` stops it. A StateStore says only whether
// all of them hold, so with several caps set this names the one with the
// shortest period (the likeliest to be reached first).
std::string_view CapCode(const Rep& rep) noexcept {
  const Capacity& c = rep.capacity;
  std::string_view code = "window_cap";
  int shortest = std::numeric_limits<int>::max();
  auto consider = [&](bool set, int hours, std::string_view name) {
    if (set && hours < shortest) {
      shortest = hours;
      code = name;
    }
  };
  if (c.max_in_window) consider(true, c.max_in_window->hours, "window_cap");
  consider(c.max_per_day.has_value(), 24, "daily_cap");
  consider(c.max_per_week.has_value(), 24 * 7, "weekly_cap");
  consider(c.max_per_month.has_value(), 24 * 31, "monthly_cap");
  return code;
}

// Why `rep` is off its schedule at `at`: `out_of_office`, `holiday` (also
// for a block crossing midnight whose starting day is off), else
// `off_schedule` (outside its working hours).
std::string_view ScheduleCode(const Rep& rep, Instant at) {
  if (!rep.schedule) return "off_schedule";
  const Schedule& s = *rep.schedule;
  for (const OutOfOffice& o : s.out_of_office) {
    std::optional<Instant> from = ParseInstant(o.from);
    std::optional<Instant> to = ParseInstant(o.to);
    if (from && to && *from <= at && at < *to) return "out_of_office";
  }
  const std::string& zone_name =
      s.time_zone.empty() ? rep.time_zone : s.time_zone;
  const date::time_zone* zone =
      zone_name.empty() ? nullptr : FindZone(zone_name);
  const auto local = ToLocal(zone, at);
  const date::local_days today = std::chrono::floor<date::days>(local);
  const int minute = static_cast<int>((local - today).count());
  auto day_off = [&](date::local_days day) -> std::string_view {
    for (const OutOfOffice& o : s.out_of_office) {
      std::optional<date::local_days> from = ParseLocalDate(o.from);
      std::optional<date::local_days> to = ParseLocalDate(o.to);
      if (from && to && *from <= day && day <= *to) return "out_of_office";
    }
    for (const std::string& h : s.holidays) {
      if (ParseLocalDate(h) == day) return "holiday";
    }
    return {};
  };
  std::string_view today_off = day_off(today);
  if (!today_off.empty()) return today_off;
  // A block of yesterday running past midnight belongs to yesterday.
  const date::local_days yesterday = today - date::days(1);
  if (s.weekly) {
    for (const TimeBlock& b :
         (*s.weekly)[static_cast<size_t>(DayIndex(yesterday))]) {
      std::optional<int> start = ParseTimeOfDay(b.start);
      std::optional<int> end = ParseTimeOfDay(b.end);
      if (start && end && *end <= *start && minute < *end) {
        std::string_view off = day_off(yesterday);
        if (!off.empty()) return off;
      }
    }
  }
  return "off_schedule";
}

// Whether `rep` belongs to `pool` as configured, active or not.
bool InConfiguredPool(const Pool& pool, const Rep& rep) {
  if (pool.teams.empty() && pool.reps.empty()) return true;
  if (std::find(pool.reps.begin(), pool.reps.end(), rep.id) !=
      pool.reps.end()) {
    return true;
  }
  for (const std::string& team : rep.teams) {
    if (std::find(pool.teams.begin(), pool.teams.end(), team) !=
        pool.teams.end()) {
      return true;
    }
  }
  return false;
}

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
        now_(now),
        lead_(&lead),
        kept_lead_(options.keep_lead ? &lead : nullptr),
        replace_(options.replace) {
    draft_.lead_id = lead.id();
    draft_.generation = snapshot.generation;
    draft_.routed_at = now;
    dry_run_ = options.dry_run;
#ifndef LEADROUTE_NO_TRACE
    trace_ = options.trace;
#endif
    distribute_ = options.distribute;
    offer_size_ = options.offer_size;
    from_rule_ = options.from_rule;
    only_from_rule_ = options.only_from_rule;
    claim_by_ = options.claim_by;
    if (!options.only_rep.empty()) {
      only_rep_ = rules_.roster->Find(options.only_rep);
      restricted_ = true;  // an unknown rep: nobody is a candidate
    }
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
    if (trace_ != nullptr) NoteStart();
    bool forced = false;  // the rule `from_rule` names: it applies
    for (const CompiledRule& rule : rules_.rules) {
      if (!from_rule_.empty()) {
        // An offer's rule and the ones after it; that rule applies as when
        // it offered the lead.
        if (!reached_from_rule_ && rule.id != from_rule_) continue;
        forced = !reached_from_rule_;
        reached_from_rule_ = true;
      }
      const bool in_window = forced || rule.active.Contains(now_);
      const bool applies = in_window && (forced || rule.when.Evaluate(view_));
      if (trace_ != nullptr) NoteRule(rule, in_window, applies);
      if (!applies) continue;
      rule_ = &rule;
      offering_ = distribute_ == TripOptions::Distribute::kOffer ||
                  (distribute_ == TripOptions::Distribute::kByRule &&
                   rule.mode != Distribution::kPush);
      RuleEnd end = RunRule(rule);
      if (offered_ && end == RuleEnd::kOwner) end = RuleEnd::kOffered;
      if (trace_ != nullptr) NoteRuleEnd(end);
      if (only_from_rule_ &&
          (end == RuleEnd::kNextRule || end == RuleEnd::kFallback)) {
        return;  // a claim's re-check: nobody, and no fallback
      }
      switch (end) {
        case RuleEnd::kOwner:
        case RuleEnd::kSuperseded:
        case RuleEnd::kOffered:
          return;
        case RuleEnd::kFallback:
          if (trace_ != nullptr) {
            NoteFallback(fallback_requested_ ? "when_nobody" : "on_empty");
          }
          Fallback(rule.id);
          return;
        case RuleEnd::kNextRule:
          // A lead the experiment rule passes on is not in the experiment.
          draft_.variant.clear();
          break;
      }
    }
    rule_ = nullptr;
    if (only_from_rule_) return;  // the offer's rule is gone: nobody
    if (trace_ != nullptr) NoteFallback("no_rule_yielded");
    Fallback("");
  }

  // Completes the trace with the decision; empties it when building it ran
  // out of memory.
  void FinishTrace() noexcept {
    if (trace_ == nullptr) return;
    Traced([&] {
      trace_->owner = draft_.owner;
      trace_->rule_id = draft_.rule_id;
      trace_->decided_by = draft_.decided_by;
      trace_->fallback = draft_.fallback;
      trace_->offer = draft_.offer;
      trace_->variant = draft_.variant;
      if (draft_.repeated) trace_->existing = draft_;
    });
    if (trace_failed_) *trace_ = Trace{};
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
    if (offering_) return Shortlist(candidates, policy);
    draft_.rule_id = rule_->id;
    draft_.decided_by = claim_by_.empty() ? deciding_step_ : claim_by_;
    draft_.fallback = false;
    ClaimRequest request;
    request.roster = rules_.roster.get();
    request.candidates = &candidates;
    request.policy = policy;
    if (restricted_) {
      // A rep's claim: that rep or nobody, whatever the picker's order.
      request.policy = ClaimPolicy{PickOrder::kPreference, {&only_rep_, 1}};
    }
    request.rotation = rule_->rotation;
    request.seed = rule_->seed;
    request.decision = &draft_;
    request.at = now_;
    request.lead = kept_lead_;
    request.replace = replace_;
    if (trace_ != nullptr) NoteClaimStart(request);
    ClaimResult claim = dry_run_ ? PeekClaim(request) : state_.Claim(request);
    if (trace_ != nullptr) NoteClaimEnd(request, claim);
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
  OutcomeStats Outcomes(RepIndex rep,
                        std::string_view segment) const noexcept override {
    if (rep >= rules_.roster->size()) return {};
    return state_.Outcomes(rules_.roster->id(rep), segment);
  }
  bool OnSchedule(RepIndex rep) const noexcept override {
    return rep < rules_.schedules.size() &&
           rules_.schedules[rep].Contains(now_);
  }
  bool tracing() const noexcept override { return tracing_step_; }
  void Eliminate(RepIndex rep, std::string_view code) noexcept override {
    if (!tracing_step_ || rep >= codes_.size()) return;
    Traced([&] { codes_[rep] = code; });
  }
  RepIndex StickyOwner(std::string_view key, std::string_view value,
                       std::chrono::seconds window) const noexcept override {
    std::optional<StickyEntry> hit =
        state_.LookupKey(*rules_.roster, key, value);
    // An entry later than the routing instant (a lead routed by an older
    // `created_at`) counts as within the window.
    if (!hit || hit->rep >= rules_.roster->size() || now_ - hit->at > window) {
      return kNoRep;
    }
    if (tracing_step_ && sticky_match_.empty() &&
        hit->rep < scratch_.candidates.size() &&
        scratch_.candidates.test(hit->rep)) {
      try {
        sticky_match_ = fmt::format("{}={}", key, value);
      } catch (...) {
        // Out of memory: the trace goes without the note.
      }
    }
    return hit->rep;
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
    if (restricted_) {
      const bool kept =
          only_rep_ != kNoRep && scratch_.candidates.test(only_rep_);
      scratch_.candidates.Clear();
      if (kept) scratch_.candidates.set(only_rep_);
    }
  }

  // The steps of the lead's variant of an experiment rule; records the
  // variant in the decision.
  const std::vector<CompiledStep>& ChooseVariant(
      const CompiledRule& rule) noexcept {
    const uint32_t bucket =
        ExperimentBucket(rule.experiment_seed, draft_.lead_id);
    const CompiledVariant* chosen = &rule.variants.back();
    for (const CompiledVariant& variant : rule.variants) {
      if (bucket < variant.upper) {
        chosen = &variant;
        break;
      }
    }
    draft_.variant = chosen->label;
    if (trace_ != nullptr) {
      Traced([&] {
        trace_->rules.back().variant = chosen->label;
        trace_->rules.back().bucket = bucket;
      });
    }
    return chosen->steps;
  }

  // The step list of the rule running: its own, or its experiment
  // variant's.
  const std::vector<CompiledStep>& Steps() const noexcept { return *steps_; }

  void Supersede(Assignment existing) {
    superseded_ = true;
    draft_ = std::move(existing);
    draft_.repeated = true;
  }

  // Runs one rule whose `when` holds. The loop index `j` is the next step;
  // `j == steps.size()` is the implicit round robin when no picker ran.
  RuleEnd RunRule(const CompiledRule& rule) noexcept {
    CandidateSet& candidates = scratch_.candidates;
    steps_ = rule.variants.empty() ? &rule.steps : &ChooseVariant(rule);
    StartFrom(rule.pool);
    if (trace_ != nullptr) NotePool(rule);
    scratch_.relaxed.assign(Steps().size(), 0);
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
      if (j == Steps().size()) {
        deciding_step_ = kDefaultPicker;
        RepIndex rep = trace_ == nullptr ? Claim(candidates, ClaimPolicy{})
                                         : TracedDefaultClaim(rule);
        if (superseded_) return RuleEnd::kSuperseded;
        if (rep != kNoRep) return RuleEnd::kOwner;
        candidates.Clear();  // everyone at capacity: as if a filter emptied
        continue;
      }
      const CompiledStep& step = Steps()[j];
      deciding_step_ = step.strategy_name;
      StepResult result = trace_ == nullptr
                              ? step.strategy->Apply(view_, candidates, *this)
                              : TracedApply(j);
      if (superseded_) return RuleEnd::kSuperseded;
      switch (result.outcome) {
        case StepResult::Outcome::kClaimed:
          if (result.rep != kNoRep && (!draft_.owner.id.empty() || offered_)) {
            return RuleEnd::kOwner;
          }
          candidates.Clear();
          break;  // a picker that claims nobody: retried after relaxing
        case StepResult::Outcome::kResolved:
          if (result.rep < candidates.size() && candidates.test(result.rep)) {
            RepIndex preferred = result.rep;
            ClaimPolicy policy{PickOrder::kPreference, {&preferred, 1}};
            RepIndex claimed = Claim(candidates, policy);
            if (trace_ != nullptr) NoteResolved(result.rep, true, claimed);
            if (claimed != kNoRep) return RuleEnd::kOwner;
            if (superseded_) return RuleEnd::kSuperseded;
          } else if (trace_ != nullptr) {
            NoteResolved(result.rep, false, kNoRep);
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
    if (Steps().empty()) return false;
    CandidateSet& candidates = scratch_.candidates;
    upto = std::min(upto, Steps().size() - 1);
    while (true) {
      size_t undo = Steps().size();
      for (size_t k = upto + 1; k-- > 0;) {
        if (Steps()[k].relaxable && !scratch_.relaxed[k]) {
          undo = k;
          break;
        }
      }
      if (undo == Steps().size()) return false;
      scratch_.relaxed[undo] = 1;
      StartFrom(rule.pool);
      for (size_t s = 0; s <= upto && !candidates.empty(); ++s) {
        const CompiledStep& step = Steps()[s];
        if (step.kind != StrategyKind::kFilter || scratch_.relaxed[s]) continue;
        (void)step.strategy->Apply(view_, candidates, *this);
      }
      if (trace_ != nullptr) NoteRelax(undo);
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
    // Explain records nothing; nor does Router::Offer, which reports nobody.
    if (dry_run_ || distribute_ == TripOptions::Distribute::kOffer) return;
    ClaimResult recorded = state_.Record(draft_, kept_lead_, replace_);
    if (recorded.outcome == ClaimResult::Outcome::kAlreadyDecided) {
      Supersede(std::move(recorded.existing));
    }
  }

  // Tracing: runs only with a trace (trace_ != nullptr). Building the trace
  // allocates; Traced() turns running out of memory into an empty trace
  // (FinishTrace), never a throw.
  template <typename Fn>
  void Traced(Fn&& fn) noexcept {
    if (trace_failed_) return;
    try {
      fn();
    } catch (...) {
      trace_failed_ = true;
    }
  }

  std::string RepId(RepIndex rep) const {
    return std::string(rules_.roster->id(rep));
  }
  size_t RuleIndex(const CompiledRule& rule) const noexcept {
    return static_cast<size_t>(&rule - rules_.rules.data());
  }
  TraceStep* LastStep() noexcept {
    if (trace_->rules.empty() || trace_->rules.back().steps.empty()) {
      return nullptr;
    }
    return &trace_->rules.back().steps.back();
  }

  void NoteStart() noexcept {
    Traced([&] {
      trace_->lead_id = draft_.lead_id;
      trace_->at = now_;
      trace_->generation = draft_.generation;
      trace_->config_hash = rules_.hash;
      trace_->dry_run = dry_run_;
      codes_.assign(rules_.roster->size(), std::string());
    });
  }

  void NoteRule(const CompiledRule& rule, bool in_window,
                bool applies) noexcept {
    Traced([&] {
      const size_t index = RuleIndex(rule);
      leadroute::TraceRule& tried = trace_->rules.emplace_back();
      tried.id = rule.id;
      tried.path = fmt::format("/rules/{}", index);
      if (!in_window) {
        tried.status = "outside_window";
      } else if (!applies) {
        tried.status = "condition_false";
        // One per trip: it copies the RuleSet's field table.
        if (!explainer_) explainer_.emplace(rules_.fields, view_);
        tried.failed_clause =
            explainer_->FirstFailing(rules_.config.rules[index].when);
      } else {
        tried.status = "matched";
      }
    });
  }

  void NoteRuleEnd(RuleEnd end) noexcept {
    Traced([&] {
      if (!trace_->rules.empty())
        trace_->rules.back().outcome = RuleEndCode(end);
    });
  }

  void NoteFallback(std::string_view reason) noexcept {
    Traced([&] { trace_->fallback_reason = reason; });
  }

  // The candidates the rule starts from, and why each other rep is not.
  void NotePool(const CompiledRule& rule) noexcept {
    Traced([&] {
      const size_t index = RuleIndex(rule);
      const Pool& pool = rules_.config.rules[index].pool;
      const CandidateSet& candidates = scratch_.candidates;
      TraceStep& event = trace_->rules.back().steps.emplace_back();
      event.action = "pool";
      event.index = Steps().size();
      event.strategy = "pool";
      event.kind = "pool";
      event.path = fmt::format("/rules/{}/pool", index);
      event.before = rules_.roster->size();
      event.after = candidates.count();
      event.outcome = "narrowed";
      for (RepIndex i = 0; i < rules_.roster->size(); ++i) {
        if (candidates.test(i)) continue;
        const Rep& rep = rules_.roster->rep(i);
        std::string_view code = "not_in_pool";
        if (rule.pool.test(i)) {
          code = "excluded";
        } else if (!rep.active && InConfiguredPool(pool, rep)) {
          code = "inactive";
        }
        event.eliminated.push_back({rep.id, std::string(code)});
      }
    });
  }

  // Why a claim could not take `rep`: its max_open, else a time-based cap.
  std::string_view ClaimFailCode(RepIndex rep) const noexcept {
    const Rep& config = rules_.roster->rep(rep);
    if (config.capacity.max_open &&
        Status(rep).open >= *config.capacity.max_open) {
      return "at_capacity";
    }
    if (!UnderTimeCaps(rep)) return CapCode(config);
    return "at_capacity";  // another route filled it since
  }

  // The reason code for `rep`, removed by the step just run.
  std::string_view EliminationCode(RepIndex rep, std::string_view strategy,
                                   StrategyKind kind) const {
    const std::string& reported = codes_[rep];
    if (reported == "off_schedule") {
      return ScheduleCode(rules_.roster->rep(rep), now_);
    }
    if (reported == "time_cap") return CapCode(rules_.roster->rep(rep));
    if (!reported.empty()) return reported;
    if (kind == StrategyKind::kPicker) return ClaimFailCode(rep);
    return FilterCode(strategy);
  }

  // Prepares for a traced step: remembers the candidates before it.
  void BeginStep(CandidateSet& before) noexcept {
    Traced([&] {
      before = scratch_.candidates;
      std::fill(codes_.begin(), codes_.end(), std::string());
      pick_.reset();
    });
  }

  // Appends the "apply" event of a step that took the candidates from
  // `before` to the current ones.
  void NoteApply(size_t index, std::string_view strategy, StrategyKind kind,
                 std::string_view path, const CandidateSet& before,
                 std::string_view outcome, RepIndex resolved) noexcept {
    Traced([&] {
      const CandidateSet& after = scratch_.candidates;
      TraceStep& event = trace_->rules.back().steps.emplace_back();
      event.action = "apply";
      event.index = index;
      event.strategy = strategy;
      event.kind = StrategyKindName(kind);
      event.path = path;
      event.before = before.count();
      event.after = after.count();
      event.outcome = outcome;
      if (resolved < rules_.roster->size()) event.resolved = RepId(resolved);
      before.ForEach([&](RepIndex i) {
        if (after.test(i)) return;
        event.eliminated.push_back(
            {RepId(i), std::string(EliminationCode(i, strategy, kind))});
      });
      event.pick = std::move(pick_);
      pick_.reset();
    });
  }

  StepResult TracedApply(size_t j) noexcept {
    const CompiledStep& step = Steps()[j];
    CandidateSet before;
    BeginStep(before);
    tracing_step_ = !trace_failed_;
    StepResult result = step.strategy->Apply(view_, scratch_.candidates, *this);
    tracing_step_ = false;
    std::string_view outcome;
    switch (result.outcome) {
      case StepResult::Outcome::kNarrowed:
        outcome = step.kind == StrategyKind::kPicker ? "nobody" : "narrowed";
        break;
      case StepResult::Outcome::kPassed:
        outcome = "passed";
        break;
      case StepResult::Outcome::kResolved:
        outcome = "resolved";
        break;
      case StepResult::Outcome::kClaimed:
        outcome = result.rep != kNoRep && !draft_.owner.id.empty() ? "claimed"
                                                                   : "nobody";
        break;
    }
    if (superseded_) outcome = "superseded";
    if (offered_) outcome = "offered";
    NoteApply(
        j, step.strategy_name, step.kind, step.path, before, outcome,
        result.outcome == StepResult::Outcome::kResolved ? result.rep : kNoRep);
    NoteStickyMatch(result);
    return result;
  }

  // A `sticky` step that named its rep: which key matched ("domain=acme.com")
  // in the step's note, unless NoteResolved replaces it by why the claim
  // failed.
  void NoteStickyMatch(const StepResult& result) noexcept {
    if (sticky_match_.empty()) return;
    if (result.outcome == StepResult::Outcome::kResolved) {
      Traced([&] {
        if (TraceStep* event = LastStep()) event->note = sticky_match_;
      });
    }
    sticky_match_.clear();
  }

  // The implicit round robin of a rule whose steps have no picker.
  RepIndex TracedDefaultClaim(const CompiledRule& rule) noexcept {
    CandidateSet before;
    BeginStep(before);
    RepIndex rep = Claim(scratch_.candidates, ClaimPolicy{});
    std::string_view outcome = "claimed";
    if (superseded_) {
      outcome = "superseded";
    } else if (offered_) {
      outcome = "offered";
    } else if (rep == kNoRep) {
      outcome = "nobody";
      scratch_.candidates.Clear();  // as RunRule does next
    }
    NoteApply(Steps().size(), kDefaultPicker, StrategyKind::kPicker,
              fmt::format("/rules/{}", RuleIndex(rule)), before, outcome,
              kNoRep);
    return rep;
  }

  // A resolver named `named`: whether it was a candidate and who the claim
  // took (kNoRep: nobody).
  void NoteResolved(RepIndex named, bool candidate, RepIndex claimed) noexcept {
    Traced([&] {
      TraceStep* event = LastStep();
      if (event == nullptr) return;
      if (superseded_) {
        event->outcome = "superseded";
      } else if (offered_) {
        event->outcome = "offered";
      } else if (claimed != kNoRep) {
        event->outcome = "claimed";
      } else if (!candidate) {
        event->note = "not_a_candidate";
      } else {
        event->note = ClaimFailCode(named);
      }
      if (pick_) event->pick = std::move(pick_);
      pick_.reset();
    });
  }

  void NoteRelax(size_t undone) noexcept {
    Traced([&] {
      const CompiledStep& step = Steps()[undone];
      TraceStep& event = trace_->rules.back().steps.emplace_back();
      event.action = "relax";
      event.index = undone;
      event.strategy = step.strategy_name;
      event.kind = StrategyKindName(step.kind);
      event.path = step.path;
      event.before = 0;  // a rule relaxes when its candidates ran out
      event.after = scratch_.candidates.count();
      event.outcome = "relaxed";
    });
  }

  // The rep the claim `request` would take with `chosen` removed.
  std::string RunnerUp(const ClaimRequest& request, RepIndex chosen) const {
    if (chosen == kNoRep || request.candidates == nullptr ||
        request.policy.order == PickOrder::kPreference) {
      return {};
    }
    CandidateSet rest = *request.candidates;
    rest.reset(chosen);
    ClaimRequest without = request;
    without.candidates = &rest;
    RepIndex next = state_.Peek(without);
    return next == kNoRep ? std::string() : RepId(next);
  }

  // Before a claim: what it is expected to pick and the runner-up, both
  // looked up before the claim changes the rotation.
  void NoteClaimStart(const ClaimRequest& request) noexcept {
    Traced([&] {
      pick_.emplace();
      pick_->order =
          request.policy.catch_up &&
                  (request.policy.order == PickOrder::kLeastRecent ||
                   request.policy.order == PickOrder::kSmoothWeighted)
              ? std::string_view("catch_up")
              : PickOrderCode(request.policy.order);
      expected_ = state_.Peek(request);
      pick_->runner_up = RunnerUp(request, expected_);
    });
  }

  void NoteClaimEnd(const ClaimRequest& request,
                    const ClaimResult& claim) noexcept {
    Traced([&] {
      if (!pick_ || claim.outcome != ClaimResult::Outcome::kClaimed) return;
      pick_->rep = RepId(claim.rep);
      // Another route claimed in between: name the runner-up of this pick.
      if (claim.rep != expected_)
        pick_->runner_up = RunnerUp(request, claim.rep);
    });
  }

  // Where a push would claim: ranks up to the shortlist size of eligible
  // reps by successive Peeks (each without the reps already ranked, so caps
  // and the picker's order apply as for a claim), keeps the lead pending in
  // the store and returns the first rep (kNoRep: nobody, as an empty
  // candidate set). Allocates; runs only for offer and pool rules.
  RepIndex Shortlist(const CandidateSet& candidates,
                     const ClaimPolicy& policy) noexcept {
    try {
      const bool pool = distribute_ == TripOptions::Distribute::kByRule &&
                        rule_->mode == Distribution::kPool;
      size_t limit = rules_.roster->size();
      if (distribute_ == TripOptions::Distribute::kOffer) {
        limit = static_cast<size_t>(std::max(offer_size_, 0));
      } else if (!pool) {
        limit = static_cast<size_t>(rule_->offer.size);
      }
      // A resolver's named owner is a shortlist of one: Peek in preference
      // order ignores the candidates.
      if (policy.order == PickOrder::kPreference)
        limit = std::min<size_t>(limit, 1);
      OfferInfo info;
      info.mode = pool ? Distribution::kPool : Distribution::kOffer;
      info.offered_at = now_;
      if (!pool) info.expires_at = now_ + rule_->offer.expires_after;
      CandidateSet rest = candidates;
      ClaimRequest request;
      request.roster = rules_.roster.get();
      request.candidates = &rest;
      request.policy = policy;
      request.rotation = rule_->rotation;
      request.seed = rule_->seed;
      request.decision = &draft_;
      request.at = now_;
      RepIndex first = kNoRep;
      while (info.reps.size() < limit) {
        const RepIndex rep = state_.Peek(request);
        if (rep == kNoRep || rep >= rest.size() || !rest.test(rep)) break;
        if (first == kNoRep) first = rep;
        info.reps.push_back(RepId(rep));
        rest.reset(rep);
      }
      if (trace_ != nullptr) {
        Traced([&] {
          pick_.emplace();
          pick_->order = PickOrderCode(policy.order);
          pick_->shortlist = info.reps;
        });
      }
      if (first == kNoRep) return kNoRep;
      draft_.owner = Owner{};
      draft_.rule_id = rule_->id;
      draft_.decided_by = pool ? kPoolDecider : kOfferDecider;
      draft_.fallback = false;
      draft_.offer = std::move(info);
      if (!dry_run_) {
        Result<PendingResult> added = state_.AddPending(draft_, *lead_);
        if (!added.ok()) {
          // A store that keeps no offers: as if nobody were eligible.
          draft_.offer.reset();
          return kNoRep;
        }
        switch (added->outcome) {
          case PendingResult::Outcome::kAdded:
            draft_.offer = std::move(added->pending.decision.offer);
            break;
          case PendingResult::Outcome::kAlreadyPending:
            Supersede(std::move(added->pending.decision));
            return kNoRep;
          case PendingResult::Outcome::kAlreadyDecided:
            Supersede(std::move(added->existing));
            return kNoRep;
        }
      }
      offered_ = true;
      return first;
    } catch (...) {
      draft_.offer.reset();
      return kNoRep;
    }
  }

  // Router::Explain's claim: the rep Claim would pick, with no state change.
  ClaimResult PeekClaim(const ClaimRequest& request) const noexcept {
    ClaimResult result;
    result.rep = state_.Peek(request);
    if (result.rep != kNoRep) result.outcome = ClaimResult::Outcome::kClaimed;
    return result;
  }

  // Tracing state; untouched by a route without a trace.
#ifdef LEADROUTE_NO_TRACE
  // A build without trace support (CMake LEADROUTE_TRACE=OFF), only to
  // measure the trace branches: every `trace_ != nullptr` folds away.
  static constexpr Trace* trace_ = nullptr;
#else
  Trace* trace_ = nullptr;
#endif
  bool dry_run_ = false;
  bool tracing_step_ = false;       // inside a traced filter's Apply
  bool trace_failed_ = false;       // building the trace ran out of memory
  std::vector<std::string> codes_;  // Eliminate's codes by rep, this step
  std::optional<TracePick> pick_;   // the claim of the step being traced
  RepIndex expected_ = kNoRep;      // Peek's pick before the claim
  std::optional<ClauseExplainer> explainer_;  // built by the first NoteRule
  // StickyOwner's first match among the candidates in the traced step.
  mutable std::string sticky_match_;

  const Snapshot& snapshot_;
  const CompiledRuleSet& rules_;
  StateStore& state_;
  Scratch& scratch_;
  LeadView view_;
  const CompiledRule* rule_ = nullptr;
  const std::vector<CompiledStep>* steps_ = nullptr;  // see Steps()
  std::string_view deciding_step_;
  bool has_excluded_ = false;
  bool superseded_ = false;
  bool fallback_requested_ = false;
  Assignment draft_;
  Instant now_;
  const Lead* lead_;            // kept while pending
  const Lead* kept_lead_;       // kept in the record; null: fields not kept
  const Replacement* replace_;  // TripOptions::replace

  // Offers and pools (TripOptions; leadroute/offer.h).
  TripOptions::Distribute distribute_ = TripOptions::Distribute::kByRule;
  int offer_size_ = 0;
  std::string_view from_rule_;
  bool only_from_rule_ = false;
  bool reached_from_rule_ = false;
  std::string_view claim_by_;
  bool restricted_ = false;     // TripOptions::only_rep was given
  RepIndex only_rep_ = kNoRep;  // that rep; kNoRep when unknown
  bool offering_ = false;       // the running rule builds a shortlist
  bool offered_ = false;        // it did: `draft_.offer` is the result
};

}  // namespace

Assignment RunTrip(const Snapshot& snapshot, StateStore& state,
                   const Lead& lead, Instant now,
                   const TripOptions& options) noexcept {
  Trip trip(snapshot, state, lead, ThreadScratch(), now, options);
  trip.Run();
  trip.FinishTrace();
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
