// `round_robin`: claims the least recently assigned candidate in the rule's
// rotation (ties by roster order), or with `weighted: true` runs smooth
// weighted round robin by `Rep::weight`. The choice and its bookkeeping
// happen atomically in the StateStore.
#include <memory>
#include <string_view>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"

namespace leadroute::internal {
namespace {

class RoundRobinStrategy final : public Strategy {
 public:
  explicit RoundRobinStrategy(bool weighted) noexcept
      : order_(weighted ? PickOrder::kSmoothWeighted
                        : PickOrder::kLeastRecent) {}

  std::string_view Name() const noexcept override { return "round_robin"; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kPicker; }

  StepResult Apply(const LeadView& /*lead*/, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    ClaimPolicy policy;
    policy.order = order_;
    RepIndex rep = ctx.Claim(candidates, policy);
    if (rep != kNoRep) return StepResult::Claimed(rep);
    // Everyone is at capacity: the rule's on_empty decides.
    candidates.Clear();
    return StepResult::Narrowed();
  }

 private:
  PickOrder order_;
};

}  // namespace

StrategyPtr NewRoundRobinStrategy(StrategyBuildContext& ctx) {
  bool weighted = ctx.params().Bool("weighted").value_or(false);
  return std::unique_ptr<Strategy>(
      std::make_unique<RoundRobinStrategy>(weighted));
}

}  // namespace leadroute::internal
