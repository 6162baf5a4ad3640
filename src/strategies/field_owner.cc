// field_owner: resolves the rep named in a lead field (by rep id, or by the
// rep's email address), when that rep is among the candidates.
#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "strategies/builtin.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

class FieldOwnerStrategy final : public Strategy {
 public:
  explicit FieldOwnerStrategy(std::optional<FieldSlot> slot) : slot_(slot) {}

  std::string_view Name() const noexcept override { return "field_owner"; }
  StrategyKind Kind() const noexcept override {
    return StrategyKind::kResolver;
  }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    if (!slot_) return StepResult::Passed();
    const Value* value = lead.Get(*slot_);
    if (value == nullptr) return StepResult::Passed();
    std::array<char, 24> buffer;
    std::string_view name;
    if (const std::string* s = value->string_if()) {
      name = Trim(*s);
    } else if (value->is_int()) {
      // A numeric field names a rep whose id is that number.
      auto [end, ec] = std::to_chars(
          buffer.data(), buffer.data() + buffer.size(), value->as_int());
      if (ec != std::errc()) return StepResult::Passed();
      name = std::string_view(buffer.data(),
                              static_cast<size_t>(end - buffer.data()));
    }
    if (name.empty()) return StepResult::Passed();

    const Roster& roster = ctx.roster();
    RepIndex rep = roster.Find(name);
    if (rep == kNoRep && name.find('@') != std::string_view::npos) {
      rep = roster.FindByEmail(name);
    }
    if (rep == kNoRep || rep >= candidates.size() || !candidates.test(rep)) {
      return StepResult::Passed();
    }
    return StepResult::Resolved(rep);
  }

 private:
  std::optional<FieldSlot> slot_;  // unset only for a step that failed to load
};

}  // namespace

StrategyPtr NewFieldOwnerStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  std::optional<FieldSlot> slot;
  if (std::optional<std::string> field =
          params.String("field", StepParams::Need::kRequired)) {
    if (field->empty()) {
      params.Error("field", "empty field name");
    } else {
      slot = ctx.Field(*field);
    }
  }
  // A missing or bad "field" is already recorded in `params`, which fails
  // the compile; the strategy returned then is never run.
  return std::unique_ptr<Strategy>(std::make_unique<FieldOwnerStrategy>(slot));
}

}  // namespace leadroute::internal
