#include "bench/baseline.h"

#include <limits>
#include <map>
#include <string>

namespace leadroute::bench {

Baseline::Baseline(const Workload& workload) {
  for (const RepPlan& plan : workload.reps) {
    Rep rep{};
    rep.countries = plan.countries;
    rep.anywhere = plan.anywhere;
    rep.industries = plan.industries;
    rep.products = plan.products;
    rep.languages = plan.languages;
    rep.tier_bit = static_cast<uint8_t>(1u << plan.tier);
    rep.available = plan.presence == RepPresence::kAvailable;
    rep.max_open =
        plan.max_open < 0 ? std::numeric_limits<int32_t>::max() : plan.max_open;
    reps_.push_back(rep);
    load_.push_back(plan.preload);
  }
  // Pools: one per team, then everyone (the catch-all's).
  members_.resize(workload.teams + 1);
  for (uint32_t i = 0; i < workload.reps.size(); ++i) {
    const RepPlan& plan = workload.reps[i];
    if (!plan.active) continue;
    for (int team : plan.teams) members_[team].push_back(i);
    members_[workload.teams].push_back(i);
  }
  for (const auto& pool : members_) {
    uint64_t countries = 0;
    bool anywhere = false;
    for (uint32_t i : pool) {
      countries |= reps_[i].countries;
      anywhere = anywhere || reps_[i].anywhere;
    }
    pool_countries_.push_back(countries);
    pool_anywhere_.push_back(anywhere);
  }
  std::map<std::string, uint32_t> rotations;
  for (const RulePlan& plan : workload.rules) {
    Rule rule{};
    rule.region = plan.region;
    rule.countries = plan.countries;
    rule.industries = plan.industries;
    rule.employees_op = plan.employees.op;
    rule.employees_lo = plan.employees.lo;
    rule.employees_hi = plan.employees.hi;
    rule.score_min = plan.score_min;
    rule.deal_min = plan.deal_min;
    rule.product_bit =
        plan.product == kNone ? 0 : static_cast<uint8_t>(1u << plan.product);
    rule.language = plan.language;
    rule.sources = plan.sources;
    rule.not_partner = plan.not_partner;
    rule.pool = plan.catch_all ? static_cast<uint32_t>(workload.teams)
                               : static_cast<uint32_t>(plan.team);
    auto [it, added] = rotations.try_emplace(
        plan.rotation, static_cast<uint32_t>(rotations.size()));
    rule.rotation = it->second;
    rule.territory_step = plan.territory;
    rule.industry_step = plan.industry;
    rule.industry_keep = plan.industry_keep;
    rule.product_step = plan.product_filter;
    rule.language_step = plan.language_filter;
    rule.score_bands = plan.score_bands;
    rule.deal_bands = plan.deal_bands;
    rule.catch_all = plan.catch_all;
    rules_.push_back(rule);
  }
  last_seq_.assign(rotations.size(),
                   std::vector<uint64_t>(workload.reps.size(), 0));
}

bool Baseline::Matches(const Rule& rule, const LeadRow& lead) const noexcept {
  if (rule.region >= 0 && lead.region != rule.region) return false;
  if (rule.countries != 0 && ((rule.countries >> lead.country) & 1) == 0) {
    return false;
  }
  if (rule.industries != 0 && (lead.industry == kNone ||
                               ((rule.industries >> lead.industry) & 1) == 0)) {
    return false;
  }
  switch (rule.employees_op) {
    case NumberTest::Op::kNoTest:
      break;
    case NumberTest::Op::kGte:
      if (!lead.has_employees || !(lead.employees >= rule.employees_lo)) {
        return false;
      }
      break;
    case NumberTest::Op::kLt:
      if (!lead.has_employees || !(lead.employees < rule.employees_hi)) {
        return false;
      }
      break;
    case NumberTest::Op::kBetween:
      if (!lead.has_employees || lead.employees < rule.employees_lo ||
          lead.employees > rule.employees_hi) {
        return false;
      }
      break;
  }
  if (rule.score_min >= 0 && !(lead.score >= rule.score_min)) return false;
  if (rule.deal_min >= 0 &&
      (!lead.has_deal || !(lead.deal_value >= rule.deal_min))) {
    return false;
  }
  if (rule.product_bit != 0 && (lead.products & rule.product_bit) == 0) {
    return false;
  }
  if (rule.language != kNone && lead.language != rule.language) return false;
  if (rule.sources != 0 && ((rule.sources >> lead.source) & 1) == 0) {
    return false;
  }
  if (rule.not_partner && lead.source == kPartnerSource) return false;
  return true;
}

Baseline::Decision Baseline::Route(const LeadRow& lead) noexcept {
  const uint64_t country_bit = uint64_t{1} << lead.country;
  const uint32_t all = ~uint32_t{0};
  for (size_t r = 0; r < rules_.size(); ++r) {
    const Rule& rule = rules_[r];
    if (!Matches(rule, lead)) continue;
    // Territory keeps the reps naming the lead's country when the pool has
    // any, else those covering "*", else nobody.
    bool by_country = true;
    if (rule.territory_step) {
      if ((pool_countries_[rule.pool] & country_bit) == 0) {
        if (!pool_anywhere_[rule.pool]) continue;
        by_country = false;
      }
    }
    uint32_t industry = all;
    if (rule.industry_step) {
      if (lead.industry != kNone) {
        industry = 1u << lead.industry;
      } else if (!rule.industry_keep) {
        continue;
      }
    }
    const uint32_t products =
        rule.product_step && lead.products != 0 ? lead.products : all;
    const uint32_t language = rule.language_step && lead.language != kNone
                                  ? 1u << lead.language
                                  : all;
    uint8_t tiers = 0xff;
    if (rule.score_bands) {
      tiers = kBandTiers[lead.score < kScoreBandEdges[0]   ? 0
                         : lead.score < kScoreBandEdges[1] ? 1
                                                           : 2];
    } else if (rule.deal_bands && lead.has_deal) {
      tiers = kBandTiers[lead.deal_value < kDealBandEdges[0]   ? 0
                         : lead.deal_value < kDealBandEdges[1] ? 1
                                                               : 2];
    }
    uint64_t* last = last_seq_[rule.rotation].data();
    int32_t best = -1;
    uint64_t best_seq = 0;
    for (uint32_t i : members_[rule.pool]) {
      const Rep& rep = reps_[i];
      if (rule.territory_step &&
          !(by_country ? (rep.countries & country_bit) != 0 : rep.anywhere)) {
        continue;
      }
      if ((rep.industries & industry) == 0 || (rep.products & products) == 0 ||
          (rep.languages & language) == 0 || (rep.tier_bit & tiers) == 0 ||
          !rep.available || load_[i] >= rep.max_open) {
        continue;
      }
      if (best < 0 || last[i] < best_seq) {
        best = static_cast<int32_t>(i);
        best_seq = last[i];
      }
    }
    if (best >= 0) {
      ++load_[best];
      last[best] = ++seq_;
      return {best, static_cast<int32_t>(r)};
    }
    if (rule.catch_all) return {-1, static_cast<int32_t>(r)};
  }
  return {};
}

void Baseline::Release(Decision decision) noexcept {
  if (decision.rep >= 0 && load_[decision.rep] > 0) --load_[decision.rep];
}

}  // namespace leadroute::bench
