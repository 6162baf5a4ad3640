// `bands` and its shorthands `score` and `deal_value`: the lead's number picks
// one of ordered bands, and the band names the rep tiers that may take it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/builtin.h"
#include "strategies/filter_params.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct CompiledBand {
  double min = -kInfinity;  // inclusive
  double max = kInfinity;   // exclusive
  CandidateSet reps;        // reps whose tier the band allows
};

class BandsStrategy final : public Strategy {
 public:
  BandsStrategy(std::string_view name, FieldSlot slot, bool keep_if_missing,
                std::vector<CompiledBand> bands)
      : name_(name),
        slot_(slot),
        keep_if_missing_(keep_if_missing),
        bands_(std::move(bands)) {}

  std::string_view Name() const noexcept override { return name_; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kFilter; }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& /*ctx*/) const noexcept override {
    const Value* v = lead.Get(slot_);
    std::optional<double> x = v == nullptr ? std::nullopt : v->number();
    if (!x || std::isnan(*x)) {
      if (!keep_if_missing_) candidates.Clear();
      return StepResult::Narrowed();
    }
    // Bands are ascending and disjoint: the candidate is the last band that
    // starts at or below x; x may still fall in the gap after it.
    auto it = std::upper_bound(
        bands_.begin(), bands_.end(), *x,
        [](double value, const CompiledBand& b) { return value < b.min; });
    // An open top band (no "max") holds every larger value, +infinity too.
    if (it == bands_.begin() ||
        !(*x < std::prev(it)->max || std::prev(it)->max == kInfinity)) {
      candidates.Clear();
    } else {
      candidates &= std::prev(it)->reps;
    }
    return StepResult::Narrowed();
  }

 private:
  std::string_view name_;
  FieldSlot slot_;
  bool keep_if_missing_;
  std::vector<CompiledBand> bands_;  // ascending, disjoint
};

std::string Bound(double v) {
  if (v == kInfinity) return "infinity (no \"max\")";
  if (v == -kInfinity) return "minus infinity (no \"min\")";
  return fmt::format("{}", v);
}

// The reps a band with `tiers` allows: those whose tier is listed, every rep
// when the band lists "*", and reps whose tier is "*" in every band.
CandidateSet TierSet(const Roster& roster,
                     const std::vector<std::string>& tiers) {
  bool everyone = std::find(tiers.begin(), tiers.end(), "*") != tiers.end();
  CandidateSet set(roster.size());
  for (RepIndex i = 0; i < roster.size(); ++i) {
    const std::string& tier = roster.rep(i).tier;
    bool allowed = everyone || tier == "*";
    for (const auto& t : tiers) {
      allowed = allowed || (!tier.empty() && EqualsIgnoreCase(t, tier));
    }
    if (allowed) set.set(i);
  }
  return set;
}

StrategyPtr BuildBands(StrategyBuildContext& ctx, std::string_view name,
                       std::string_view default_field) {
  const StepParams& params = ctx.params();
  bool keep = ReadKeepIfMissing(params);
  std::optional<std::string> field =
      ReadName(params, "field", default_field, "a lead field name");

  std::vector<CompiledBand> bands;
  if (!params.Has("bands")) {
    params.Error("bands",
                 "missing required key \"bands\", expected an array of "
                 "{\"min\", \"max\", \"tiers\"} objects");
  }
  std::optional<std::vector<StepParams>> list = params.Objects("bands");
  if (list && list->empty()) {
    params.Error("bands", "found an empty array, expected at least one band");
  }
  const Roster& roster = ctx.roster();
  for (size_t k = 0; list && k < list->size(); ++k) {
    const StepParams& b = (*list)[k];
    CompiledBand band;
    band.min = b.Number("min").value_or(-kInfinity);
    band.max = b.Number("max").value_or(kInfinity);
    if (band.min >= band.max) {
      b.Error("", fmt::format("found min {} >= max {}, expected min < max",
                              Bound(band.min), Bound(band.max)));
    } else if (!bands.empty() && band.min < bands.back().max) {
      b.Error("", fmt::format("found a band starting at {} before the "
                              "previous band ends at {}, expected bands in "
                              "ascending order without overlap",
                              Bound(band.min), Bound(bands.back().max)));
    }
    std::optional<std::vector<std::string>> tiers = b.Strings("tiers");
    if (!tiers && !b.Has("tiers")) {
      b.Error("tiers",
              "missing required key \"tiers\", expected an array of rep tiers");
    } else if (tiers && tiers->empty()) {
      b.Error("tiers", "found an empty array, expected at least one rep tier");
    }
    for (size_t j = 0; tiers && j < tiers->size(); ++j) {
      if ((*tiers)[j].empty()) {
        b.Error("tiers", j, "found an empty string, expected a rep tier");
      }
    }
    if (tiers) band.reps = TierSet(roster, *tiers);
    bands.push_back(std::move(band));
  }
  if (!params.ok()) {
    return Status::InvalidArgument(
        fmt::format("invalid {} step at {}", name, ctx.path()));
  }
  return std::unique_ptr<Strategy>(std::make_unique<BandsStrategy>(
      name, ctx.Field(*field), keep, std::move(bands)));
}

}  // namespace

StrategyPtr NewBandsStrategy(StrategyBuildContext& ctx) {
  return BuildBands(ctx, "bands", "");
}
StrategyPtr NewScoreStrategy(StrategyBuildContext& ctx) {
  return BuildBands(ctx, "score", "score");
}
StrategyPtr NewDealValueStrategy(StrategyBuildContext& ctx) {
  return BuildBands(ctx, "deal_value", "deal_value");
}

}  // namespace leadroute::internal
