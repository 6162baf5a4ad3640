#include "leadroute/assignment.h"

#include <nlohmann/json.hpp>

LEADROUTE_NAMESPACE_BEGIN

std::string Assignment::ToJson() const {
  // ordered_json keeps the documented key order. `repeated` appears only on
  // a retry, so consumers that ignore retries see the same six keys always.
  nlohmann::ordered_json out;
  out["lead_id"] = lead_id;
  if (offer && owner.id.empty()) {
    // Pending (offer, pool): nobody owns the lead until a claim.
    out["owner"] = nullptr;
    out["owner_kind"] = "pending";
  } else {
    out["owner"] = owner.id;
    out["owner_kind"] = OwnerKindName(owner.kind);
  }
  if (rule_id.empty()) {
    out["rule"] = nullptr;
  } else {
    out["rule"] = rule_id;
  }
  out["decided_by"] = decided_by;
  out["fallback"] = fallback;
  if (repeated) out["repeated"] = true;
  // Only with an SLA, so output without one keeps its keys.
  if (due) out["due"] = FormatInstant(*due);
  // Only from an experiment rule, likewise.
  if (!variant.empty()) out["variant"] = variant;
  if (offer) {
    nlohmann::ordered_json o;
    o["offer_id"] = offer->offer_id;
    o["mode"] = DistributionName(offer->mode);
    o["reps"] = offer->reps;
    o["offered_at"] = FormatInstant(offer->offered_at);
    if (offer->expires_at) o["expires_at"] = FormatInstant(*offer->expires_at);
    out["offer"] = std::move(o);
  }
  return out.dump(-1, ' ', false,
                  nlohmann::ordered_json::error_handler_t::replace);
}

LEADROUTE_NAMESPACE_END
