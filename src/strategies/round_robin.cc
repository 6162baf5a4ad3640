// `round_robin`: claims the least recently assigned candidate in the rule's
// rotation (ties by roster order), or with `weighted: true` runs smooth
// weighted round robin by `Rep::weight`. The choice and its bookkeeping
// happen atomically in the StateStore.
#include <memory>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"
#include "strategies/picker.h"

namespace leadroute::internal {

StrategyPtr NewRoundRobinStrategy(StrategyBuildContext& ctx) {
  bool weighted = ctx.params().Bool("weighted").value_or(false);
  ClaimPolicy policy;
  policy.order =
      weighted ? PickOrder::kSmoothWeighted : PickOrder::kLeastRecent;
  return std::unique_ptr<Strategy>(
      std::make_unique<PickerStrategy>("round_robin", policy));
}

}  // namespace leadroute::internal
