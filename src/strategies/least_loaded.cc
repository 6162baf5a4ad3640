// `least_loaded`: claims the candidate with the fewest open leads, or with
// `relative: true` the lowest open / max_open (uncapped reps rank by their
// open count, as if max_open were 1). Ties go to the least recently assigned
// in the rule's rotation, then to roster order.
#include <memory>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"
#include "strategies/picker.h"

namespace leadroute::internal {

StrategyPtr NewLeastLoadedStrategy(StrategyBuildContext& ctx) {
  bool relative = ctx.params().Bool("relative").value_or(false);
  ClaimPolicy policy;
  policy.order =
      relative ? PickOrder::kLeastLoadedRatio : PickOrder::kLeastLoaded;
  return std::unique_ptr<Strategy>(
      std::make_unique<PickerStrategy>("least_loaded", policy));
}

}  // namespace leadroute::internal
