// StateStore: the live routing state (presence, open loads, rotation state,
// lead -> decision records) and the one atomic state transition, Claim.
//
// Everything is keyed by rep id, so state carries over when a RuleSet is
// replaced. Implementations must be thread-safe: Read may be called
// concurrently with anything and should not lock; Claim is atomic.
#ifndef LEADROUTE_STATE_STORE_H_
#define LEADROUTE_STATE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/assignment.h"
#include "leadroute/candidate_set.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/lead.h"
#include "leadroute/outcome.h"
#include "leadroute/rep.h"
#include "leadroute/roster.h"
#include "leadroute/status.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// A rep's live status, as read in the narrow phase.
struct RepStatus {
  Presence presence = Presence::kAvailable;
  int32_t open = 0;  // leads assigned and not released
};

// How Claim chooses among the candidates. Reps at `max_open` or at a
// time-based cap are skipped in every order; ties always go to the lower roster
// index.
enum class PickOrder : uint8_t {
  kLeastRecent,       // least recently assigned in the rotation
  kSmoothWeighted,    // smooth weighted round robin by `Rep::weight`
  kLeastLoaded,       // fewest open leads, then least recently assigned
  kLeastLoadedRatio,  // lowest open / max_open (uncapped: open), then ditto
  kRandom,            // seeded, weighted by `Rep::weight`
  kPreference,        // the first rep of `preference` that is under its cap
  // Smooth weighted round robin by `ClaimPolicy::weights` instead of
  // `Rep::weight` (the `performance` picker); otherwise as kSmoothWeighted.
  kWeightedBy,
};

// Why a lead changed owner after its first decision.
enum class ChangeReason : uint8_t {
  kDeclined,     // the owner declined the lead
  kSlaMissed,    // the owner did not act within the SLA
  kOwnerLeft,    // the owner left (removed, deactivated)
  kManual,       // an administrator asked for a new owner
  kTransferred,  // an administrator named the new owner (Transfer)
};

// "declined", "sla_missed", "owner_left", "manual", "transferred".
LEADROUTE_EXPORT std::string_view ChangeReasonName(
    ChangeReason reason) noexcept;
// The reason named `name` (as ChangeReasonName spells it), else nullopt.
LEADROUTE_EXPORT std::optional<ChangeReason> ParseChangeReason(
    std::string_view name) noexcept;

// The kNotFound a store or the Router returns for a lead id without a
// record: `no decision recorded for lead "<id>"`. For host stores too, so
// that every store words it the same.
LEADROUTE_EXPORT Status UnknownLeadError(std::string_view lead_id);

// One earlier owner of a lead.
struct OwnerChange {
  Owner from{};  // the owner the lead was taken from
  ChangeReason reason = ChangeReason::kManual;
  Instant at{};  // when it changed (the clock's now)
  friend bool operator==(const OwnerChange&, const OwnerChange&) = default;
};

// Everything the store keeps for one open lead.
struct LeadRecord {
  Assignment decision{};  // the current decision
  // 1 for the first decision, +1 per replacement (reassign, transfer).
  uint64_t version = 0;
  std::vector<OwnerChange> history{};  // earlier owners, oldest first
  // Rep ids that may never get this lead again: previous owners taken away
  // by a reassignment (every reason but kTransferred) and decliners.
  std::vector<std::string> excluded{};
  // The lead as routed, so that it can be routed again by id; nullptr when
  // the decision was recorded without one.
  std::shared_ptr<const Lead> lead{};
};

// Asks Claim or Record to replace the lead's current decision instead of
// refusing when one exists: compare-and-swap on the record's version.
struct Replacement {
  uint64_t version = 0;  // the LeadRecord::version the caller read
  ChangeReason reason = ChangeReason::kManual;
};

struct ClaimPolicy {
  PickOrder order = PickOrder::kLeastRecent;
  std::span<const RepIndex> preference{};  // kPreference only
  // kWeightedBy only: each rep's weight, by RepIndex (a rep past the end
  // weighs 0). Read during the call only.
  std::span<const double> weights{};
  // kRandom: when non-zero, seeds the rotation's generator in place of
  // `ClaimRequest::seed` (a step's own seed). Either seed is used only when
  // the rotation first draws; later draws continue its sequence.
  uint64_t seed = 0;
  // Fairness after absence (`round_robin` with `catch_up`), for kLeastRecent
  // and kSmoothWeighted: the rotation counts each rep's claims within
  // `period` (an opaque period number, e.g. the local day), and the pick is
  // the eligible rep with the lowest (claims in the period + 1) / weight
  // (weight 1 for kLeastRecent), then the least recently assigned. So a rep
  // who was away gets leads first until level with the others, and a new
  // period starts everyone at zero.
  bool catch_up = false;
  int64_t period = 0;
};

struct ClaimRequest {
  const Roster* roster = nullptr;
  const CandidateSet* candidates = nullptr;  // ignored by kPreference
  ClaimPolicy policy{};
  std::string_view rotation{};  // rotation key: the rule id or a shared name
  uint64_t seed = 0;            // kRandom: seeds the rotation's generator
  // The decision to record; Claim fills in `owner`.
  const Assignment* decision = nullptr;
  // The routing instant (the lead's `created_at`, else the clock's now):
  // the time the claim counts at for time-based caps; on a replacement also
  // the instant of the owner change.
  Instant at{};
  // The lead, kept in the record (copied only when a decision is recorded).
  // Optional: nullptr records no lead.
  const Lead* lead = nullptr;
  // Non-null: replace the lead's current decision if its version still
  // matches (see StateStore::Claim).
  const Replacement* replace = nullptr;
};

struct ClaimResult {
  enum class Outcome : uint8_t {
    kClaimed,  // `rep` now owns the lead; its load went up by one
    kNobody,   // every candidate was at capacity; nothing changed
    // The lead id already has a decision: `existing`. On a replacement:
    // the record's version no longer matches (`existing` is the current
    // decision) or the record is gone (`existing.lead_id` is empty).
    kAlreadyDecided,
  };
  Outcome outcome = Outcome::kNobody;
  RepIndex rep = kNoRep;
  Assignment existing{};
  // kClaimed: the new record's version; kAlreadyDecided: the current one
  // (0 when the record is gone).
  uint64_t version = 0;
};

// A lead waiting for a rep (an offer or a pool entry, leadroute/offer.h).
struct PendingLead {
  // lead_id, rule_id, decided_by ("offer" or "pool"), generation,
  // routed_at and `offer` (always set); owner empty.
  Assignment decision{};
  std::shared_ptr<const Lead> lead{};  // the lead as routed; never null
  uint64_t sequence = 0;  // store-assigned, increasing: ties of routed_at
};

// What StateStore::AddPending did.
struct PendingResult {
  enum class Outcome : uint8_t {
    kAdded,           // `pending` is the new entry, its offer id filled in
    kAlreadyPending,  // the lead was pending already: `pending` is that entry
    kAlreadyDecided,  // the lead has a decision: `existing`
  };
  Outcome outcome = Outcome::kAdded;
  PendingLead pending{};
  Assignment existing{};
};

// A lead's value for one sticky key: key "domain", value "acme.com" (both
// normalised by the `sticky` resolver). Borrowed for the call.
struct StickyKey {
  std::string_view key;
  std::string_view value;
};

// The owner remembered for a sticky key value, and when it got the lead.
struct StickyEntry {
  RepIndex rep = kNoRep;
  Instant at{};
};

class LEADROUTE_EXPORT StateStore {
 public:
  virtual ~StateStore();

  // A stable name, e.g. "in_memory".
  virtual std::string_view Name() const noexcept = 0;

  // Prepares per-roster lookups before `roster` routes (Router::Create and
  // Update call it; not on the hot path).
  virtual Status Attach(const Roster& roster) noexcept = 0;

  // Narrow-phase read of rep `rep` of an attached roster. Must not block.
  virtual RepStatus Read(const Roster& roster, RepIndex rep) const noexcept = 0;

  // Atomically: unless `lead_id` already has a decision, picks one candidate
  // by the policy, re-checks its `max_open`, records the decision with that
  // owner (version 1, with a copy of `request.lead`), adds one to its load
  // and updates the rotation.
  //
  // With `request.replace`: only when the lead's record exists and its
  // version equals `replace->version`; then, in the same step, the old rep
  // owner's load goes down by one, the old owner is appended to the history
  // with `replace->reason` at `request.at` and (unless the reason is
  // kTransferred) to `excluded`, and the new decision is stored with version
  // + 1, keeping the record's lead when `request.lead` is that same object.
  virtual ClaimResult Claim(const ClaimRequest& request) noexcept = 0;

  // The rep Claim would pick for `request` right now, without changing any
  // state and ignoring whether the lead already has a decision; kNoRep when
  // nobody is eligible. For explain (the runner-up) and shortlists; a later
  // Claim may pick differently when other routes claim in between.
  virtual RepIndex Peek(const ClaimRequest& request) const noexcept = 0;

  // Atomically records `decision` (a fallback owner, not subject to caps)
  // unless the lead already has one. A rep owner's load goes up by one.
  ClaimResult Record(const Assignment& decision) noexcept {
    return Record(decision, nullptr, nullptr);
  }
  // The same, keeping a copy of `lead` (may be null) in the record; with
  // `replace`, replaces the current decision exactly as Claim does.
  virtual ClaimResult Record(const Assignment& decision, const Lead* lead,
                             const Replacement* replace) noexcept = 0;

  // The recorded decision for `lead_id`, if any.
  virtual std::optional<Assignment> Find(std::string_view lead_id) const = 0;

  // The whole record for `lead_id`, if any.
  virtual std::optional<LeadRecord> FindRecord(
      std::string_view lead_id) const = 0;

  // Calls `fn` once per open lead record, in no particular order. `fn` runs
  // under the store's lock: it must be quick and must not call the store.
  virtual void ForEachRecord(
      const std::function<void(const LeadRecord&)>& fn) const = 0;

  // Manual override: makes `to` the owner of `lead_id` at `at`. Loads move
  // (the old rep owner -1, a rep `to` +1) and caps are NOT checked: the
  // administrator's choice wins. The old owner goes to the history with
  // kTransferred (not to `excluded`); the version goes up by one;
  // `decided_by` is "transfer", `rule_id` empty, `fallback` false.
  // Transferring to the current owner changes nothing. kNotFound for an
  // unknown lead.
  virtual Result<Assignment> Transfer(std::string_view lead_id, Owner to,
                                      Instant at) noexcept = 0;

  // The host's truth for a rep's open load (e.g. from the CRM), replacing
  // the count kept here. kInvalidArgument when `open_count` < 0.
  virtual Status Reconcile(std::string_view rep_id,
                           int32_t open_count) noexcept = 0;

  // Replaces the claim instants the time-based caps count for `rep_id` (the
  // CRM's truth after a restart or a correction). Any order; the most recent
  // 65,536 are kept.
  virtual Status SetClaimHistory(std::string_view rep_id,
                                 std::span<const Instant> claims) noexcept = 0;

  // The whole state as one versioned JSON document (docs/lifecycle.md):
  // presence, loads and claim instants per rep, rotations, the sequence
  // counter and every open lead record. Consistent: taken under the lock.
  virtual Result<std::string> SaveSnapshot() const = 0;

  // Replaces the whole state with a document from SaveSnapshot. The document
  // is validated completely first; on any error (kInvalidArgument, each
  // problem with its JSON Pointer) the state is left exactly as it was.
  virtual Status LoadSnapshot(std::string_view json) = 0;

  // Forgets the decision for `lead_id` and frees the owner's load. Returns
  // the released decision, or kNotFound.
  virtual Result<Assignment> Release(std::string_view lead_id) noexcept = 0;

  virtual Status SetPresence(std::string_view rep_id,
                             Presence presence) noexcept = 0;

  // Status by rep id (unknown reps: available with no load).
  virtual RepStatus Get(std::string_view rep_id) const noexcept = 0;

  // Whether rep `rep` is under its time-based caps (`Capacity::max_per_day`,
  // `max_per_week`, `max_per_month`, `max_in_window`) for a claim at `at`.
  // Read-only, for the narrow phase; Claim re-checks atomically. The default
  // says yes (a store that does not keep claim history enforces no
  // time-based caps).
  virtual bool UnderTimeCaps(const Roster& /*roster*/, RepIndex /*rep*/,
                             Instant /*at*/) const noexcept {
    return true;
  }

  // Sticky owners (the `sticky` resolver, docs/cookbook/sticky.md): an
  // index of key values (the lead's email, domain, account or a configured
  // field) -> the rep who last got a lead with that value. The defaults keep
  // nothing, so a host's own store compiles (and `sticky` never matches).
  //
  // Remembers `rep_id` as the owner of every key in `keys` as of `at`,
  // replacing what was remembered for them (the latest decision wins).
  // Entries not renewed for `retention` (the longest window of the RuleSet
  // that wrote them) may be pruned. Out of memory drops the keys; never
  // throws.
  virtual void RememberKeys(std::span<const StickyKey> /*keys*/,
                            std::string_view /*rep_id*/, Instant /*at*/,
                            std::chrono::seconds /*retention*/) noexcept {}
  // The owner remembered for `key` = `value`, as an index in `roster`;
  // nullopt when none is remembered or that rep is not in `roster`. Read on
  // the route of a `sticky` step: must not wait for Claim and must not
  // allocate.
  virtual std::optional<StickyEntry> LookupKey(
      const Roster& /*roster*/, std::string_view /*key*/,
      std::string_view /*value*/) const noexcept {
    return std::nullopt;
  }

  // Offers and pools (leadroute/offer.h, Router::Offer, Claim, NextForRep,
  // ExpireOffers). Pending leads have no owner, no load and no rotation
  // effect. The defaults keep nothing, so a host's own store compiles; a
  // rule in offer or pool mode then fails its routes to the fallback.
  //
  // Atomically: unless `lead` already has a decision or a pending entry,
  // keeps `pending.decision` (whose `offer` must be set) with a copy of
  // `lead`, assigning the sequence and the offer id ("<lead id>#<n>").
  // Recording a decision for the lead (Claim, Record) removes its pending
  // entry in the same step; so does Release.
  virtual Result<PendingResult> AddPending(const Assignment& /*pending*/,
                                           const Lead& /*lead*/) noexcept {
    return Status::FailedPrecondition("store does not keep offers");
  }
  // The pending entry with this offer id or lead id. Called on every Route:
  // must be cheap when nothing is pending.
  virtual std::optional<PendingLead> FindPending(
      std::string_view /*offer_or_lead_id*/) const {
    return std::nullopt;
  }
  // Every pending entry, oldest first (routed_at, then sequence).
  virtual std::vector<PendingLead> ListPending() const { return {}; }

  // Outcomes (top-performer routing: leadroute/outcome.h, the `performance`
  // picker). The defaults keep nothing, so a host's own store compiles.
  //
  // Atomically: credits `outcome` to the rep owning the open lead `lead_id`
  // (overall, and for each field of `segments` whose value in the lead's
  // record is a string: the segment "field=value") and then forgets the
  // decision and frees the load exactly as Release does. A queue owner is
  // credited nothing. Returns the closed decision; kNotFound for an unknown
  // lead. The caller validates `outcome`.
  virtual Result<Assignment> RecordOutcome(
      std::string_view /*lead_id*/, const Outcome& /*outcome*/,
      std::span<const std::string> /*segments*/) noexcept {
    return Status::FailedPrecondition("store does not keep outcomes");
  }
  // The outcomes credited to `rep_id` overall (`segment` empty) or within
  // `segment` ("field=value"); zeros when none. Read on the route of a
  // `performance` step: must not block for long and must not allocate.
  virtual OutcomeStats Outcomes(std::string_view /*rep_id*/,
                                std::string_view /*segment*/) const noexcept {
    return {};
  }
};

// A StateStore for one process: lock-free reads, one mutex around Claim.
LEADROUTE_EXPORT std::unique_ptr<StateStore> NewInMemoryStateStore();

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_STATE_STORE_H_
