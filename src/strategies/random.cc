// `random`: claims a candidate at random, weighted by `Rep::weight`. The
// generator is splitmix64, one per rotation, held by the StateStore and
// seeded on its first draw: with the step's `seed` when given, else the
// RuleSet's `settings.seed` mixed with the step's path. The same seed and
// the same sequence of leads give the same owners on every platform.
#include <cstdint>
#include <memory>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"
#include "strategies/picker.h"
#include "util/text.h"

namespace leadroute::internal {

StrategyPtr NewRandomStrategy(StrategyBuildContext& ctx) {
  uint64_t seed = ctx.seed();
  if (auto own = ctx.params().Integer("seed")) {
    // Mixed so that small seeds (0, 1, 2...) give unrelated sequences and the
    // result is non-zero (0 would mean "no step seed" to the store).
    seed = Mix64(static_cast<uint64_t>(*own));
  }
  if (seed == 0) seed = Mix64(0);
  ClaimPolicy policy;
  policy.order = PickOrder::kRandom;
  policy.seed = seed;
  return std::unique_ptr<Strategy>(
      std::make_unique<PickerStrategy>("random", policy));
}

}  // namespace leadroute::internal
