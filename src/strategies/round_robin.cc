// `round_robin`: claims the least recently assigned candidate in the rule's
// rotation (ties by roster order), or with `weighted: true` runs smooth
// weighted round robin by `Rep::weight`. With `catch_up: true` the reps with
// the fewest leads of the rotation in the current day (or month, with
// `catch_up_period`) relative to weight go first. The choice and its
// bookkeeping happen atomically in the StateStore.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "strategies/builtin.h"
#include "strategies/picker.h"
#include "time/local_time.h"

namespace leadroute::internal {

StrategyPtr NewRoundRobinStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  bool weighted = params.Bool("weighted").value_or(false);
  ClaimPolicy policy;
  policy.order =
      weighted ? PickOrder::kSmoothWeighted : PickOrder::kLeastRecent;
  policy.catch_up = params.Bool("catch_up").value_or(false);
  PickerStrategy::Period period = PickerStrategy::Period::kDay;
  if (std::optional<std::string> name = params.String("catch_up_period")) {
    if (*name == "month") {
      period = PickerStrategy::Period::kMonth;
    } else if (*name != "day") {
      params.Error(
          "catch_up_period",
          fmt::format("found \"{}\", expected one of: day, month", *name));
    }
    if (!policy.catch_up) {
      params.Error("catch_up_period",
                   "has no effect without \"catch_up\": true");
    }
  }
  if (!params.ok()) {
    return Status::InvalidArgument("invalid round_robin step at " + ctx.path());
  }
  const date::time_zone* zone = nullptr;
  if (!ctx.time_zone().empty()) zone = FindZone(std::string(ctx.time_zone()));
  return std::unique_ptr<Strategy>(
      std::make_unique<PickerStrategy>("round_robin", policy, period, zone));
}

}  // namespace leadroute::internal
