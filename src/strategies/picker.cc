#include "strategies/picker.h"

#include "time/local_time.h"

namespace leadroute::internal {

StepResult PickerStrategy::Apply(const LeadView& /*lead*/,
                                 CandidateSet& candidates,
                                 StepContext& ctx) const noexcept {
  ClaimPolicy policy = policy_;
  if (policy.catch_up) {
    // The period of the routing instant: its local day, or its month.
    const date::local_days day =
        std::chrono::floor<date::days>(ToLocal(zone_, ctx.now()));
    if (period_ == Period::kDay) {
      policy.period = day.time_since_epoch().count();
    } else {
      const date::year_month_day ymd(day);
      policy.period = int64_t{static_cast<int>(ymd.year())} * 12 +
                      static_cast<int64_t>(static_cast<unsigned>(ymd.month()));
    }
  }
  RepIndex rep = ctx.Claim(candidates, policy);
  if (rep != kNoRep) return StepResult::Claimed(rep);
  // Everyone is at capacity: the rule's on_empty decides.
  candidates.Clear();
  return StepResult::Narrowed();
}

}  // namespace leadroute::internal
