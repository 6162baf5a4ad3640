// The one picker class behind `round_robin`, `least_loaded` and `random`:
// each built-in picker is this class with its own name and claim policy;
// their factories (one per file) read the step's parameters.
#ifndef LEADROUTE_STRATEGIES_PICKER_H_
#define LEADROUTE_STRATEGIES_PICKER_H_

#include <string_view>

#include "date/tz.h"
#include "leadroute/state_store.h"
#include "leadroute/strategy.h"

namespace leadroute::internal {

// Claims one candidate through `StepContext::Claim` with a fixed policy.
// When every candidate is at capacity it empties the candidates and returns
// `Narrowed`, so the rule's `on_empty` decides. Immutable after construction;
// `Apply` is safe from any number of threads.
class PickerStrategy final : public Strategy {
 public:
  // REQUIRES: `name` outlives the strategy (a string literal);
  // `policy.preference` is empty.
  PickerStrategy(std::string_view name, ClaimPolicy policy) noexcept
      : name_(name), policy_(policy) {}

  // The periods of `round_robin`'s `catch_up`, counted in `zone`'s local
  // time (nullptr: UTC).
  enum class Period : uint8_t { kDay, kMonth };
  PickerStrategy(std::string_view name, ClaimPolicy policy, Period period,
                 const date::time_zone* zone) noexcept
      : name_(name), policy_(policy), period_(period), zone_(zone) {}

  std::string_view Name() const noexcept override { return name_; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kPicker; }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override;

 private:
  std::string_view name_;
  ClaimPolicy policy_;
  Period period_ = Period::kDay;
  const date::time_zone* zone_ = nullptr;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_STRATEGIES_PICKER_H_
