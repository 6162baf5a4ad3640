// `least_loaded`: claims the candidate with the fewest open leads, or with
// `relative: true` the lowest open / max_open (uncapped reps rank by their
// open count, as if max_open were 1). Ties go to the least recently assigned
// in the rule's rotation, then to roster order.
#include <memory>
#include <string_view>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"

namespace leadroute::internal {
namespace {

class LeastLoadedStrategy final : public Strategy {
 public:
  explicit LeastLoadedStrategy(bool relative) noexcept
      : order_(relative ? PickOrder::kLeastLoadedRatio
                        : PickOrder::kLeastLoaded) {}

  std::string_view Name() const noexcept override { return "least_loaded"; }
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

StrategyPtr NewLeastLoadedStrategy(StrategyBuildContext& ctx) {
  bool relative = ctx.params().Bool("relative").value_or(false);
  return std::unique_ptr<Strategy>(
      std::make_unique<LeastLoadedStrategy>(relative));
}

}  // namespace leadroute::internal
