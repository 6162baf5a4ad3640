#include "leadroute/strategy.h"

#include <utility>

#include "strategies/builtin.h"

LEADROUTE_NAMESPACE_BEGIN

Strategy::~Strategy() = default;

StrategyRegistry::StrategyRegistry() = default;

StrategyRegistry StrategyRegistry::WithBuiltins() {
  StrategyRegistry registry;
  (void)RegisterBuiltinStrategies(registry);
  return registry;
}

const StrategyRegistry& StrategyRegistry::Builtins() {
  static const StrategyRegistry* const builtins =
      new StrategyRegistry(WithBuiltins());
  return *builtins;
}

Status StrategyRegistry::Register(std::string name, StrategyFactory factory) {
  if (name.empty()) return Status::InvalidArgument("empty strategy name");
  if (!factory) {
    return Status::InvalidArgument("strategy \"" + name + "\" has no factory");
  }
  if (factories_.contains(name)) {
    return Status::InvalidArgument("strategy \"" + name +
                                   "\" is already registered");
  }
  factories_.emplace(std::move(name), std::move(factory));
  return Status();
}

const StrategyFactory* StrategyRegistry::Find(
    std::string_view name) const noexcept {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> StrategyRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

Status RegisterBuiltinStrategies(StrategyRegistry& registry) {
  using namespace internal;  // NOLINT: the factories' home
  const std::pair<const char*, StrategyPtr (*)(StrategyBuildContext&)>
      builtins[] = {
          {"round_robin", NewRoundRobinStrategy},
          {"least_loaded", NewLeastLoadedStrategy},
          {"random", NewRandomStrategy},
          {"performance", NewPerformanceStrategy},
          {"territory", NewTerritoryStrategy},
          {"industry", NewIndustryStrategy},
          {"product", NewProductStrategy},
          {"language", NewLanguageStrategy},
          {"match", NewMatchStrategy},
          {"score", NewScoreStrategy},
          {"deal_value", NewDealValueStrategy},
          {"bands", NewBandsStrategy},
          {"availability", NewAvailabilityStrategy},
          {"hierarchy", NewHierarchyStrategy},
          {"field_owner", NewFieldOwnerStrategy},
          {"sticky", NewStickyStrategy},
      };
  for (const auto& [name, factory] : builtins) {
    Status status = registry.Register(name, factory);
    if (!status.ok()) return status;
  }
  return Status();
}

namespace {

// The std::function adapter [spdlog callback_sink].
class FunctionStrategy final : public Strategy {
 public:
  FunctionStrategy(std::string name, StrategyKind kind, StepFunction fn)
      : name_(std::move(name)), kind_(kind), fn_(std::move(fn)) {}

  std::string_view Name() const noexcept override { return name_; }
  StrategyKind Kind() const noexcept override { return kind_; }
  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    try {
      return fn_(lead, candidates, ctx);
    } catch (...) {
      // A host function that throws must not take routing down.
      if (kind_ == StrategyKind::kResolver) return StepResult::Passed();
      candidates.Clear();
      return StepResult::Narrowed();
    }
  }

 private:
  std::string name_;
  StrategyKind kind_;
  StepFunction fn_;
};

}  // namespace

std::unique_ptr<Strategy> MakeStrategy(std::string name, StrategyKind kind,
                                       StepFunction fn) {
  return std::make_unique<FunctionStrategy>(std::move(name), kind,
                                            std::move(fn));
}

LEADROUTE_NAMESPACE_END
