// StateStore: the live routing state (presence, open loads, rotation state,
// lead -> decision records) and the one atomic state transition, Claim.
//
// Everything is keyed by rep id, so state carries over when a RuleSet is
// replaced. Implementations must be thread-safe: Read may be called
// concurrently with anything and should not lock; Claim is atomic.
#ifndef LEADROUTE_STATE_STORE_H_
#define LEADROUTE_STATE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "leadroute/assignment.h"
#include "leadroute/candidate_set.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
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
};

struct ClaimPolicy {
  PickOrder order = PickOrder::kLeastRecent;
  std::span<const RepIndex> preference{};  // kPreference only
  // kRandom: when non-zero, seeds the rotation's generator in place of
  // `ClaimRequest::seed` (a step's own seed). Either seed is used only when
  // the rotation first draws; later draws continue its sequence.
  uint64_t seed = 0;
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
  // the time the claim counts at for time-based caps.
  Instant at{};
};

struct ClaimResult {
  enum class Outcome : uint8_t {
    kClaimed,         // `rep` now owns the lead; its load went up by one
    kNobody,          // every candidate was at capacity; nothing changed
    kAlreadyDecided,  // the lead id already has a decision: `existing`
  };
  Outcome outcome = Outcome::kNobody;
  RepIndex rep = kNoRep;
  Assignment existing{};
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
  // owner, adds one to its load and updates the rotation.
  virtual ClaimResult Claim(const ClaimRequest& request) noexcept = 0;

  // The rep Claim would pick for `request` right now, without changing any
  // state and ignoring whether the lead already has a decision; kNoRep when
  // nobody is eligible. For explain (the runner-up) and shortlists; a later
  // Claim may pick differently when other routes claim in between.
  virtual RepIndex Peek(const ClaimRequest& request) const noexcept = 0;

  // Atomically records `decision` (a fallback owner, not subject to caps)
  // unless the lead already has one. A rep owner's load goes up by one.
  virtual ClaimResult Record(const Assignment& decision) noexcept = 0;

  // The recorded decision for `lead_id`, if any.
  virtual std::optional<Assignment> Find(std::string_view lead_id) const = 0;

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
};

// A StateStore for one process: lock-free reads, one mutex around Claim.
LEADROUTE_EXPORT std::unique_ptr<StateStore> NewInMemoryStateStore();

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_STATE_STORE_H_
