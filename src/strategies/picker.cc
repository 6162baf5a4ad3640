#include "strategies/picker.h"

namespace leadroute::internal {

StepResult PickerStrategy::Apply(const LeadView& /*lead*/,
                                 CandidateSet& candidates,
                                 StepContext& ctx) const noexcept {
  RepIndex rep = ctx.Claim(candidates, policy_);
  if (rep != kNoRep) return StepResult::Claimed(rep);
  // Everyone is at capacity: the rule's on_empty decides.
  candidates.Clear();
  return StepResult::Narrowed();
}

}  // namespace leadroute::internal
