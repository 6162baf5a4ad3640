// SLA arithmetic shared by the config reader (durations), the compiler and
// the Router (due times, the next escalation step). docs/config.md#sla.
#ifndef LEADROUTE_SLA_H_
#define LEADROUTE_SLA_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "leadroute/assignment.h"
#include "leadroute/clock.h"
#include "leadroute/rule.h"
#include "leadroute/state_store.h"

namespace leadroute::internal {

struct CompiledRuleSet;

// "90s", "15m", "2h", "1d": a positive whole number and one unit. nullopt
// for anything else (zero, signs, spaces, fractions, overflow).
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);
// The canonical text of `d`: the largest unit that divides it exactly.
std::string DurationText(std::chrono::seconds d);

// The SLA of a decision by its rule: the rule's own, else `settings.sla`;
// nullptr when neither is set. An empty or unknown `rule_id` (a fallback or a
// transfer) gets `settings.sla`.
const Sla* SlaFor(const CompiledRuleSet& rules,
                  std::string_view rule_id) noexcept;

// The SLA of a recorded lead: its decision's rule's (SlaFor); for a
// transfer, which names no rule, the SLA of the first rule whose active
// window and `when` match the recorded lead. Allocates (slot table).
const Sla* SlaOf(const CompiledRuleSet& rules, const LeadRecord& record);

// Where a lead stands in its SLA.
struct SlaPosition {
  // Escalation steps already behind the lead: those due at or before the
  // instant its current owner got it.
  int level = 0;
  // The current owner's deadline: `respond_within` for the first owner, the
  // next step's instant after an escalation; nullopt once every step ran.
  std::optional<Instant> due;
  // The next step (nullptr when none is left) and when it becomes due.
  const EscalationStep* next = nullptr;
  Instant next_at{};
};

// `first`: the lead's first routing; `owner_since`: when the current owner
// got it (the decision's `routed_at`).
SlaPosition PositionIn(const Sla& sla, Instant first,
                       Instant owner_since) noexcept;

// The lead's first routing instant as far as the record tells: the lead's
// valid `created_at` (what the first route used), else the decision's
// `routed_at` while the first owner still has it. After an owner change
// without `created_at` the record keeps no earlier instant, so the first
// change stands in for it, less `sla`'s first step when that change was an
// SLA reassignment (exact when the host ran the step on time; later, never
// earlier, when it ran late). docs/lifecycle.md.
Instant FirstRouting(const LeadRecord& record, const Sla& sla) noexcept;

// The `due` of the record's current decision under `rules`.
std::optional<Instant> DueOf(const CompiledRuleSet& rules,
                             const LeadRecord& record);

// Sets `decision.due` from its lead's record in `state` (the SLA counts from
// the first routing, which only the record tells). Reads the record only
// when `rules` has an SLA at all.
void FillDue(const CompiledRuleSet& rules, const StateStore& state,
             Assignment& decision);

}  // namespace leadroute::internal

#endif  // LEADROUTE_SLA_H_
