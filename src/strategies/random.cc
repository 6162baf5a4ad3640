// `random`: claims a candidate at random, weighted by `Rep::weight`. The
// generator is splitmix64, one per rotation, held by the StateStore and
// seeded on its first draw: with the step's `seed` when given, else the
// RuleSet's `settings.seed` mixed with the step's path. The same seed and
// the same sequence of leads give the same owners on every platform.
#include <cstdint>
#include <memory>
#include <string_view>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

class RandomStrategy final : public Strategy {
 public:
  explicit RandomStrategy(uint64_t seed) noexcept : seed_(seed) {}

  std::string_view Name() const noexcept override { return "random"; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kPicker; }

  StepResult Apply(const LeadView& /*lead*/, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    ClaimPolicy policy;
    policy.order = PickOrder::kRandom;
    policy.seed = seed_;
    RepIndex rep = ctx.Claim(candidates, policy);
    if (rep != kNoRep) return StepResult::Claimed(rep);
    // Everyone is at capacity: the rule's on_empty decides.
    candidates.Clear();
    return StepResult::Narrowed();
  }

 private:
  uint64_t seed_;
};

}  // namespace

StrategyPtr NewRandomStrategy(StrategyBuildContext& ctx) {
  uint64_t seed = ctx.seed();
  if (auto own = ctx.params().Integer("seed")) {
    // Mixed so that small seeds (0, 1, 2...) give unrelated sequences and the
    // result is non-zero (0 would mean "no step seed" to the store).
    seed = Mix64(static_cast<uint64_t>(*own));
  }
  if (seed == 0) seed = Mix64(0);
  return std::unique_ptr<Strategy>(std::make_unique<RandomStrategy>(seed));
}

}  // namespace leadroute::internal
