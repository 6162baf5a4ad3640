// One lead's trip through the rule chain (DESIGN.md §1, §3): narrow through
// each rule's steps, claim one rep atomically in the StateStore, fall back
// when nothing yields.
#ifndef LEADROUTE_TRIP_H_
#define LEADROUTE_TRIP_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "leadroute/assignment.h"
#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/state_store.h"
#include "leadroute/trace.h"
#include "router_impl.h"

namespace leadroute::internal {

// How one trip runs beyond the plain route.
struct TripOptions {
  // Rep ids that may not own the lead (previous owners and decliners on a
  // reassignment). Removed from every rule's pool; unknown ids are ignored.
  std::span<const std::string> excluded{};
  // Non-null (Router::Reassign): the decision replaces the lead's current
  // one if the record's version still matches (StateStore::Claim).
  const Replacement* replace = nullptr;
  // Router::Explain: every claim is looked up with StateStore::Peek instead
  // of made, and neither a decision nor a fallback is recorded.
  bool dry_run = false;
  // Non-null: the trip fills in this trace (everything but the fields the
  // Router knows: `existing`). Null, the default, costs one branch per step.
  Trace* trace = nullptr;

  // Offers and pools (leadroute/offer.h; src/router_offer.cc). The defaults
  // are a plain route: each rule hands over by its own mode.
  enum class Distribute : uint8_t {
    kByRule,  // push rules claim; offer and pool rules leave it pending
    kOffer,   // every rule offers a shortlist of `offer_size` (Router::Offer)
    kPush,    // every rule claims (an expired offer, a rep's claim)
  };
  Distribute distribute = Distribute::kByRule;
  int offer_size = 0;  // kOffer: the shortlist length
  // Non-empty: the trip starts at the rule with this id, which applies
  // whatever its `when` and window say now (the rule that offered the lead).
  std::string_view from_rule{};
  // With `from_rule`: only that rule runs; when it yields nobody the trip
  // ends without an owner (no fallback, nothing recorded).
  bool only_from_rule = false;
  // Non-empty: this rep is the only candidate (the rule's pool and filters
  // still apply) and every claim takes it by PickOrder::kPreference; the
  // decision's `decided_by` is `claim_by`.
  std::string_view only_rep{};
  std::string_view claim_by{};
  // False (RouterOptions::keep_leads): a decision is recorded without the
  // lead's fields. A pending lead keeps them either way (a claim routes it).
  bool keep_lead = true;
};

// Routes `lead` at instant `now` through `snapshot` and records the decision
// in `state`. Returns the decision, or the earlier one (`repeated` set) when
// another route recorded one for the same lead id first. Never throws.
Assignment RunTrip(const Snapshot& snapshot, StateStore& state,
                   const Lead& lead, Instant now,
                   const TripOptions& options = {}) noexcept;

// The lead's `created_at` when it is a valid RFC 3339 string, else `now`.
Instant RoutingInstant(const Lead& lead, const Clock& clock) noexcept;

}  // namespace leadroute::internal

#endif  // LEADROUTE_TRIP_H_
