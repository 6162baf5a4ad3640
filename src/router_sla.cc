// SLA due times and escalation (Router::Due), hot reload (Router::Reload)
// and the callback error count. docs/lifecycle.md.
#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "config/json_util.h"
#include "leadroute/router.h"
#include "router_impl.h"
#include "sla.h"

LEADROUTE_NAMESPACE_BEGIN

std::string_view EscalationActionName(EscalationAction action) noexcept {
  switch (action) {
    case EscalationAction::kReassign:
      return "reassign";
    case EscalationAction::kTeamLead:
      return "team_lead";
    case EscalationAction::kTransfer:
      return "transfer";
    case EscalationAction::kFallback:
      return "fallback";
  }
  return "reassign";
}

LEADROUTE_NAMESPACE_END

namespace leadroute::internal {
namespace {

struct Unit {
  char suffix;
  int64_t seconds;
};
// Largest first, for DurationText.
constexpr Unit kUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

// Who takes the lead when `step` runs for a lead owned by `owner`; an empty
// id for kReassign (the rules choose).
Owner TargetOf(const CompiledRuleSet& rules, const EscalationStep& step,
               const Owner& owner) {
  switch (step.action) {
    case EscalationAction::kReassign:
      return Owner{};
    case EscalationAction::kTransfer:
      return Owner::Rep(step.to);
    case EscalationAction::kFallback:
      return rules.fallback;
    case EscalationAction::kTeamLead:
      break;
  }
  if (owner.kind == OwnerKind::kRep) {
    RepIndex rep = rules.roster->Find(owner.id);
    if (rep != kNoRep) {
      for (const std::string& team_id : rules.roster->rep(rep).teams) {
        for (const Team& team : rules.config.teams) {
          if (team.id == team_id && !team.lead.empty() &&
              team.lead != owner.id) {
            return Owner::Rep(team.lead);
          }
        }
      }
    }
  }
  // A queue owner, a rep no longer in the RuleSet or one whose teams have no
  // other lead: nobody closer than the fallback.
  return rules.fallback;
}

}  // namespace

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char suffix = text.back();
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (u.suffix == suffix) unit = &u;
  }
  if (unit == nullptr) return std::nullopt;
  std::string_view digits = text.substr(0, text.size() - 1);
  int64_t n = 0;
  auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n <= 0 ||
      digits.front() == '+' ||
      // Kept far below Instant's range (milliseconds in int64).
      n > int64_t{100} * 365 * 86400 / unit->seconds) {
    return std::nullopt;
  }
  return std::chrono::seconds{n * unit->seconds};
}

std::string DurationText(std::chrono::seconds d) {
  const int64_t s = d.count();
  for (const Unit& u : kUnits) {
    if (s != 0 && s % u.seconds == 0) {
      return std::to_string(s / u.seconds) + u.suffix;
    }
  }
  return std::to_string(s) + "s";
}

const Sla* SlaFor(const CompiledRuleSet& rules,
                  std::string_view rule_id) noexcept {
  if (!rules.any_sla) return nullptr;
  if (!rule_id.empty()) {
    for (const CompiledRule& rule : rules.rules) {
      if (rule.id == rule_id) return rule.sla;
    }
  }
  return rules.config.settings.sla ? &*rules.config.settings.sla : nullptr;
}

SlaPosition PositionIn(const Sla& sla, Instant first,
                       Instant owner_since) noexcept {
  SlaPosition p;
  const int steps = static_cast<int>(sla.escalate.size());
  while (p.level < steps &&
         first + sla.escalate[p.level].after <= owner_since) {
    ++p.level;
  }
  if (p.level < steps) {
    p.next = &sla.escalate[p.level];
    p.next_at = first + p.next->after;
  }
  if (p.level == 0) {
    p.due = first + sla.respond_within;
  } else if (p.next != nullptr) {
    p.due = p.next_at;
  }
  return p;
}

Instant FirstRouting(const LeadRecord& record, const Sla& sla) noexcept {
  if (record.lead != nullptr) {
    if (const Value* created = record.lead->Find("created_at")) {
      if (created->is_string()) {
        if (std::optional<Instant> t = ParseInstant(created->as_string())) {
          return *t;
        }
      }
    }
  }
  if (record.history.empty()) return record.decision.routed_at;
  const OwnerChange& first_change = record.history.front();
  if (first_change.reason == ChangeReason::kSlaMissed &&
      !sla.escalate.empty()) {
    return first_change.at - sla.escalate.front().after;
  }
  return first_change.at;
}

const Sla* SlaOf(const CompiledRuleSet& rules, const LeadRecord& record) {
  if (!rules.any_sla) return nullptr;
  const Assignment& decision = record.decision;
  if (!decision.rule_id.empty() || decision.fallback ||
      record.lead == nullptr) {
    return SlaFor(rules, decision.rule_id);
  }
  // A transfer names no rule: the lead keeps the SLA of the rule it
  // entered, the first whose window and `when` match it.
  const Lead& lead = *record.lead;
  std::vector<const Value*> slots(rules.fields.size(), nullptr);
  for (const auto& [name, value] : lead.fields()) {
    if (auto slot = rules.fields.Find(name)) slots[*slot] = &value;
  }
  const LeadView view(lead, slots);
  const Instant at =
      record.history.empty() ? decision.routed_at : record.history.front().at;
  for (const CompiledRule& rule : rules.rules) {
    if (rule.active.Contains(at) && rule.when.Evaluate(view)) return rule.sla;
  }
  return SlaFor(rules, "");
}

std::optional<Instant> DueOf(const CompiledRuleSet& rules,
                             const LeadRecord& record) {
  const Sla* sla = SlaOf(rules, record);
  if (sla == nullptr) return std::nullopt;
  return PositionIn(*sla, FirstRouting(record, *sla), record.decision.routed_at)
      .due;
}

void FillDue(const CompiledRuleSet& rules, const StateStore& state,
             Assignment& decision) {
  if (!rules.any_sla) return;
  if (std::optional<LeadRecord> record = state.FindRecord(decision.lead_id)) {
    decision.due = DueOf(rules, *record);
  }
}

}  // namespace leadroute::internal

LEADROUTE_NAMESPACE_BEGIN

using internal::CompiledRuleSet;

std::vector<DueEscalation> Router::Due(Instant now) const {
  std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
  const CompiledRuleSet& rules = *snapshot->rules;
  std::vector<DueEscalation> out;
  if (!rules.any_sla) return out;
  impl_->state->ForEachRecord([&](const LeadRecord& record) {
    const Sla* sla = internal::SlaOf(rules, record);
    if (sla == nullptr) return;
    const Instant first = internal::FirstRouting(record, *sla);
    internal::SlaPosition p =
        internal::PositionIn(*sla, first, record.decision.routed_at);
    // A step that would hand the lead to its current owner has nothing to
    // do (the owner is the team lead, the transfer target or the fallback):
    // the lead moves on to the step after it.
    Owner target;
    while (p.next != nullptr) {
      target = internal::TargetOf(rules, *p.next, record.decision.owner);
      if (p.next->action == EscalationAction::kReassign ||
          target != record.decision.owner) {
        break;
      }
      ++p.level;
      p.next = p.level < static_cast<int>(sla->escalate.size())
                   ? &sla->escalate[p.level]
                   : nullptr;
    }
    if (p.next == nullptr) return;
    p.next_at = first + p.next->after;
    if (p.next_at > now) return;
    DueEscalation item;
    item.assignment = record.decision;
    item.assignment.due = p.next_at;
    item.next = *p.next;
    item.target = std::move(target);
    item.due = p.next_at;
    item.level = p.level;
    out.push_back(std::move(item));
  });
  std::sort(out.begin(), out.end(),
            [](const DueEscalation& a, const DueEscalation& b) {
              if (a.due != b.due) return a.due < b.due;
              return a.assignment.lead_id < b.assignment.lead_id;
            });
  return out;
}

Status Router::Reload(std::string_view rules_json) noexcept {
  Result<RuleSet> loaded = Status::Internal("not loaded");
  try {
    loaded = RuleSet::FromJson(rules_json, impl_->load);
  } catch (const std::exception& e) {
    loaded = Status::Internal(e.what());
  }
  if (!loaded.ok()) {
    impl_->log.Write(LogLevel::kWarn, "reload rejected: {}",
                     loaded.status().message());
    impl_->Notify(impl_->on_config_rejected, loaded.status());
    return loaded.status();
  }
  Status updated = Update(std::move(loaded).value());
  if (!updated.ok()) impl_->Notify(impl_->on_config_rejected, updated);
  return updated;
}

Status Router::ReloadFile(const std::string& path) noexcept {
  std::optional<std::string> text;
  try {
    text = internal::ReadFile(path);
  } catch (...) {
    text.reset();
  }
  if (!text) {
    Status status = Status::NotFound("cannot read \"" + path + "\"");
    impl_->Notify(impl_->on_config_rejected, status);
    return status;
  }
  return Reload(*text);
}

uint64_t Router::callback_errors() const noexcept {
  return impl_->callback_errors.load(std::memory_order_relaxed);
}

LEADROUTE_NAMESPACE_END
