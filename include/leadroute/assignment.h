// Assignment: the decision for one lead, exactly one owner and why.
#ifndef LEADROUTE_ASSIGNMENT_H_
#define LEADROUTE_ASSIGNMENT_H_

#include <cstdint>
#include <string>

#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/owner.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

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

  // One line of JSON: {"lead_id":..,"owner":..,"owner_kind":..,"rule":..,
  // "decided_by":..,"fallback":..}.
  LEADROUTE_EXPORT std::string ToJson() const;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ASSIGNMENT_H_
