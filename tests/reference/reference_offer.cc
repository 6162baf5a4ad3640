// The reference router's offer and pool modes, written from
// docs/cookbook/offer-and-pool.md and the `mode`/`offer` rows of
// docs/config.md "Rules". RunRule calls Offered where a push rule would
// claim; the pending book lives here. Each block quotes the sentence it
// implements.
#include <algorithm>
#include <cstdlib>
#include <tuple>

#include "reference/reference_router.h"

namespace leadroute::reference {
namespace {

const char* ModeName(Distribution mode) {
  return mode == Distribution::kPool ? "pool" : "offer";
}

// docs/explain.md "Reason codes": `offline`, `away` (or `available` when a
// step lists only other presences).
const char* PresenceCode(Presence p) {
  switch (p) {
    case Presence::kAvailable:
      return "available";
    case Presence::kAway:
      return "away";
    case Presence::kOffline:
      return "offline";
  }
  return "";
}

}  // namespace

// "only the last step changes: where push would claim one rep, an offer rule
// builds the shortlist and a pool rule keeps the lead for everyone still
// eligible." A claim and an expiry push run the rule as a push.
bool ReferenceRouter::Offering(size_t rule_index) const {
  return config_.rules[rule_index].mode != Distribution::kPush && !as_push_;
}

// "The shortlist is the picker's order: each rank is what the picker would
// claim with the reps above removed, skipping reps at a cap." The pickers
// modelled here rank by a fixed key per rep, so removing the reps above
// leaves the order of the others unchanged: sorting by that key is the
// same as asking the picker again and again.
std::optional<ReferenceRouter::RuleResult> ReferenceRouter::Offered(
    size_t rule_index, const ParsedStep* picker, const std::vector<bool>& c) {
  const Rule& rule = config_.rules[rule_index];
  const std::string& rotation = RotationOf(rule_index);
  auto last = [&](size_t rep) -> int64_t {
    auto rot = last_.find(rotation);
    if (rot == last_.end()) return -1;
    auto it = rot->second.find(rep);
    return it == rot->second.end() ? -1 : static_cast<int64_t>(it->second);
  };
  auto counter = [&](size_t rep) -> double {
    auto rot = counters_.find(rotation);
    if (rot == counters_.end()) return 0;
    auto it = rot->second.find(rep);
    return it == rot->second.end() ? 0 : it->second;
  };
  // The rank key: smaller first; the roster index breaks ties.
  auto key = [&](size_t i) -> std::tuple<double, int64_t, size_t> {
    if (picker == nullptr ||
        (picker->strategy == "round_robin" && !picker->weighted)) {
      return {0.0, last(i), i};  // least recently assigned
    }
    if (picker->strategy == "round_robin") {
      // Smooth weighted round robin claims the largest counter + weight.
      return {-(counter(i) + config_.reps[i].weight), 0, i};
    }
    if (picker->strategy == "least_loaded") {
      const auto& cap = config_.reps[i].capacity.max_open;
      double denom = picker->relative && cap ? double(*cap) : 1.0;
      return {double(open_[i]) / denom, last(i), i};
    }
    // `random` has no order to offer in without drawing from the rotation's
    // generator, which a pending lead must not touch: not modelled.
    std::abort();
  };
  std::vector<size_t> ranked;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] && HasRoom(i)) ranked.push_back(i);
  }
  if (ranked.empty()) return std::nullopt;  // everyone full: ran out
  std::sort(ranked.begin(), ranked.end(),
            [&](size_t a, size_t b) { return key(a) < key(b); });
  if (rule.mode == Distribution::kOffer) {
    const size_t size = rule.offer ? size_t(rule.offer->size) : 3;
    if (ranked.size() > size) ranked.resize(size);
  }
  offered_ = std::move(ranked);
  return RuleResult{Outcome::kPending, 0, ""};
}

// "A pending lead has no owner, no load and no effect on the rotation until
// a rep claims it." Pool leads never expire; an offer expires
// `expires_after` (default 15m) after the routing instant.
Decision ReferenceRouter::Pend(size_t rule_index, const Lead& lead,
                               const std::vector<size_t>& reps) {
  const Rule& rule = config_.rules[rule_index];
  PendingLead p{lead,       rule_index,   reps,
                offer_now_, std::nullopt, ++pending_seq_};
  if (rule.mode == Distribution::kOffer) {
    p.expires_at = offer_now_ + (rule.offer ? rule.offer->expires_after
                                            : OfferSettings{}.expires_after);
  }
  auto [it, inserted] = pending_.insert_or_assign(lead.id(), std::move(p));
  return PendingDecision(it->second);
}

// "owner empty, decided_by "offer" or "pool", `offer` set."
Decision ReferenceRouter::PendingDecision(const PendingLead& p) const {
  const Rule& rule = config_.rules[p.rule];
  Decision d;
  d.rule_id = rule.id;
  d.decided_by = ModeName(rule.mode);
  d.pending = true;
  for (size_t i : p.reps) d.shortlist.push_back(config_.reps[i].id);
  return d;
}

// "Claim succeeds only when the rep is on the shortlist (any rep for a pool
// lead) and still eligible now: the offering rule runs again for that rep
// alone, so presence, schedules, filters and caps are checked at claim
// time."
ReferenceRouter::ClaimResult ReferenceRouter::TryClaim(
    const std::string& lead_id, size_t rep) {
  const PendingLead p = pending_.at(lead_id);
  const Rule& rule = config_.rules[p.rule];
  only_rep_ = rep;
  as_push_ = true;
  RuleResult result = RunRule(p.rule, p.lead);
  only_rep_.reset();
  as_push_ = false;
  if (result.outcome == Outcome::kOwner) {
    // "The decision after a claim has decided_by "offer" or "pool" and the
    // offering rule's id"; the claim counts as the rule's assignment
    // (RunRule's Claim: load +1, most recently assigned in the rotation).
    Decision d;
    d.owner = Owner::Rep(config_.reps[rep].id);
    d.rule_id = rule.id;
    d.decided_by = ModeName(rule.mode);
    decisions_[lead_id] = d;
    pending_.erase(lead_id);
    return {d, StatusCode::kOk, ""};
  }
  // The reason code of docs/explain.md: the first check that removes the rep
  // (pool, then each filter in order; `relax` would undo every filter but
  // availability), else the claim's capacity check.
  std::string code = "at_capacity";
  only_rep_ = rep;
  std::vector<bool> c = Pool(p.rule);
  only_rep_.reset();
  if (!c[rep]) {
    // "inactive: it is in the pool as configured but active: false".
    const Rep& r = config_.reps[rep];
    const leadroute::Pool& pool = rule.pool;
    bool configured = (pool.teams.empty() && pool.reps.empty()) ||
                      std::count(pool.reps.begin(), pool.reps.end(), r.id) > 0;
    for (const auto& t : r.teams) {
      if (std::count(pool.teams.begin(), pool.teams.end(), t) > 0) {
        configured = true;
      }
    }
    code = configured && !r.active ? "inactive" : "not_in_pool";
  } else {
    for (const ParsedStep& s : steps_[p.rule]) {
      if (s.kind != ParsedStep::Kind::kFilter) continue;
      if (rule.on_empty == OnEmpty::kRelax && s.strategy != "availability") {
        continue;
      }
      c = ApplyFilter(s, c, p.lead);
      if (c[rep]) continue;
      if (s.strategy != "availability") {
        code = s.strategy;
      } else if (std::count(s.presence.begin(), s.presence.end(),
                            presence_[rep]) == 0) {
        code = PresenceCode(presence_[rep]);
      }
      break;
    }
  }
  return {std::nullopt, StatusCode::kFailedPrecondition,
          "not eligible now: " + code};
}

ReferenceRouter::ClaimResult ReferenceRouter::ClaimOffer(
    const std::string& lead_id, const std::string& rep_id) {
  auto it = pending_.find(lead_id);
  if (it == pending_.end()) {
    // "the loser gets `already claimed by rep X` (also when the offer
    // expired and was pushed first)", "already went to queue Q" when a
    // queue has it.
    if (auto d = decisions_.find(lead_id); d != decisions_.end()) {
      return {std::nullopt, StatusCode::kFailedPrecondition,
              d->second.owner.kind == OwnerKind::kRep ? "already claimed"
                                                      : "already went to"};
    }
    return {std::nullopt, StatusCode::kNotFound, "unknown lead"};
  }
  std::optional<size_t> rep;
  for (size_t i = 0; i < config_.reps.size(); ++i) {
    if (config_.reps[i].id == rep_id) rep = i;
  }
  if (!rep) return {std::nullopt, StatusCode::kNotFound, "unknown rep"};
  const PendingLead& p = it->second;
  // "offer "L-1#1" expired at ...": ExpireOffers settles an offer whose
  // expiry is at or before now, so from that instant on it is expired.
  if (p.expires_at && *p.expires_at <= offer_now_) {
    return {std::nullopt, StatusCode::kFailedPrecondition, "expired"};
  }
  if (config_.rules[p.rule].mode == Distribution::kOffer &&
      std::count(p.reps.begin(), p.reps.end(), *rep) == 0) {
    return {std::nullopt, StatusCode::kFailedPrecondition, "not on offer"};
  }
  return TryClaim(lead_id, *rep);
}

// "Blind pull: the oldest pool lead this rep may take, already claimed."
// Oldest: routed first, ties by arrival; eligibility is re-checked per lead.
ReferenceRouter::ClaimResult ReferenceRouter::NextForRep(
    const std::string& rep_id) {
  std::optional<size_t> rep;
  for (size_t i = 0; i < config_.reps.size(); ++i) {
    if (config_.reps[i].id == rep_id) rep = i;
  }
  if (rep) {
    for (const std::string& id : Pending()) {
      const PendingLead& p = pending_.at(id);
      if (config_.rules[p.rule].mode != Distribution::kPool) continue;
      ClaimResult r = TryClaim(id, *rep);
      if (r.decision) return r;
    }
  }
  return {std::nullopt, StatusCode::kNotFound, "none"};
}

// "Settles every offer whose expiry is at or before `now`, by its rule's
// `offer.on_expiry`: push routes the lead from the offering rule as a push
// (its on_empty applies as usual), fallback gives it to the RuleSet's
// fallback owner."
std::vector<std::pair<std::string, Decision>> ReferenceRouter::ExpireOffers(
    Instant now) {
  std::vector<std::pair<std::string, Decision>> out;
  const Instant routing = offer_now_;
  offer_now_ = now;
  for (const std::string& id : Pending()) {
    const PendingLead p = pending_.at(id);
    if (!p.expires_at || *p.expires_at > now) continue;
    pending_.erase(id);
    const Rule& rule = config_.rules[p.rule];
    const OnExpiry on_expiry =
        rule.offer ? rule.offer->on_expiry : OfferSettings{}.on_expiry;
    if (on_expiry == OnExpiry::kPush) {
      as_push_ = true;
      first_rule_ = p.rule;
      Decision d = Route(p.lead);
      as_push_ = false;
      first_rule_ = 0;
      out.emplace_back(id, d);
      continue;
    }
    Decision d;
    d.owner = *config_.fallback;
    d.rule_id = rule.id;
    d.decided_by = "fallback";
    d.fallback = true;
    // The fallback rep ignores presence and caps; her load counts.
    for (size_t i = 0; i < config_.reps.size(); ++i) {
      if (d.owner.kind == OwnerKind::kRep && config_.reps[i].id == d.owner.id) {
        ++open_[i];
      }
    }
    decisions_[id] = d;
    out.emplace_back(id, d);
  }
  offer_now_ = routing;
  return out;
}

// "Router::Pending() lists them, oldest first" (routed_at, then arrival).
std::vector<std::string> ReferenceRouter::Pending() const {
  std::vector<const std::pair<const std::string, PendingLead>*> all;
  for (const auto& entry : pending_) all.push_back(&entry);
  std::sort(all.begin(), all.end(), [](const auto* a, const auto* b) {
    return std::tie(a->second.offered_at, a->second.seq) <
           std::tie(b->second.offered_at, b->second.seq);
  });
  std::vector<std::string> ids;
  for (const auto* entry : all) ids.push_back(entry->first);
  return ids;
}

}  // namespace leadroute::reference
