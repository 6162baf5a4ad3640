// Trace::ToJson: the documented key order (docs/explain.md), built with
// ordered_json so that it never depends on a map's order.
#include "leadroute/trace.h"

#include <nlohmann/json.hpp>

LEADROUTE_NAMESPACE_BEGIN
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

Json StepJson(const TraceStep& step) {
  Json out;
  out["action"] = step.action;
  out["index"] = step.index;
  out["strategy"] = step.strategy;
  out["kind"] = step.kind;
  out["path"] = step.path;
  out["before"] = step.before;
  out["after"] = step.after;
  out["outcome"] = step.outcome;
  Json eliminated = Json::array();
  for (const TraceElimination& e : step.eliminated) {
    Json entry;
    entry["rep"] = e.rep;
    entry["code"] = e.code;
    eliminated.push_back(std::move(entry));
  }
  out["eliminated"] = std::move(eliminated);
  out["resolved"] = OrNull(step.resolved);
  out["note"] = OrNull(step.note);
  if (step.pick) {
    Json pick;
    pick["rep"] = OrNull(step.pick->rep);
    pick["order"] = step.pick->order;
    pick["runner_up"] = OrNull(step.pick->runner_up);
    // Only for an offer or pool rule, so that other traces keep their keys.
    if (!step.pick->shortlist.empty()) pick["shortlist"] = step.pick->shortlist;
    out["pick"] = std::move(pick);
  } else {
    out["pick"] = nullptr;
  }
  return out;
}

Json RuleJson(const TraceRule& rule) {
  Json out;
  out["id"] = rule.id;
  out["path"] = rule.path;
  out["status"] = rule.status;
  out["failed_clause"] = OrNull(rule.failed_clause);
  // Only for an experiment rule, so that other traces keep their keys.
  if (!rule.variant.empty()) {
    out["variant"] = rule.variant;
    out["bucket"] = rule.bucket;
  }
  Json steps = Json::array();
  for (const TraceStep& step : rule.steps) steps.push_back(StepJson(step));
  out["steps"] = std::move(steps);
  out["outcome"] = OrNull(rule.outcome);
  return out;
}

}  // namespace

std::string Trace::ToJson() const {
  Json out;
  out["lead_id"] = lead_id;
  out["at"] = FormatInstant(at);
  out["generation"] = generation;
  out["config_hash"] = config_hash;
  out["dry_run"] = dry_run;
  Json tried = Json::array();
  for (const TraceRule& rule : rules) tried.push_back(RuleJson(rule));
  out["rules"] = std::move(tried);
  Json decision;
  decision["owner"] = owner.id;
  decision["owner_kind"] = OwnerKindName(owner.kind);
  decision["rule"] = OrNull(rule_id);
  decision["decided_by"] = decided_by;
  decision["fallback"] = fallback;
  decision["fallback_reason"] = OrNull(fallback_reason);
  if (!variant.empty()) decision["variant"] = variant;
  if (offer) {
    Json o;
    o["offer_id"] = OrNull(offer->offer_id);
    o["mode"] = DistributionName(offer->mode);
    o["reps"] = offer->reps;
    if (offer->expires_at) o["expires_at"] = FormatInstant(*offer->expires_at);
    decision["offer"] = std::move(o);
  }
  out["decision"] = std::move(decision);
  if (existing) {
    Json previous;
    previous["owner"] = existing->owner.id;
    previous["owner_kind"] = OwnerKindName(existing->owner.kind);
    previous["rule"] = OrNull(existing->rule_id);
    previous["decided_by"] = existing->decided_by;
    previous["fallback"] = existing->fallback;
    previous["routed_at"] = FormatInstant(existing->routed_at);
    if (!existing->variant.empty()) previous["variant"] = existing->variant;
    out["existing"] = std::move(previous);
  } else {
    out["existing"] = nullptr;
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

LEADROUTE_NAMESPACE_END
