// `performance`: a picker that sends more leads to the reps who convert
// best (docs/cookbook/performance.md). Each candidate's score is its
// smoothed conversion rate (or value per lead) from the outcomes recorded
// with Router::RecordOutcome, optionally within the lead's segment; its
// weight is `Rep::weight` x score / best score, with a floor on every
// candidate's share; the claim is smooth weighted round robin by those
// weights (PickOrder::kWeightedBy), atomically in the StateStore.
//
// Smoothing (a Beta prior with mean `rate` and `strength` pseudo-leads):
//   score = (converted + rate * strength) / (leads + strength)
// so a rep without history scores `rate` (not starved) and one lucky deal
// moves the score by 1 / (1 + strength) at most. For `metric: value` the
// same shrinkage pulls value per lead toward the candidates' mean value per
// lead. With a `segment`, the segment's score is shrunk toward the rep's
// overall score until the rep has `min_segment_leads` outcomes in it.
//
// With no outcomes every score is equal, each weight is exactly
// `Rep::weight`, and the picks are those of `round_robin` with
// `weighted: true` (unless the floor lifts a rep whose weight share is
// below it).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/outcome.h"
#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"

namespace leadroute::internal {
namespace {

enum class Metric : uint8_t { kConversion, kValue };

struct PerformanceConfig {
  Metric metric = Metric::kConversion;
  double rate = 0.1;              // prior mean conversion rate
  double strength = 20;           // prior weight, in leads
  double floor = 0.05;            // minimum share of every candidate
  std::string segment;            // lead field; empty: overall only
  FieldSlot slot = 0;             // the segment field's slot
  int64_t min_segment_leads = 0;  // 0: always shrink toward overall
};

// Per-thread buffers, reused so that a steady-state route does not allocate
// (grown once to the roster size).
struct Scratch {
  std::vector<double> weights;        // by RepIndex; what the claim reads
  std::vector<OutcomeStats> overall;  // by RepIndex
  std::vector<OutcomeStats> segment;  // by RepIndex
  std::vector<uint8_t> lifted;        // by RepIndex: raised to the floor
  std::string key;                    // "field=value"
};

Scratch& ThreadScratch() noexcept {
  thread_local Scratch scratch;
  return scratch;
}

// (sum + prior * strength) / (leads + strength); `prior` with no data and
// no strength.
double Smooth(double sum, int64_t leads, double prior,
              double strength) noexcept {
  const double n = static_cast<double>(leads) + strength;
  if (!(n > 0)) return prior;
  return (sum + prior * strength) / n;
}

double SumOf(const OutcomeStats& stats, Metric metric) noexcept {
  return metric == Metric::kConversion ? static_cast<double>(stats.converted)
                                       : stats.value;
}

class PerformanceStrategy final : public Strategy {
 public:
  explicit PerformanceStrategy(PerformanceConfig config)
      : config_(std::move(config)) {}

  std::string_view Name() const noexcept override { return "performance"; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kPicker; }
  const std::string& segment() const noexcept { return config_.segment; }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    Scratch& s = ThreadScratch();
    ClaimPolicy policy;
    policy.order = PickOrder::kWeightedBy;
    try {
      policy.weights = Weights(lead, candidates, ctx, s);
    } catch (...) {
      // Out of memory growing the buffers: plain weighted round robin.
      policy.order = PickOrder::kSmoothWeighted;
    }
    RepIndex rep = ctx.Claim(candidates, policy);
    if (rep != kNoRep) return StepResult::Claimed(rep);
    // Everyone is at capacity: the rule's on_empty decides.
    candidates.Clear();
    return StepResult::Narrowed();
  }

 private:
  // The claim weights of the candidates, by RepIndex, in `s.weights`.
  std::span<const double> Weights(const LeadView& lead,
                                  const CandidateSet& candidates,
                                  const StepContext& ctx, Scratch& s) const {
    const Roster& roster = ctx.roster();
    const size_t n = roster.size();
    s.weights.assign(n, 0.0);
    s.overall.assign(n, OutcomeStats{});
    s.segment.assign(n, OutcomeStats{});
    s.lifted.assign(n, 0);

    // The lead's segment, when the step has one and the lead has the field
    // as a string.
    bool segmented = false;
    if (!config_.segment.empty()) {
      const Value* value = lead.Get(config_.slot);
      const std::string* text = value != nullptr ? value->string_if() : nullptr;
      if (text != nullptr) {
        s.key.assign(config_.segment);
        s.key.push_back('=');
        s.key.append(*text);
        segmented = true;
      }
    }

    // Read every candidate's tallies once; sum them for the team means.
    double team_sum = 0, segment_sum = 0;
    int64_t team_leads = 0, segment_leads = 0;
    size_t count = 0;
    candidates.ForEach([&](RepIndex i) {
      if (i >= n || !(roster.rep(i).weight > 0)) return;
      ++count;
      s.overall[i] = ctx.Outcomes(i, {});
      team_sum += s.overall[i].value;
      team_leads += s.overall[i].leads();
      if (segmented) {
        s.segment[i] = ctx.Outcomes(i, s.key);
        segment_sum += s.segment[i].value;
        segment_leads += s.segment[i].leads();
      }
    });
    if (count == 0) return s.weights;

    // The prior mean: `rate`, or for value the candidates' value per lead.
    double prior = config_.rate;
    double segment_prior = config_.rate;
    if (config_.metric == Metric::kValue) {
      prior = team_leads > 0 ? team_sum / static_cast<double>(team_leads) : 0;
      segment_prior = segment_leads > 0
                          ? segment_sum / static_cast<double>(segment_leads)
                          : prior;
    }

    double best = 0;
    candidates.ForEach([&](RepIndex i) {
      if (i >= n || !(roster.rep(i).weight > 0)) return;
      const OutcomeStats& o = s.overall[i];
      double score =
          Smooth(SumOf(o, config_.metric), o.leads(), prior, config_.strength);
      if (segmented) {
        const OutcomeStats& g = s.segment[i];
        // Enough history in the segment: it stands alone (with the global
        // prior); before that, it is shrunk toward the rep's overall score.
        const bool alone = config_.min_segment_leads > 0 &&
                           g.leads() >= config_.min_segment_leads;
        score = Smooth(SumOf(g, config_.metric), g.leads(),
                       alone ? segment_prior : score, config_.strength);
      }
      s.weights[i] = score;
      best = std::max(best, score);
    });

    // Relative to the best score, so that equal scores give each rep
    // exactly its `Rep::weight` (the weighted round robin sequence).
    double total = 0;
    candidates.ForEach([&](RepIndex i) {
      if (i >= n || !(roster.rep(i).weight > 0)) return;
      const double relative =
          best > 0 && std::isfinite(best) ? s.weights[i] / best : 1.0;
      s.weights[i] = roster.rep(i).weight * relative;
      total += s.weights[i];
    });
    ApplyFloor(roster, candidates, count, total, s);
    return s.weights;
  }

  // Lifts every candidate whose share weight / total is below the floor to
  // exactly the floor, taking the difference from the others in proportion
  // to their weights, repeated until no share is below it. The floor is
  // capped at 1 / candidates (then every weight is 1: an equal split).
  // Weights stay untouched when no share is below the floor.
  void ApplyFloor(const Roster& roster, const CandidateSet& candidates,
                  size_t count, double total, Scratch& s) const noexcept {
    const double floor = config_.floor;
    if (!(floor > 0)) return;
    const size_t n = s.weights.size();
    // Calls fn(i) for each candidate that takes part (a positive
    // `Rep::weight`) and is not lifted yet.
    auto for_each_free = [&](auto&& fn) {
      candidates.ForEach([&](RepIndex i) {
        if (i < n && roster.rep(i).weight > 0 && !s.lifted[i]) fn(i);
      });
    };
    if (floor * static_cast<double>(count) >= 1.0) {
      // Capped: an equal split once anyone is below, every weight exactly 1
      // (docs/cookbook/performance.md). Shares of 1/3 from the water-filling
      // came out as 1 - 2/3 for one rep, and even equal thirds drift in the
      // rotation's counters, so ties that belong to the earlier rep went to
      // a later one (found by the differential test).
      const double equal = 1.0 / static_cast<double>(count);
      bool below = !(total > 0);
      for_each_free(
          [&](RepIndex i) { below = below || s.weights[i] / total < equal; });
      if (!below) return;
      for_each_free([&](RepIndex i) { s.weights[i] = 1.0; });
      return;
    }
    size_t lifted = 0;
    double free_total = total;  // the weight of the reps not lifted
    // Water-filling: lifting reps lowers the others' shares, which may drop
    // more below the floor; at most `count` rounds.
    while (lifted < count) {
      const double budget = 1.0 - static_cast<double>(lifted) * floor;
      size_t lifted_now = 0;
      for_each_free([&](RepIndex i) {
        const double share =
            free_total > 0 ? s.weights[i] / free_total * budget : 0.0;
        if (share < floor) {
          s.lifted[i] = 1;
          ++lifted_now;
        }
      });
      if (lifted_now == 0) break;
      lifted += lifted_now;
      free_total = 0;
      for_each_free([&](RepIndex i) { free_total += s.weights[i]; });
    }
    if (lifted == 0) return;
    // Weights become shares (summing to 1): SWRR depends only on ratios.
    const double budget = 1.0 - static_cast<double>(lifted) * floor;
    candidates.ForEach([&](RepIndex i) {
      if (i >= n || !(roster.rep(i).weight > 0)) return;
      if (s.lifted[i]) {
        s.weights[i] = floor;
      } else if (free_total > 0) {
        s.weights[i] = s.weights[i] / free_total * budget;
      }
    });
  }

  PerformanceConfig config_;
};

}  // namespace

StrategyPtr NewPerformanceStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  PerformanceConfig config;
  if (std::optional<std::string> metric = params.String("metric")) {
    if (*metric == "value") {
      config.metric = Metric::kValue;
    } else if (*metric != "conversion") {
      params.Error("metric", fmt::format("found \"{}\", expected one of: "
                                         "conversion, value",
                                         *metric));
    }
  }
  if (std::optional<StepParams> prior = params.Object("prior")) {
    if (std::optional<double> rate = prior->Number("rate")) {
      if (config.metric == Metric::kValue) {
        prior->Error("rate",
                     "has no effect with \"metric\": \"value\" (its prior is "
                     "the candidates' mean value per lead)");
      } else if (!(*rate >= 0 && *rate <= 1)) {
        prior->Error("rate", fmt::format("found {}, expected a conversion "
                                         "rate from 0 to 1",
                                         *rate));
      } else {
        config.rate = *rate;
      }
    }
    if (std::optional<double> strength = prior->Number("strength")) {
      if (!(*strength >= 0 && std::isfinite(*strength))) {
        prior->Error("strength",
                     fmt::format("found {}, expected a number of leads >= 0",
                                 *strength));
      } else {
        config.strength = *strength;
      }
    }
  }
  if (std::optional<double> floor = params.Number("floor")) {
    if (!(*floor >= 0 && *floor < 1)) {
      params.Error("floor", fmt::format("found {}, expected a share of leads "
                                        "from 0 up to (not including) 1",
                                        *floor));
    } else {
      config.floor = *floor;
    }
  }
  if (std::optional<std::string> segment = params.String("segment")) {
    if (segment->empty()) {
      params.Error("segment", "expected a lead field name, found \"\"");
    } else {
      config.segment = *segment;
    }
  }
  if (std::optional<int64_t> min = params.Integer("min_segment_leads")) {
    if (*min < 1) {
      params.Error("min_segment_leads",
                   fmt::format("found {}, expected an integer >= 1", *min));
    } else if (!params.Has("segment")) {
      params.Error("min_segment_leads", "has no effect without \"segment\"");
    } else {
      config.min_segment_leads = *min;
    }
  }
  if (!params.ok()) {
    return Status::InvalidArgument("invalid performance step at " + ctx.path());
  }
  if (!config.segment.empty()) config.slot = ctx.Field(config.segment);
  return std::unique_ptr<Strategy>(
      std::make_unique<PerformanceStrategy>(std::move(config)));
}

std::string_view PerformanceSegmentField(const Strategy& strategy) noexcept {
  const auto* performance = dynamic_cast<const PerformanceStrategy*>(&strategy);
  return performance != nullptr ? std::string_view(performance->segment())
                                : std::string_view();
}

}  // namespace leadroute::internal
