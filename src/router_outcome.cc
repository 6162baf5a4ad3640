// Router::RecordOutcome: how an open lead ended, credited to its owner for
// the `performance` picker (docs/cookbook/performance.md). The credit and
// the close are one atomic step of the StateStore; this file validates the
// outcome and names the segment fields the current RuleSet uses.
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compile/compiled_rule_set.h"
#include "leadroute/router.h"
#include "router_impl.h"
#include "strategies/builtin.h"

LEADROUTE_NAMESPACE_BEGIN

namespace {

// Adds the segment field of each `performance` step among `steps` to
// `fields`, once each.
void AddSegmentFields(const std::vector<internal::CompiledStep>& steps,
                      std::vector<std::string>& fields) {
  for (const internal::CompiledStep& step : steps) {
    if (step.strategy == nullptr) continue;
    std::string_view field = internal::PerformanceSegmentField(*step.strategy);
    if (field.empty()) continue;
    bool known = false;
    for (const std::string& f : fields) known = known || f == field;
    if (!known) fields.emplace_back(field);
  }
}

}  // namespace

Status Router::RecordOutcome(std::string_view lead_id,
                             const Outcome& outcome) noexcept {
  if (!std::isfinite(outcome.value) || outcome.value < 0) {
    return Status::InvalidArgument("outcome value for lead \"" +
                                   std::string(lead_id) +
                                   "\" must be a finite number >= 0, found " +
                                   std::to_string(outcome.value));
  }
  if (outcome.kind != OutcomeKind::kConverted &&
      outcome.kind != OutcomeKind::kLost) {
    return Status::InvalidArgument("unknown outcome kind for lead \"" +
                                   std::string(lead_id) + "\"");
  }
  try {
    // The segment fields of the current RuleSet: a handful of steps, read
    // per outcome (outcomes are rare next to routes).
    std::vector<std::string> segments;
    std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
    for (const internal::CompiledRule& rule : snapshot->rules->rules) {
      AddSegmentFields(rule.steps, segments);
      for (const internal::CompiledVariant& variant : rule.variants) {
        AddSegmentFields(variant.steps, segments);
      }
    }
    Result<Assignment> closed =
        impl_->state->RecordOutcome(lead_id, outcome, segments);
    if (!closed.ok()) return closed.status();
    return Status();
  } catch (...) {
    return Status::Internal("out of memory recording an outcome");
  }
}

LEADROUTE_NAMESPACE_END
