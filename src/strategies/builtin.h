// Factories of the built-in strategies, registered by
// RegisterBuiltinStrategies (src/strategy.cc). One source file each.
#ifndef LEADROUTE_STRATEGIES_BUILTIN_H_
#define LEADROUTE_STRATEGIES_BUILTIN_H_

#include <memory>
#include <string_view>

#include "leadroute/status.h"
#include "leadroute/strategy.h"

namespace leadroute::internal {

using StrategyPtr = Result<std::unique_ptr<Strategy>>;

// Pickers (src/strategies/round_robin.cc, least_loaded.cc, random.cc).
StrategyPtr NewRoundRobinStrategy(StrategyBuildContext& ctx);
StrategyPtr NewLeastLoadedStrategy(StrategyBuildContext& ctx);
StrategyPtr NewRandomStrategy(StrategyBuildContext& ctx);

// Filters (territory.cc, match.cc, bands.cc, availability.cc). `industry`,
// `product` and `language` are `match` with defaults for field/attribute;
// `score` and `deal_value` are `bands` with a default field.
StrategyPtr NewTerritoryStrategy(StrategyBuildContext& ctx);
StrategyPtr NewIndustryStrategy(StrategyBuildContext& ctx);
StrategyPtr NewProductStrategy(StrategyBuildContext& ctx);
StrategyPtr NewLanguageStrategy(StrategyBuildContext& ctx);
StrategyPtr NewMatchStrategy(StrategyBuildContext& ctx);
StrategyPtr NewScoreStrategy(StrategyBuildContext& ctx);
StrategyPtr NewDealValueStrategy(StrategyBuildContext& ctx);
StrategyPtr NewBandsStrategy(StrategyBuildContext& ctx);
StrategyPtr NewAvailabilityStrategy(StrategyBuildContext& ctx);

// `performance` (performance.cc): a picker weighting reps by their recorded
// outcomes. PerformanceSegmentField is the `segment` field of a performance
// step (empty for any other strategy, or one without a segment), which
// Router::RecordOutcome credits per segment.
StrategyPtr NewPerformanceStrategy(StrategyBuildContext& ctx);
std::string_view PerformanceSegmentField(const Strategy& strategy) noexcept;

// Resolvers (hierarchy.cc, field_owner.cc).
StrategyPtr NewHierarchyStrategy(StrategyBuildContext& ctx);
StrategyPtr NewFieldOwnerStrategy(StrategyBuildContext& ctx);
// `sticky` (sticky.cc): the owner of the lead's account, email or domain.
StrategyPtr NewStickyStrategy(StrategyBuildContext& ctx);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STRATEGIES_BUILTIN_H_
