// Stable config names of the public enums, and their parsers.
#include "leadroute/condition.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "leadroute/rule.h"
#include "leadroute/strategy.h"

LEADROUTE_NAMESPACE_BEGIN

std::string_view PresenceName(Presence presence) noexcept {
  switch (presence) {
    case Presence::kAvailable:
      return "available";
    case Presence::kAway:
      return "away";
    case Presence::kOffline:
      return "offline";
  }
  return "available";
}

std::optional<Presence> ParsePresence(std::string_view name) noexcept {
  if (name == "available") return Presence::kAvailable;
  if (name == "away") return Presence::kAway;
  if (name == "offline") return Presence::kOffline;
  return std::nullopt;
}

std::string_view OwnerKindName(OwnerKind kind) noexcept {
  return kind == OwnerKind::kRep ? "rep" : "queue";
}

std::string_view ConditionOpName(ConditionOp op) noexcept {
  switch (op) {
    case ConditionOp::kAll:
      return "all";
    case ConditionOp::kAny:
      return "any";
    case ConditionOp::kNot:
      return "not";
    case ConditionOp::kEq:
      return "eq";
    case ConditionOp::kNe:
      return "ne";
    case ConditionOp::kIn:
      return "in";
    case ConditionOp::kNotIn:
      return "not_in";
    case ConditionOp::kGt:
      return "gt";
    case ConditionOp::kGte:
      return "gte";
    case ConditionOp::kLt:
      return "lt";
    case ConditionOp::kLte:
      return "lte";
    case ConditionOp::kBetween:
      return "between";
    case ConditionOp::kExists:
      return "exists";
    case ConditionOp::kPrefix:
      return "prefix";
    case ConditionOp::kContains:
      return "contains";
  }
  return "all";
}

std::string_view OnEmptyName(OnEmpty on_empty) noexcept {
  switch (on_empty) {
    case OnEmpty::kNextRule:
      return "next_rule";
    case OnEmpty::kFallback:
      return "fallback";
    case OnEmpty::kRelax:
      return "relax";
  }
  return "next_rule";
}

std::string_view StrategyKindName(StrategyKind kind) noexcept {
  switch (kind) {
    case StrategyKind::kFilter:
      return "filter";
    case StrategyKind::kResolver:
      return "resolver";
    case StrategyKind::kPicker:
      return "picker";
  }
  return "filter";
}

LEADROUTE_NAMESPACE_END
