// Rule: one link of the routing chain: when it applies, whom it starts from,
// and the strategy steps that narrow the candidates down to one owner.
#ifndef LEADROUTE_RULE_H_
#define LEADROUTE_RULE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/condition.h"
#include "leadroute/export.h"
#include "leadroute/offer.h"
#include "leadroute/rep.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// What a rule does when its candidates run out (DESIGN.md §3.5).
enum class OnEmpty : uint8_t {
  kNextRule,  // try the next rule (default)
  kFallback,  // give the lead to the RuleSet's fallback owner now
  kRelax,     // undo the latest relaxable filter steps one at a time
};

// "next_rule", "fallback" or "relax".
LEADROUTE_EXPORT std::string_view OnEmptyName(OnEmpty on_empty) noexcept;

// Where a rule's candidates start: the union of the named teams and reps, or
// every active rep when both are empty. Inactive reps are never candidates.
struct Pool {
  std::vector<std::string> teams{};
  std::vector<std::string> reps{};

  static Pool Everyone() { return {}; }
  static Pool Team(std::string id) { return {{std::move(id)}, {}}; }
  static Pool Reps(std::vector<std::string> ids) {
    return {{}, std::move(ids)};
  }
};

// One strategy invocation: the strategy's config name and its parameters as
// the text of a JSON object (the step's keys other than "strategy"). The
// builders in `leadroute/steps.h` write these for the built-in strategies.
struct Step {
  std::string strategy{};
  std::string params = "{}";
};

// When a rule applies, in the RuleSet's time zone (`settings.time_zone`).
// Outside the window the rule is skipped as if its `when` were false.
struct ActiveWindow {
  std::vector<std::string> days{};  // "mon".."sun"; empty: every day
  // Blocks as in a schedule ("22:00"-"06:00" crosses midnight and belongs
  // to the day it starts); empty: all day.
  std::vector<TimeBlock> hours{};
};

// What an SLA escalation step does to a lead whose owner missed the SLA.
// The Router only reports due steps (`Router::Due`); the host runs them.
enum class EscalationAction : uint8_t {
  kReassign,  // route again in the same rules, excluding earlier owners:
              // `Router::Reassign(lead, ChangeReason::kSlaMissed)`
  kTeamLead,  // transfer to the `lead` of the owner's team
  kTransfer,  // transfer to the rep `EscalationStep::to`
  kFallback,  // transfer to the RuleSet's fallback owner
};

// "reassign", "team_lead", "transfer" or "fallback".
LEADROUTE_EXPORT std::string_view EscalationActionName(
    EscalationAction action) noexcept;

// One escalation: what happens once `after` has passed since the lead's
// first routing.
struct EscalationStep {
  std::chrono::seconds after{};  // > 0; strictly increasing within an SLA
  EscalationAction action = EscalationAction::kReassign;
  std::string to{};  // kTransfer only: the rep id that takes the lead
};

// A response-time agreement: the first owner must act within
// `respond_within` of the lead's first routing; when nobody did, the
// `escalate` steps fire in order, each `after` its delay from the first
// routing (not from the latest owner change). docs/config.md#sla.
struct Sla {
  std::chrono::seconds respond_within{};  // > 0
  std::vector<EscalationStep> escalate{};
};

struct Rule {
  std::string id{};  // unique within the RuleSet; reported in decisions
  Condition when{};  // default: always
  Pool pool{};       // default: every active rep
  std::vector<Step> steps{};
  // Rotation key shared by pickers: rules naming the same rotation share
  // round-robin fairness. Empty: the rule id.
  std::string rotation{};
  OnEmpty on_empty = OnEmpty::kNextRule;
  // nullopt: always active.
  std::optional<ActiveWindow> active{};
  // The SLA of the leads this rule decides; nullopt: `settings.sla`.
  std::optional<Sla> sla{};
  // How the rule hands the lead over (leadroute/offer.h): push claims a rep
  // now; offer and pool leave the lead pending for reps to claim.
  Distribution mode = Distribution::kPush;
  // kOffer only; nullopt: the OfferSettings defaults.
  std::optional<OfferSettings> offer{};
  std::string description{};  // free text for people; not used in routing
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_RULE_H_
