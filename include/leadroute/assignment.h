// Assignment: the decision for one lead, exactly one owner and why.
#ifndef LEADROUTE_ASSIGNMENT_H_
#define LEADROUTE_ASSIGNMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/offer.h"
#include "leadroute/owner.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

struct Trace;  // leadroute/trace.h

struct Assignment {
  std::string lead_id{};
  Owner owner{};          // a rep, or a queue when the fallback is a queue
  std::string rule_id{};  // the rule that decided; empty for the fallback
  // The strategy that produced the owner ("round_robin", "hierarchy", ...),
  // or "fallback".
  std::string decided_by{};
  bool fallback = false;  // true when no rule yielded an owner
  // True when this is an earlier decision for the same lead id, returned
  // again without counting twice (DESIGN.md §3.7).
  bool repeated = false;
  uint64_t generation = 0;  // the Router generation whose RuleSet decided
  // The routing instant of this decision (the lead's `created_at`, else the
  // clock's now; for a reassignment, the clock's now).
  Instant routed_at{};
  // The current owner's response deadline from the SLA of the deciding rule
  // (or `settings.sla`); nullopt without an SLA. Filled in by the Router
  // (`Route`, `Find`, `Due`), not kept by the StateStore.
  std::optional<Instant> due{};
  // The experiment variant the deciding rule ran, as
  // "<experiment id>/<variant name>" (docs/cookbook/experiments.md); empty
  // when no experiment decided. Also set when an experiment rule sent the
  // lead to the fallback owner; kept by a transfer (the lead stays in its
  // arm of the test). Stored with the decision and in saved state.
  std::string variant{};
  // Why this owner (leadroute/trace.h): set only by a route asked to
  // explain (`RouteOptions::explain`); null otherwise. Never stored with
  // the decision.
  std::shared_ptr<const Trace> trace{};
  // Set while the lead waits for a rep (a rule in offer or pool mode, or
  // Router::Offer): `owner` is empty until a rep claims it
  // (leadroute/offer.h). Unset on every decision with an owner.
  std::optional<OfferInfo> offer{};

  // One line of JSON: {"lead_id":..,"owner":..,"owner_kind":..,"rule":..,
  // "decided_by":..,"fallback":..}, plus "repeated" on a retry and "due"
  // (RFC 3339) when an SLA applies, "variant" when an experiment decided, and
  // "offer" ({"offer_id", "mode", "reps", "offered_at", "expires_at"?}) while
  // the lead is pending, when "owner" is null and "owner_kind" "pending".
  LEADROUTE_EXPORT std::string ToJson() const;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ASSIGNMENT_H_
