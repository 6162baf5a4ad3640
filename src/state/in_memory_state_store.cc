// The in-memory StateStore: one process, one mutex around every state
// change, lock-free reads of presence and load for attached rosters.
//
// Layout. Live state per rep (`RepState`: open load, presence) lives in a
// node-based map keyed by rep id, so its address is stable for the life of
// the store and survives RuleSet replacement. Each attached roster gets a
// `RosterView` (RepIndex -> RepState*), built once under the mutex and then
// published through a small array of atomic pointers that `Read` scans
// without locking. Views are never freed before the store: a reader may hold
// one at any time, and this costs one pointer per rep per attached roster.
//
// Claim history. Reps with a time-based cap keep the routing instants of
// their claims (`RepState::claims`, under the rep's own small mutex so the
// availability step can count without taking the store's lock), trimmed on
// every claim to the longest window any of their caps needs plus a day (33
// days for a monthly cap) and to at most kMaxHistory entries.
//
// Rotation state (last-assigned sequence number, smooth-WRR current weight)
// is keyed by rotation key and rep id; each rotation caches RepIndex ->
// entry for the roster it last served, rebuilt when another roster claims.
//
// Lead records (decision, version, history, exclusions, the lead) are keyed
// by lead id. A replacement (reassign, transfer) builds the new record
// completely before it touches the old one, so a failed allocation changes
// nothing. Saved state goes through StateData (state/state_snapshot.h):
// LoadSnapshot builds every new structure before it takes the lock, then
// commits with moves and swaps that cannot fail. RepState objects are never
// replaced (published roster views point at them); their fields are.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leadroute/state_store.h"
#include "state/key_index.h"
#include "state/outcome_book.h"
#include "state/pending_book.h"
#include "state/state_snapshot.h"
#include "time/local_time.h"
#include "util/adaptive_mutex.h"
#include "util/text.h"

LEADROUTE_NAMESPACE_BEGIN

StateStore::~StateStore() = default;

namespace {
constexpr std::string_view kReasonNames[] = {
    "declined", "sla_missed", "owner_left", "manual", "transferred"};
}  // namespace

std::string_view ChangeReasonName(ChangeReason reason) noexcept {
  auto i = static_cast<size_t>(reason);
  return i < std::size(kReasonNames) ? kReasonNames[i] : "unknown";
}

Status UnknownLeadError(std::string_view lead_id) {
  return Status::NotFound("no decision recorded for lead \"" +
                          std::string(lead_id) + "\"");
}

std::optional<ChangeReason> ParseChangeReason(std::string_view name) noexcept {
  for (size_t i = 0; i < std::size(kReasonNames); ++i) {
    if (kReasonNames[i] == name) return static_cast<ChangeReason>(i);
  }
  return std::nullopt;
}

LEADROUTE_NAMESPACE_END

namespace leadroute::internal {
namespace {

constexpr size_t kMaxHistory = 1 << 16;
constexpr std::string_view kTransferName = "transfer";

struct RepState {
  std::atomic<int32_t> open{0};
  std::atomic<uint8_t> presence{static_cast<uint8_t>(Presence::kAvailable)};
  mutable std::mutex claims_mu;
  std::deque<Instant> claims;  // routing instants, in claim order
};

// A rep's time-based caps and the zone its days are counted in.
struct TimeCaps {
  Capacity capacity;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::chrono::milliseconds keep{0};      // history needed by the caps
};

struct RosterView {
  uint64_t uid = 0;
  std::vector<RepState*> reps;                // by RepIndex
  std::vector<std::optional<TimeCaps>> caps;  // by RepIndex; only when timed
};

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using LocalMinutes = date::local_time<std::chrono::minutes>;

// Claims in [from, to) among `claims`.
int64_t CountBetween(const std::deque<Instant>& claims, Instant from,
                     Instant to) noexcept {
  int64_t n = 0;
  for (Instant c : claims) n += (c >= from && c < to) ? 1 : 0;
  return n;
}

// Whether a claim at `at` stays within every time-based cap.
bool UnderCaps(const TimeCaps& caps, const RepState& state,
               Instant at) noexcept {
  std::lock_guard<std::mutex> lock(state.claims_mu);
  const Capacity& c = caps.capacity;
  const auto& claims = state.claims;
  auto over = [&](const std::optional<int>& cap, Instant from, Instant to) {
    return cap.has_value() && CountBetween(claims, from, to) >= *cap;
  };
  const LocalMinutes local = ToLocal(caps.zone, at);
  const date::local_days today = std::chrono::floor<date::days>(local);
  if (c.max_per_day && over(c.max_per_day, FirstAtOrAfter(caps.zone, today),
                            FirstAtOrAfter(caps.zone, today + date::days(1)))) {
    return false;
  }
  if (c.max_per_week) {
    date::local_days monday = today - date::days(DayIndex(today));
    if (over(c.max_per_week, FirstAtOrAfter(caps.zone, monday),
             FirstAtOrAfter(caps.zone, monday + date::days(7)))) {
      return false;
    }
  }
  if (c.max_per_month) {
    date::year_month_day ymd(today);
    const date::year_month month = ymd.year() / ymd.month();
    const date::local_days first(month / 1);
    const date::local_days next((month + date::months(1)) / 1);
    if (over(c.max_per_month, FirstAtOrAfter(caps.zone, first),
             FirstAtOrAfter(caps.zone, next))) {
      return false;
    }
  }
  if (c.max_in_window) {
    const auto window = hours(c.max_in_window->hours);
    int64_t n = 0;
    for (Instant claim : claims) n += (claim > at - window && claim <= at);
    if (n >= c.max_in_window->count) return false;
  }
  return true;
}

struct RotationEntry {
  uint64_t last_seq = 0;  // 0 = never assigned in this rotation
  double current = 0;     // smooth weighted round robin
  // Catch-up: claims within period `period` (ClaimPolicy::catch_up).
  int64_t period = 0;
  int64_t period_claims = 0;

  int64_t ClaimsIn(int64_t p) const noexcept {
    return period == p ? period_claims : 0;
  }
};

struct Rotation {
  std::unordered_map<std::string, RotationEntry, StringHash, std::equal_to<>>
      by_rep;
  // RepIndex -> entry for the roster `cached_uid`.
  std::optional<uint64_t> cached_uid;
  std::vector<RotationEntry*> by_index;
  // splitmix64 state for kRandom, seeded on the first draw.
  std::optional<uint64_t> rng;
};

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// A uniform double in [0, 1) from 53 random bits.
double UnitInterval(uint64_t bits) noexcept {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

class InMemoryStateStore final : public StateStore {
 public:
  std::string_view Name() const noexcept override { return "in_memory"; }

  Status Attach(const Roster& roster) noexcept override {
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      const RosterView& view = ViewLocked(roster);
      Publish(&view);
      return Status();
    } catch (...) {
      return Status::Internal("in_memory: out of memory attaching roster");
    }
  }

  RepStatus Read(const Roster& roster, RepIndex rep) const noexcept override {
    const RosterView* view = FindPublished(roster.uid());
    if (view == nullptr) {
      // Not attached: build the view once under the lock (off the hot path).
      try {
        std::lock_guard<AdaptiveMutex> lock(mu_);
        view = &ViewLocked(roster);
        Publish(view);
      } catch (...) {
        return RepStatus{};
      }
    }
    if (rep >= view->reps.size()) return RepStatus{};
    return StatusOf(*view->reps[rep]);
  }

  ClaimResult Claim(const ClaimRequest& request) noexcept override {
    ClaimResult result;
    if (request.roster == nullptr || request.decision == nullptr) {
      return result;
    }
    try {
      // A new lead's record (the copies of the decision and of the lead,
      // most of a claim's work) is built before the lock, so that threads
      // routing at once wait for each other only for the pick itself.
      LeadMap::node_type fresh;
      if (request.replace == nullptr) {
        fresh = PrepareRecord(*request.decision, request.lead);
      }
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(request.decision->lead_id);
      if (Refuse(found, request.replace, result)) return result;
      const Roster& roster = *request.roster;
      const RosterView& view = ViewLocked(roster);
      Rotation& rotation = RotationLocked(request.rotation, roster);

      // Choose without changing anything, so that a failure below (or
      // nobody eligible) leaves the state as it was.
      Choice choice = Choose(request, roster, view, Entries(rotation.by_index),
                             rotation.rng);
      if (choice.rep == kNoRep) return result;

      // A replacement is built here and committed below with the load.
      std::optional<LeadRecord> next;
      if (request.replace != nullptr) {
        Assignment decision = *request.decision;
        decision.owner = Owner::Rep(roster.id(choice.rep));
        next = Replaced(found->second, std::move(decision), request.lead,
                        *request.replace, request.at);
      } else {
        fresh.mapped().decision.owner = Owner::Rep(roster.id(choice.rep));
      }

      RepState& state = *view.reps[choice.rep];
      if (const auto& caps = view.caps[choice.rep]) {
        // May allocate: done before the commit below, which cannot fail.
        std::lock_guard<std::mutex> claims_lock(state.claims_mu);
        state.claims.push_back(request.at);
        while (!state.claims.empty() &&
               (state.claims.size() > kMaxHistory ||
                state.claims.front() < request.at - caps->keep)) {
          state.claims.pop_front();
        }
      }
      if (!next) {
        // May allocate (a rehash); a failure leaves the claim history one
        // instant longer, which only the time caps read.
        auto inserted = leads_.insert(std::move(fresh));
        CountOpen(inserted.position->first, 1);
        result.version = 1;
      }
      // Commit; nothing below allocates or throws.
      if (next) {
        Commit(found->second, std::move(*next));
        result.version = found->second.version;
      }
      state.open.store(state.open.load(std::memory_order_relaxed) + 1,
                       std::memory_order_relaxed);
      RotationEntry& entry = *rotation.by_index[choice.rep];
      entry.last_seq = ++seq_;
      if (CatchesUp(request.policy)) {
        entry.period_claims = entry.ClaimsIn(request.policy.period) + 1;
        entry.period = request.policy.period;
      } else if (request.policy.order == PickOrder::kSmoothWeighted ||
                 request.policy.order == PickOrder::kWeightedBy) {
        CommitSmoothWeighted(request, roster, view, rotation, choice.rep);
      }
      if (choice.rng) rotation.rng = *choice.rng;
      // A lead that waited for a claim (offer, pool) is pending no more.
      if (request.replace == nullptr) {
        (void)pending_.Erase(request.decision->lead_id);
      }

      result.outcome = ClaimResult::Outcome::kClaimed;
      result.rep = choice.rep;
      return result;
    } catch (...) {
      return ClaimResult{};
    }
  }

  RepIndex Peek(const ClaimRequest& request) const noexcept override {
    if (request.roster == nullptr) return kNoRep;
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      const Roster& roster = *request.roster;
      const RosterView& view = ViewLocked(roster);
      // The rotation as Claim would see it, without creating or copying it:
      // reps it has no entry for read as a fresh entry.
      auto found = rotations_.find(request.rotation);
      if (found != rotations_.end() &&
          found->second.cached_uid == roster.uid()) {
        const Rotation& rotation = found->second;
        return Choose(request, roster, view, Entries(rotation.by_index),
                      rotation.rng)
            .rep;
      }
      static const RotationEntry kFresh{};
      std::vector<const RotationEntry*>& entries = PeekEntries();
      entries.assign(roster.size(), &kFresh);
      std::optional<uint64_t> rng;
      if (found != rotations_.end()) {
        rng = found->second.rng;
        for (RepIndex i = 0; i < roster.size(); ++i) {
          auto e = found->second.by_rep.find(roster.id(i));
          if (e != found->second.by_rep.end()) entries[i] = &e->second;
        }
      }
      return Choose(request, roster, view, entries, rng).rep;
    } catch (...) {
      return kNoRep;
    }
  }

  bool UnderTimeCaps(const Roster& roster, RepIndex rep,
                     Instant at) const noexcept override {
    const RosterView* view = FindPublished(roster.uid());
    if (view == nullptr || rep >= view->caps.size()) return true;
    const std::optional<TimeCaps>& caps = view->caps[rep];
    return !caps || UnderCaps(*caps, *view->reps[rep], at);
  }

  void RememberKeys(std::span<const StickyKey> keys, std::string_view rep_id,
                    Instant at,
                    std::chrono::seconds retention) noexcept override {
    keys_.Remember(keys, rep_id, at, retention);
  }
  std::optional<StickyEntry> LookupKey(
      const Roster& roster, std::string_view key,
      std::string_view value) const noexcept override {
    return keys_.Lookup(roster, key, value);
  }

  using StateStore::Record;
  ClaimResult Record(const Assignment& decision, const Lead* lead,
                     const Replacement* replace) noexcept override {
    ClaimResult result;
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(decision.lead_id);
      if (Refuse(found, replace, result)) return result;
      RepState* state = nullptr;
      if (decision.owner.kind == OwnerKind::kRep) {
        state = &StateLocked(decision.owner.id);
      }
      if (replace != nullptr) {
        LeadRecord next = Replaced(found->second, decision, lead, *replace,
                                   decision.routed_at);
        Commit(found->second, std::move(next));
        result.version = found->second.version;
      } else {
        leads_.emplace(decision.lead_id, NewRecord(decision, lead));
        CountOpen(decision.lead_id, 1);
        result.version = 1;
      }
      if (state != nullptr) {
        state->open.store(state->open.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
      }
      if (replace == nullptr) (void)pending_.Erase(decision.lead_id);
      result.outcome = ClaimResult::Outcome::kClaimed;
      return result;
    } catch (...) {
      return ClaimResult{};
    }
  }

  std::optional<Assignment> Find(std::string_view lead_id) const override {
    // Every route asks first: a new lead is answered without the lock.
    if (open_ids_[IdSlot(lead_id)].load(std::memory_order_acquire) == 0) {
      return std::nullopt;
    }
    std::lock_guard<AdaptiveMutex> lock(mu_);
    auto found = leads_.find(lead_id);
    if (found == leads_.end()) return std::nullopt;
    return found->second.decision;
  }

  std::optional<LeadRecord> FindRecord(
      std::string_view lead_id) const override {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    auto found = leads_.find(lead_id);
    if (found == leads_.end()) return std::nullopt;
    return found->second;
  }

  void ForEachRecord(
      const std::function<void(const LeadRecord&)>& fn) const override {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    for (const auto& [id, record] : leads_) fn(record);
  }

  Result<Assignment> Transfer(std::string_view lead_id, Owner to,
                              Instant at) noexcept override {
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(lead_id);
      if (found == leads_.end()) {
        return UnknownLeadError(lead_id);
      }
      if (found->second.decision.owner == to) return found->second.decision;
      RepState* state = nullptr;
      if (to.kind == OwnerKind::kRep) state = &StateLocked(to.id);
      Assignment decision = found->second.decision;
      decision.owner = std::move(to);
      decision.rule_id.clear();
      decision.decided_by = kTransferName;
      decision.fallback = false;
      decision.repeated = false;
      decision.routed_at = at;
      Replacement replace{found->second.version, ChangeReason::kTransferred};
      LeadRecord next = Replaced(found->second, std::move(decision),
                                 found->second.lead.get(), replace, at);
      Commit(found->second, std::move(next));
      if (state != nullptr) {
        state->open.store(state->open.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
      }
      return found->second.decision;
    } catch (...) {
      return Status::Internal("in_memory: out of memory transferring a lead");
    }
  }

  Status Reconcile(std::string_view rep_id,
                   int32_t open_count) noexcept override {
    if (open_count < 0) {
      return Status::InvalidArgument(
          "open count for rep \"" + std::string(rep_id) +
          "\" must not be negative, found " + std::to_string(open_count));
    }
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      StateLocked(rep_id).open.store(open_count, std::memory_order_relaxed);
      return Status();
    } catch (...) {
      return Status::Internal("in_memory: out of memory reconciling a rep");
    }
  }

  Status SetClaimHistory(std::string_view rep_id,
                         std::span<const Instant> claims) noexcept override {
    try {
      std::vector<Instant> sorted(claims.begin(), claims.end());
      std::sort(sorted.begin(), sorted.end());
      size_t skip =
          sorted.size() > kMaxHistory ? sorted.size() - kMaxHistory : 0;
      std::deque<Instant> next(sorted.begin() + skip, sorted.end());
      std::lock_guard<AdaptiveMutex> lock(mu_);
      RepState& state = StateLocked(rep_id);
      std::lock_guard<std::mutex> claims_lock(state.claims_mu);
      state.claims.swap(next);
      return Status();
    } catch (...) {
      return Status::Internal("in_memory: out of memory setting claims");
    }
  }

  Result<std::string> SaveSnapshot() const override {
    StateData data;
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      data.sequence = seq_;
      data.reps.reserve(reps_.size());
      for (const auto& [id, state] : reps_) {
        StateData::RepEntry rep;
        rep.id = id;
        RepStatus status = StatusOf(state);
        rep.presence = status.presence;
        rep.open = status.open;
        {
          std::lock_guard<std::mutex> claims_lock(state.claims_mu);
          rep.claims.assign(state.claims.begin(), state.claims.end());
        }
        // A rep never routed to and at its defaults carries nothing.
        if (rep.open == 0 && rep.presence == Presence::kAvailable &&
            rep.claims.empty()) {
          continue;
        }
        data.reps.push_back(std::move(rep));
      }
      for (const auto& [key, rotation] : rotations_) {
        StateData::RotationEntry entry;
        entry.key = key;
        entry.rng = rotation.rng;
        for (const auto& [id, e] : rotation.by_rep) {
          if (e.last_seq == 0 && e.current == 0 && e.period_claims == 0) {
            continue;
          }
          entry.reps.push_back(
              {id, e.last_seq, e.current, e.period, e.period_claims});
        }
        data.rotations.push_back(std::move(entry));
      }
      data.leads.reserve(leads_.size());
      for (const auto& [id, record] : leads_) data.leads.push_back(record);
      data.pending = pending_.List();
      data.outcomes = outcomes_.Entries();
      data.sticky = keys_.Records();
    } catch (...) {
      return Status::Internal("in_memory: out of memory saving state");
    }
    return WriteStateJson(data);
  }

  Status LoadSnapshot(std::string_view json) override {
    Result<StateData> parsed = ReadStateJson(json);
    if (!parsed.ok()) return parsed.status();
    try {
      StateData& data = *parsed;
      // Everything new is built before the lock.
      decltype(rotations_) rotations;
      for (auto& entry : data.rotations) {
        Rotation& rotation = rotations[std::move(entry.key)];
        rotation.rng = entry.rng;
        for (auto& e : entry.reps) {
          rotation.by_rep[std::move(e.id)] =
              RotationEntry{e.last_seq, e.current, e.period, e.period_claims};
        }
      }
      decltype(leads_) leads;
      for (LeadRecord& record : data.leads) {
        std::string key = record.decision.lead_id;
        leads.emplace(std::move(key), std::move(record));
      }
      // Find's counts for the new leads. Stored slot by slot below, each
      // moving straight from its old count to its new one: a Find during
      // the load never reads a lead open before and after as closed.
      std::vector<uint32_t> open_ids(kIdSlots, 0);
      for (const auto& [id, record] : leads) ++open_ids[IdSlot(id)];
      std::vector<std::deque<Instant>> claims;
      claims.reserve(data.reps.size());
      for (auto& rep : data.reps) {
        claims.emplace_back(rep.claims.begin(), rep.claims.end());
      }

      OutcomeBook::Staged outcomes = OutcomeBook::Stage(data.outcomes);
      KeyIndex::Contents sticky;
      for (StickyRecord& record : data.sticky) sticky.Add(std::move(record));

      std::lock_guard<AdaptiveMutex> lock(mu_);
      // May allocate (new reps): harmless, an entry at its defaults is the
      // same as no entry.
      std::vector<RepState*> states;
      states.reserve(data.reps.size());
      for (const auto& rep : data.reps) states.push_back(&StateLocked(rep.id));
      // Builds its new maps before it swaps them in: a throw here leaves
      // the pending leads (and everything else) as they were.
      pending_.Replace(std::move(data.pending));
      // Commit; nothing below allocates or throws.
      for (auto& [id, state] : reps_) {
        state.open.store(0, std::memory_order_relaxed);
        state.presence.store(static_cast<uint8_t>(Presence::kAvailable),
                             std::memory_order_relaxed);
        std::lock_guard<std::mutex> claims_lock(state.claims_mu);
        state.claims.clear();
      }
      for (size_t i = 0; i < states.size(); ++i) {
        states[i]->open.store(data.reps[i].open, std::memory_order_relaxed);
        states[i]->presence.store(static_cast<uint8_t>(data.reps[i].presence),
                                  std::memory_order_relaxed);
        std::lock_guard<std::mutex> claims_lock(states[i]->claims_mu);
        states[i]->claims.swap(claims[i]);
      }
      rotations_.swap(rotations);
      leads_.swap(leads);
      for (size_t k = 0; k < kIdSlots; ++k) {
        open_ids_[k].store(open_ids[k], std::memory_order_release);
      }
      outcomes_.Commit(outcomes);
      keys_.Replace(sticky);
      seq_ = data.sequence;
      return Status();
    } catch (...) {
      return Status::Internal("in_memory: out of memory loading state");
    }
  }

  Result<Assignment> Release(std::string_view lead_id) noexcept override {
    try {
      LeadMap::node_type closed;  // freed after the lock
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(lead_id);
      if (found == leads_.end()) {
        // A pending lead (offer, pool) has no load to free.
        if (std::optional<PendingLead> pending = pending_.Erase(lead_id)) {
          return std::move(pending->decision);
        }
        return UnknownLeadError(lead_id);
      }
      return CloseLocked(found, closed);
    } catch (...) {
      return Status::Internal("in_memory: out of memory releasing a lead");
    }
  }

  Result<Assignment> RecordOutcome(
      std::string_view lead_id, const Outcome& outcome,
      std::span<const std::string> segments) noexcept override {
    try {
      LeadMap::node_type closed;  // freed after the lock
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(lead_id);
      if (found == leads_.end()) {
        return UnknownLeadError(lead_id);
      }
      const LeadRecord& record = found->second;
      if (record.decision.owner.kind == OwnerKind::kRep) {
        // The segments of the lead as recorded: "field=value" for each
        // segment field it has as a string.
        std::vector<std::string> keys;
        if (record.lead != nullptr) {
          for (const std::string& field : segments) {
            const Value* value = record.lead->Find(field);
            const std::string* text =
                value != nullptr ? value->string_if() : nullptr;
            if (text != nullptr) keys.push_back(field + "=" + *text);
          }
        }
        // Credits everything or nothing; the lead closes only after.
        outcomes_.Credit(record.decision.owner.id, keys, outcome);
      }
      return CloseLocked(found, closed);
    } catch (...) {
      return Status::Internal("in_memory: out of memory recording an outcome");
    }
  }

  OutcomeStats Outcomes(std::string_view rep_id,
                        std::string_view segment) const noexcept override {
    return outcomes_.Get(rep_id, segment);
  }

  Status SetPresence(std::string_view rep_id,
                     Presence presence) noexcept override {
    try {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      StateLocked(rep_id).presence.store(static_cast<uint8_t>(presence),
                                         std::memory_order_relaxed);
      return Status();
    } catch (...) {
      return Status::Internal("in_memory: out of memory setting presence");
    }
  }

  // Offers and pools (pending_book.h).
  Result<PendingResult> AddPending(const Assignment& pending,
                                   const Lead& lead) noexcept override {
    if (!pending.offer || pending.lead_id != lead.id()) {
      return Status::InvalidArgument(
          "a pending lead needs its offer and the lead itself");
    }
    try {
      PendingResult result;
      std::lock_guard<AdaptiveMutex> lock(mu_);
      auto found = leads_.find(pending.lead_id);
      if (found != leads_.end()) {
        result.outcome = PendingResult::Outcome::kAlreadyDecided;
        result.existing = found->second.decision;
      } else if (const PendingLead* existing = pending_.Find(pending.lead_id);
                 existing != nullptr &&
                 existing->decision.lead_id == pending.lead_id) {
        result.outcome = PendingResult::Outcome::kAlreadyPending;
        result.pending = *existing;
      } else {
        result.pending = pending_.Add(pending, lead);
      }
      return result;
    } catch (...) {
      return Status::Internal("in_memory: out of memory keeping an offer");
    }
  }

  std::optional<PendingLead> FindPending(
      std::string_view offer_or_lead_id) const override {
    if (pending_.size() == 0) return std::nullopt;  // no lock on plain routes
    std::lock_guard<AdaptiveMutex> lock(mu_);
    const PendingLead* found = pending_.Find(offer_or_lead_id);
    if (found == nullptr) return std::nullopt;
    return *found;
  }

  std::vector<PendingLead> ListPending() const override {
    if (pending_.size() == 0) return {};
    std::lock_guard<AdaptiveMutex> lock(mu_);
    return pending_.List();
  }

  RepStatus Get(std::string_view rep_id) const noexcept override {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    auto found = reps_.find(rep_id);
    if (found == reps_.end()) return RepStatus{};
    return StatusOf(found->second);
  }

 private:
  static constexpr size_t kSlots = 16;
  static constexpr int kIdSlotBits = 14;  // 64 KiB of counts
  static constexpr size_t kIdSlots = size_t{1} << kIdSlotBits;

  static size_t IdSlot(std::string_view lead_id) noexcept {
    // Fibonacci hashing: the top bits of the product mix every bit of FNV.
    return static_cast<size_t>(
        (StringHash()(lead_id) * 0x9e3779b97f4a7c15ULL) >> (64 - kIdSlotBits));
  }
  // REQUIRES: mu_ held.
  void CountOpen(std::string_view lead_id, int delta) noexcept {
    std::atomic<uint32_t>& count = open_ids_[IdSlot(lead_id)];
    count.store(
        count.load(std::memory_order_relaxed) + static_cast<uint32_t>(delta),
        std::memory_order_release);
  }

  struct Choice {
    RepIndex rep = kNoRep;
    std::optional<uint64_t> rng;  // the generator state after the draw
  };

  using LeadMap =
      std::unordered_map<std::string, LeadRecord, StringHash, std::equal_to<>>;

  // REQUIRES: mu_ held. Whether a claim or record for the lead at `found`
  // must not go ahead; fills `result` (kAlreadyDecided) when so.
  bool Refuse(LeadMap::const_iterator found, const Replacement* replace,
              ClaimResult& result) const {
    const bool exists = found != leads_.end();
    if (replace == nullptr
            ? !exists
            : exists && found->second.version == replace->version) {
      return false;
    }
    result.outcome = ClaimResult::Outcome::kAlreadyDecided;
    if (exists) {
      result.existing = found->second.decision;
      result.version = found->second.version;
    }
    return true;
  }

  static LeadRecord NewRecord(Assignment decision, const Lead* lead) {
    LeadRecord record;
    record.decision = std::move(decision);
    record.version = 1;
    if (lead != nullptr) record.lead = std::make_shared<const Lead>(*lead);
    return record;
  }

  // A map node holding NewRecord(decision, lead), built without mu_: each
  // thread builds its nodes in a map of its own, from which they move into
  // leads_ without a copy (LeadMap::insert of a node handle).
  static LeadMap::node_type PrepareRecord(const Assignment& decision,
                                          const Lead* lead) {
    thread_local LeadMap nursery;
    auto at =
        nursery.emplace(decision.lead_id, NewRecord(decision, lead)).first;
    return nursery.extract(at);
  }

  // The record that replaces `old`: `decision` as the new one, the old owner
  // in the history (and in `excluded` unless transferred), version + 1.
  static LeadRecord Replaced(const LeadRecord& old, Assignment decision,
                             const Lead* lead, const Replacement& replace,
                             Instant at) {
    LeadRecord next;
    next.decision = std::move(decision);
    next.version = old.version + 1;
    next.history = old.history;
    next.history.push_back({old.decision.owner, replace.reason, at});
    next.excluded = old.excluded;
    const Owner& from = old.decision.owner;
    if (replace.reason != ChangeReason::kTransferred &&
        from.kind == OwnerKind::kRep &&
        std::find(next.excluded.begin(), next.excluded.end(), from.id) ==
            next.excluded.end()) {
      next.excluded.push_back(from.id);
    }
    if (lead == nullptr || lead == old.lead.get()) {
      next.lead = old.lead;
    } else {
      next.lead = std::make_shared<const Lead>(*lead);
    }
    return next;
  }

  // REQUIRES: mu_ held. Forgets the record at `found` and frees its rep
  // owner's load; returns its decision. The record moves to `closed`, for
  // the caller to free once mu_ is released. Does not throw.
  Assignment CloseLocked(LeadMap::iterator found,
                         LeadMap::node_type& closed) noexcept {
    closed = leads_.extract(found);
    CountOpen(closed.key(), -1);
    Assignment released = std::move(closed.mapped().decision);
    if (released.owner.kind == OwnerKind::kRep) {
      auto rep = reps_.find(released.owner.id);
      if (rep != reps_.end()) {
        int32_t open = rep->second.open.load(std::memory_order_relaxed);
        if (open > 0) {
          rep->second.open.store(open - 1, std::memory_order_relaxed);
        }
      }
    }
    return released;
  }

  // REQUIRES: mu_ held. Replaces `record` by `next` and frees the old rep
  // owner's load. Does not throw.
  void Commit(LeadRecord& record, LeadRecord next) noexcept {
    if (record.decision.owner.kind == OwnerKind::kRep) {
      auto rep = reps_.find(record.decision.owner.id);
      if (rep != reps_.end()) {
        int32_t open = rep->second.open.load(std::memory_order_relaxed);
        if (open > 0)
          rep->second.open.store(open - 1, std::memory_order_relaxed);
      }
    }
    record = std::move(next);
  }

  static RepStatus StatusOf(const RepState& state) noexcept {
    RepStatus status;
    status.presence =
        static_cast<Presence>(state.presence.load(std::memory_order_relaxed));
    status.open = state.open.load(std::memory_order_relaxed);
    return status;
  }

  const RosterView* FindPublished(uint64_t uid) const noexcept {
    for (const auto& slot : slots_) {
      const RosterView* view = slot.load(std::memory_order_acquire);
      if (view != nullptr && view->uid == uid) return view;
    }
    return nullptr;
  }

  // REQUIRES: mu_ held. Publishes `view` for lock-free reads unless it is
  // already published; the oldest slot makes room.
  void Publish(const RosterView* view) const noexcept {
    for (const auto& slot : slots_) {
      if (slot.load(std::memory_order_relaxed) == view) return;
    }
    slots_[next_slot_].store(view, std::memory_order_release);
    next_slot_ = (next_slot_ + 1) % kSlots;
  }

  // REQUIRES: mu_ held.
  RepState& StateLocked(std::string_view rep_id) const {
    auto found = reps_.find(rep_id);
    if (found != reps_.end()) return found->second;
    return reps_.try_emplace(std::string(rep_id)).first->second;
  }

  // REQUIRES: mu_ held. The view of `roster`, built on first use.
  const RosterView& ViewLocked(const Roster& roster) const {
    auto found = views_.find(roster.uid());
    if (found != views_.end()) return *found->second;
    auto view = std::make_unique<RosterView>();
    view->uid = roster.uid();
    view->reps.reserve(roster.size());
    view->caps.resize(roster.size());
    for (RepIndex i = 0; i < roster.size(); ++i) {
      view->reps.push_back(&StateLocked(roster.id(i)));
      const Rep& rep = roster.rep(i);
      if (!rep.capacity.timed()) continue;
      TimeCaps caps;
      caps.capacity = rep.capacity;
      std::string zone = rep.schedule && !rep.schedule->time_zone.empty()
                             ? rep.schedule->time_zone
                             : rep.time_zone;
      if (!zone.empty()) caps.zone = FindZone(zone);
      // What the longest cap looks back (a local day, week or month, up to
      // an hour longer across a DST change; the window) plus at least a
      // day: a lead whose created_at is up to a day before the newest claim
      // still counts every claim it should (docs/config.md#caps).
      if (rep.capacity.max_per_day) caps.keep = days(3);
      if (rep.capacity.max_per_week) caps.keep = days(9);
      if (rep.capacity.max_per_month) caps.keep = days(33);
      if (rep.capacity.max_in_window) {
        caps.keep = std::max<milliseconds>(
            caps.keep, hours(rep.capacity.max_in_window->hours + 25));
      }
      view->caps[i] = std::move(caps);
    }
    return *views_.emplace(roster.uid(), std::move(view)).first->second;
  }

  // REQUIRES: mu_ held. Rotation `key`, with its index cache for `roster`.
  Rotation& RotationLocked(std::string_view key, const Roster& roster) {
    auto found = rotations_.find(key);
    if (found == rotations_.end()) {
      found = rotations_.try_emplace(std::string(key)).first;
    }
    Rotation& rotation = found->second;
    if (rotation.cached_uid != roster.uid()) {
      // Build into a fresh vector first: a throw leaves the cache intact.
      std::vector<RotationEntry*> by_index;
      by_index.reserve(roster.size());
      for (RepIndex i = 0; i < roster.size(); ++i) {
        by_index.push_back(&rotation.by_rep[roster.id(i)]);
      }
      rotation.by_index = std::move(by_index);
      rotation.cached_uid = roster.uid();
    }
    return rotation;
  }

  // A rep may take a lead at `at`: active, under its `max_open` and its
  // time-based caps.
  static bool Eligible(const Roster& roster, const RosterView& view, RepIndex i,
                       Instant at) noexcept {
    const Rep& rep = roster.rep(i);
    if (!rep.active) return false;
    if (rep.capacity.max_open.has_value() &&
        view.reps[i]->open.load(std::memory_order_relaxed) >=
            *rep.capacity.max_open) {
      return false;
    }
    if (view.caps[i] && !UnderCaps(*view.caps[i], *view.reps[i], at)) {
      return false;
    }
    return true;
  }

  // Calls fn(i) for every eligible candidate, in roster order.
  template <typename Fn>
  static void ForEachEligible(const ClaimRequest& request, const Roster& roster,
                              const RosterView& view, Fn&& fn) {
    if (request.candidates == nullptr) return;
    request.candidates->ForEach([&](RepIndex i) {
      if (i < roster.size() && Eligible(roster, view, i, request.at)) fn(i);
    });
  }

  static std::span<const RotationEntry* const> Entries(
      const std::vector<RotationEntry*>& by_index) noexcept {
    return {by_index.data(), by_index.size()};
  }

  // Peek's entries for a rotation not cached for the roster: reused per
  // thread, so an explain does not copy the rotation.
  static std::vector<const RotationEntry*>& PeekEntries() {
    thread_local std::vector<const RotationEntry*> entries;
    return entries;
  }

  // The pick for `request` given the rotation's entries by RepIndex and its
  // generator state.
  Choice Choose(const ClaimRequest& request, const Roster& roster,
                const RosterView& view,
                std::span<const RotationEntry* const> entries,
                const std::optional<uint64_t>& rng) const {
    Choice choice;
    if (CatchesUp(request.policy)) {
      // Lowest (claims in the period + 1) / weight, compared exactly by
      // cross-multiplying; then least recently assigned.
      const bool weighted = request.policy.order == PickOrder::kSmoothWeighted;
      double best_claims = 0;
      double best_weight = 1;
      uint64_t best_seq = 0;
      ForEachEligible(request, roster, view, [&](RepIndex i) {
        const RotationEntry& e = *entries[i];
        double claims =
            static_cast<double>(e.ClaimsIn(request.policy.period) + 1);
        double weight = weighted ? roster.rep(i).weight : 1.0;
        if (!(weight > 0)) return;  // a zero weight never catches up
        bool better = choice.rep == kNoRep;
        if (!better) {
          double lhs = claims * best_weight;
          double rhs = best_claims * weight;
          better = lhs < rhs || (lhs == rhs && e.last_seq < best_seq);
        }
        if (better) {
          choice.rep = i;
          best_claims = claims;
          best_weight = weight;
          best_seq = e.last_seq;
        }
      });
      return choice;
    }
    switch (request.policy.order) {
      case PickOrder::kLeastRecent: {
        uint64_t best = 0;
        ForEachEligible(request, roster, view, [&](RepIndex i) {
          uint64_t seq = entries[i]->last_seq;
          if (choice.rep == kNoRep || seq < best) {
            choice.rep = i;
            best = seq;
          }
        });
        break;
      }
      case PickOrder::kSmoothWeighted:
      case PickOrder::kWeightedBy: {
        // nginx smooth weighted round robin: every eligible candidate gains
        // its weight, the largest current wins. Computed here without
        // writing; CommitSmoothWeighted applies it.
        double best = 0;
        ForEachEligible(request, roster, view, [&](RepIndex i) {
          double next = entries[i]->current + WeightOf(request, roster, i);
          if (choice.rep == kNoRep || next > best) {
            choice.rep = i;
            best = next;
          }
        });
        break;
      }
      case PickOrder::kLeastLoaded:
      case PickOrder::kLeastLoadedRatio: {
        const bool ratio = request.policy.order == PickOrder::kLeastLoadedRatio;
        int64_t best_open = 0;
        int64_t best_cap = 1;
        uint64_t best_seq = 0;
        ForEachEligible(request, roster, view, [&](RepIndex i) {
          int64_t open = view.reps[i]->open.load(std::memory_order_relaxed);
          // Uncapped reps rank by their raw open count (as if max_open = 1).
          int64_t cap = 1;
          if (ratio && roster.rep(i).capacity.max_open.has_value()) {
            cap = *roster.rep(i).capacity.max_open;
          }
          uint64_t seq = entries[i]->last_seq;
          bool better = choice.rep == kNoRep;
          if (!better) {
            // open/cap < best_open/best_cap, exactly (caps are > 0 here:
            // a rep with max_open <= 0 is never eligible).
            int64_t lhs = open * best_cap;
            int64_t rhs = best_open * cap;
            better = lhs < rhs || (lhs == rhs && seq < best_seq);
          }
          if (better) {
            choice.rep = i;
            best_open = open;
            best_cap = cap;
            best_seq = seq;
          }
        });
        break;
      }
      case PickOrder::kRandom: {
        double total = 0;
        RepIndex last = kNoRep;
        ForEachEligible(request, roster, view, [&](RepIndex i) {
          total += roster.rep(i).weight;
          last = i;
        });
        if (last == kNoRep) break;
        uint64_t state = rng.has_value()
                             ? *rng
                             : (request.policy.seed != 0 ? request.policy.seed
                                                         : request.seed);
        uint64_t bits = Mix64(state);
        choice.rng = state + kGolden;
        if (!(total > 0) || !std::isfinite(total)) {
          choice.rep = last;
          break;
        }
        double target = UnitInterval(bits) * total;
        double sum = 0;
        ForEachEligible(request, roster, view, [&](RepIndex i) {
          if (choice.rep != kNoRep) return;
          sum += roster.rep(i).weight;
          if (target < sum) choice.rep = i;
        });
        // Rounding may leave the target just past the last sum.
        if (choice.rep == kNoRep) choice.rep = last;
        break;
      }
      case PickOrder::kPreference: {
        for (RepIndex i : request.policy.preference) {
          if (i < roster.size() && Eligible(roster, view, i, request.at)) {
            choice.rep = i;
            break;
          }
        }
        break;
      }
    }
    return choice;
  }

  // A rep's weight in smooth weighted round robin: `Rep::weight`, or for
  // kWeightedBy the policy's weight (0 past its end).
  static double WeightOf(const ClaimRequest& request, const Roster& roster,
                         RepIndex i) noexcept {
    if (request.policy.order != PickOrder::kWeightedBy) {
      return roster.rep(i).weight;
    }
    const auto& weights = request.policy.weights;
    return i < weights.size() ? weights[i] : 0.0;
  }

  static bool CatchesUp(const ClaimPolicy& policy) noexcept {
    return policy.catch_up && (policy.order == PickOrder::kLeastRecent ||
                               policy.order == PickOrder::kSmoothWeighted);
  }

  // Applies the smooth-WRR round that chose `picked`. Runs after the picked
  // rep's load went up (it may now be at its cap), so `picked` is included
  // explicitly; every other rep is eligible exactly as Choose saw it.
  static void CommitSmoothWeighted(const ClaimRequest& request,
                                   const Roster& roster, const RosterView& view,
                                   Rotation& rotation,
                                   RepIndex picked) noexcept {
    double total = 0;
    request.candidates->ForEach([&](RepIndex i) {
      if (i >= roster.size()) return;
      if (i != picked && !Eligible(roster, view, i, request.at)) return;
      double weight = WeightOf(request, roster, i);
      rotation.by_index[i]->current += weight;
      total += weight;
    });
    rotation.by_index[picked]->current -= total;
  }

  mutable AdaptiveMutex mu_;
  uint64_t seq_ = 0;  // last sequence number handed out
  mutable std::unordered_map<std::string, RepState, StringHash, std::equal_to<>>
      reps_;
  mutable std::unordered_map<uint64_t, std::unique_ptr<RosterView>> views_;
  std::unordered_map<std::string, Rotation, StringHash, std::equal_to<>>
      rotations_;
  LeadMap leads_;
  PendingBook pending_;   // offers and pools, under mu_
  OutcomeBook outcomes_;  // RecordOutcome's tallies; its own lock for reads
  // Sticky keys; its own lock, taken alone or inside mu_ (never around it).
  KeyIndex keys_;
  mutable std::array<std::atomic<const RosterView*>, kSlots> slots_{};
  // Open lead ids counted by IdSlot: a lead id whose slot counts 0 is not
  // open, so Find answers it without mu_. Counts change under mu_, after the
  // record is in leads_ and before it leaves; an id that shares a slot with
  // an open one takes the lock as before. (A Find racing with the claim of
  // the same id may miss it either way; Claim checks again under mu_.)
  std::array<std::atomic<uint32_t>, kIdSlots> open_ids_{};
  mutable size_t next_slot_ = 0;
};

}  // namespace
}  // namespace leadroute::internal

LEADROUTE_NAMESPACE_BEGIN

std::unique_ptr<StateStore> NewInMemoryStateStore() {
  return std::make_unique<internal::InMemoryStateStore>();
}

LEADROUTE_NAMESPACE_END
