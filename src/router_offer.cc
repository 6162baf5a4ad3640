// Router: offers and pools (leadroute/offer.h). A pending lead lives in the
// StateStore (AddPending); a claim is an ordinary StateStore::Claim of the
// offering rule restricted to one rep, so "first claim wins" is the store's
// "unless the lead already has a decision", and recording that decision
// removes the pending entry in the same atomic step.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/offer.h"
#include "leadroute/router.h"
#include "router_impl.h"
#include "sla.h"
#include "strategies/sticky.h"
#include "trip.h"

LEADROUTE_NAMESPACE_BEGIN

namespace {

constexpr std::array<std::pair<std::string_view, Distribution>, 3> kModes = {{
    {"push", Distribution::kPush},
    {"offer", Distribution::kOffer},
    {"pool", Distribution::kPool},
}};
constexpr std::array<std::pair<std::string_view, OnExpiry>, 2> kOnExpiry = {{
    {"push", OnExpiry::kPush},
    {"fallback", OnExpiry::kFallback},
}};
constexpr int kMaxOfferSize = 100;
constexpr std::string_view kFallbackDecider = "fallback";

// "lead L already claimed by rep X" (or the queue that has it).
Status AlreadyDecided(const Assignment& existing) {
  if (existing.owner.kind == OwnerKind::kRep) {
    return Status::FailedPrecondition(
        fmt::format("lead \"{}\" already claimed by rep \"{}\"",
                    existing.lead_id, existing.owner.id));
  }
  return Status::FailedPrecondition(
      fmt::format("lead \"{}\" already went to {} \"{}\"", existing.lead_id,
                  OwnerKindName(existing.owner.kind), existing.owner.id));
}

// The lead id inside an offer id ("<lead id>#<n>"), else `id` itself.
std::string_view LeadIdOf(std::string_view id) {
  const size_t hash = id.rfind('#');
  if (hash == std::string_view::npos || hash + 1 == id.size()) return id;
  for (size_t i = hash + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return id;
  }
  return id.substr(0, hash);
}

const internal::CompiledRule* FindRule(const internal::CompiledRuleSet& rules,
                                       std::string_view id) {
  for (const internal::CompiledRule& rule : rules.rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

// Why `rep_id` cannot take the pending lead now: the reason code a traced
// dry run of the same restricted trip gives for the rep (docs/explain.md),
// "at_capacity" when a picker found it at a cap, "rule_removed" when the
// offering rule is gone, else "not_eligible".
std::string IneligibleCode(const internal::Snapshot& snapshot,
                           StateStore& state, const PendingLead& pending,
                           std::string_view rep_id, Instant now,
                           internal::TripOptions trip) {
  Trace trace;
  trip.dry_run = true;
  trip.trace = &trace;
  internal::RunTrip(snapshot, state, *pending.lead, now, trip);
  std::string code;
  bool nobody = false;
  for (const TraceRule& rule : trace.rules) {
    for (const TraceStep& step : rule.steps) {
      if (step.outcome == "nobody") nobody = true;
      if (!step.note.empty() && step.resolved == rep_id) code = step.note;
      for (const TraceElimination& e : step.eliminated) {
        if (e.rep == rep_id) code = e.code;
      }
    }
  }
  if (!code.empty()) return code;
  if (trace.rules.empty() && !trace.lead_id.empty()) return "rule_removed";
  return nobody ? "at_capacity" : "not_eligible";
}

// After a new decision for a pending lead, as Route does after its own: the
// SLA counts from now and a `sticky` RuleSet remembers the lead's keys.
void Committed(const internal::Snapshot& snapshot, StateStore& state,
               const Lead& lead, Assignment& decision) noexcept {
  if (const Sla* sla = internal::SlaFor(*snapshot.rules, decision.rule_id)) {
    decision.due = decision.routed_at + sla->respond_within;
  }
  if (snapshot.rules->sticky != nullptr) {
    internal::RememberStickyKeys(*snapshot.rules->sticky, state, lead,
                                 decision);
  }
}

}  // namespace

std::string_view DistributionName(Distribution mode) noexcept {
  for (const auto& [name, value] : kModes) {
    if (value == mode) return name;
  }
  return "";
}

std::optional<Distribution> ParseDistribution(std::string_view name) noexcept {
  for (const auto& [text, value] : kModes) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view OnExpiryName(OnExpiry on_expiry) noexcept {
  for (const auto& [name, value] : kOnExpiry) {
    if (value == on_expiry) return name;
  }
  return "";
}

std::optional<OnExpiry> ParseOnExpiry(std::string_view name) noexcept {
  for (const auto& [text, value] : kOnExpiry) {
    if (text == name) return value;
  }
  return std::nullopt;
}

// The claim of `pending` by `rep_id` at `now`: the offering rule alone, run
// for that rep alone as a push. A failure is the reason why.
Result<Assignment> Router::ClaimPending(const PendingLead& pending,
                                        std::string_view rep_id, Instant now,
                                        bool why) {
  std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
  StateStore& state = *impl_->state;
  const OfferInfo& offer = *pending.decision.offer;
  internal::TripOptions trip;
  trip.keep_lead = impl_->keep_leads;
  trip.distribute = internal::TripOptions::Distribute::kPush;
  trip.from_rule = pending.decision.rule_id;
  trip.only_from_rule = true;
  trip.only_rep = rep_id;
  trip.claim_by = DistributionName(offer.mode);
  Assignment decision =
      internal::RunTrip(*snapshot, state, *pending.lead, now, trip);
  if (decision.repeated) return AlreadyDecided(decision);
  if (decision.owner.id.empty()) {
    // Another claim may have won meanwhile: that is the better answer.
    if (std::optional<Assignment> existing =
            state.Find(pending.decision.lead_id)) {
      return AlreadyDecided(*existing);
    }
    if (!why) return Status::FailedPrecondition("not eligible");
    return Status::FailedPrecondition(fmt::format(
        "rep \"{}\" is not eligible now: {}", rep_id,
        IneligibleCode(*snapshot, state, pending, rep_id, now, trip)));
  }
  Committed(*snapshot, state, *pending.lead, decision);
  snapshot.reset();  // host code may run next
  impl_->NotifyRouted(decision);
  return decision;
}

Result<OfferInfo> Router::Offer(const Lead& lead, int k) noexcept {
  if (lead.id().empty()) {
    return Status::InvalidArgument("the lead has no id");
  }
  if (k < 1 || k > kMaxOfferSize) {
    return Status::InvalidArgument(fmt::format(
        "found a shortlist size of {}, expected 1 to {}", k, kMaxOfferSize));
  }
  try {
    StateStore& state = *impl_->state;
    if (std::optional<Assignment> existing = state.Find(lead.id())) {
      return AlreadyDecided(*existing);
    }
    if (std::optional<PendingLead> pending = state.FindPending(lead.id());
        pending && pending->decision.lead_id == lead.id()) {
      return std::move(*pending->decision.offer);
    }
    std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
    internal::TripOptions trip;
    trip.keep_lead = impl_->keep_leads;
    trip.distribute = internal::TripOptions::Distribute::kOffer;
    trip.offer_size = k;
    Assignment decision =
        internal::RunTrip(*snapshot, state, lead,
                          internal::RoutingInstant(lead, *impl_->clock), trip);
    snapshot.reset();
    if (decision.offer) {
      if (!decision.repeated) impl_->Notify(impl_->on_offered, decision);
      return std::move(*decision.offer);
    }
    if (decision.repeated) return AlreadyDecided(decision);
    return Status::NotFound(
        fmt::format("nobody is eligible for lead \"{}\"", lead.id()));
  } catch (...) {
    return Status::Internal("out of memory offering a lead");
  }
}

Result<Assignment> Router::Claim(std::string_view offer_or_lead_id,
                                 std::string_view rep_id) noexcept {
  try {
    StateStore& state = *impl_->state;
    std::optional<PendingLead> pending = state.FindPending(offer_or_lead_id);
    if (!pending) {
      if (std::optional<Assignment> existing =
              state.Find(LeadIdOf(offer_or_lead_id))) {
        return AlreadyDecided(*existing);
      }
      return Status::NotFound(
          fmt::format("no pending offer or lead \"{}\"", offer_or_lead_id));
    }
    if (impl_->Load()->rules->roster->Find(rep_id) == kNoRep) {
      return Status::NotFound(fmt::format("unknown rep \"{}\"", rep_id));
    }
    const OfferInfo& offer = *pending->decision.offer;
    const Instant now = impl_->clock->Now();
    if (offer.mode == Distribution::kOffer) {
      if (offer.expires_at && *offer.expires_at <= now) {
        return Status::FailedPrecondition(
            fmt::format("offer \"{}\" expired at {}", offer.offer_id,
                        FormatInstant(*offer.expires_at)));
      }
      if (std::find(offer.reps.begin(), offer.reps.end(), rep_id) ==
          offer.reps.end()) {
        return Status::FailedPrecondition(fmt::format(
            "rep \"{}\" is not on offer \"{}\"", rep_id, offer.offer_id));
      }
    }
    return ClaimPending(*pending, rep_id, now, /*why=*/true);
  } catch (...) {
    return Status::Internal("out of memory claiming a lead");
  }
}

Result<Assignment> Router::NextForRep(std::string_view rep_id) noexcept {
  try {
    if (impl_->Load()->rules->roster->Find(rep_id) == kNoRep) {
      return Status::NotFound(fmt::format("unknown rep \"{}\"", rep_id));
    }
    const Instant now = impl_->clock->Now();
    for (const PendingLead& pending : impl_->state->ListPending()) {
      if (pending.decision.offer->mode != Distribution::kPool) continue;
      Result<Assignment> claimed =
          ClaimPending(pending, rep_id, now, /*why=*/false);
      if (claimed.ok()) return claimed;
    }
    return Status::NotFound(
        fmt::format("no pool lead rep \"{}\" is eligible for", rep_id));
  } catch (...) {
    return Status::Internal("out of memory pulling a lead");
  }
}

std::vector<Assignment> Router::ExpireOffers(Instant now) {
  std::vector<Assignment> decided;
  StateStore& state = *impl_->state;
  for (const PendingLead& pending : state.ListPending()) {
    const OfferInfo& offer = *pending.decision.offer;
    if (!offer.expires_at || *offer.expires_at > now) continue;
    std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
    const internal::CompiledRuleSet& rules = *snapshot->rules;
    const internal::CompiledRule* rule =
        FindRule(rules, pending.decision.rule_id);
    Assignment decision;
    if (rule != nullptr && rule->offer.on_expiry == OnExpiry::kFallback) {
      decision.lead_id = pending.decision.lead_id;
      decision.owner = rules.fallback;
      decision.rule_id = rule->id;
      decision.decided_by = kFallbackDecider;
      decision.fallback = true;
      decision.generation = snapshot->generation;
      decision.routed_at = now;
      ClaimResult recorded = state.Record(
          decision, impl_->keep_leads ? pending.lead.get() : nullptr, nullptr);
      if (recorded.outcome != ClaimResult::Outcome::kClaimed) continue;
    } else {
      // The offering rule routes it as a push; a rule removed since: the
      // whole chain.
      internal::TripOptions trip;
      trip.keep_lead = impl_->keep_leads;
      trip.distribute = internal::TripOptions::Distribute::kPush;
      if (rule != nullptr) trip.from_rule = rule->id;
      decision = internal::RunTrip(*snapshot, state, *pending.lead, now, trip);
      if (decision.repeated || decision.owner.id.empty()) continue;
    }
    Committed(*snapshot, state, *pending.lead, decision);
    snapshot.reset();
    impl_->NotifyRouted(decision);
    decided.push_back(std::move(decision));
  }
  return decided;
}

std::vector<Assignment> Router::Pending() const {
  std::vector<Assignment> out;
  for (PendingLead& pending : impl_->state->ListPending()) {
    out.push_back(std::move(pending.decision));
  }
  return out;
}

LEADROUTE_NAMESPACE_END
