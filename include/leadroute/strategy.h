// Strategy: the plugin interface every rule step implements, the context it
// is built and run with, and the registry that maps config names to
// factories.
//
// A strategy is built once per step when a RuleSet compiles (its factory
// precomputes indexes against the Roster) and is then called concurrently,
// from any number of threads, for every lead that reaches its step.
#ifndef LEADROUTE_STRATEGY_H_
#define LEADROUTE_STRATEGY_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/candidate_set.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/lead.h"
#include "leadroute/outcome.h"
#include "leadroute/roster.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
#include "leadroute/value.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// A lead field resolved to a slot when the RuleSet compiles.
using FieldSlot = uint32_t;

// The lead as strategies see it: fields looked up by slot, in O(1).
class LeadView {
 public:
  LeadView(const Lead& lead, std::span<const Value* const> slots) noexcept
      : lead_(&lead), slots_(slots) {}

  const Lead& lead() const noexcept { return *lead_; }
  const std::string& id() const noexcept { return lead_->id(); }
  // The field in `slot`, or nullptr when the lead does not have it.
  const Value* Get(FieldSlot slot) const noexcept {
    return slot < slots_.size() ? slots_[slot] : nullptr;
  }

 private:
  const Lead* lead_;
  std::span<const Value* const> slots_;
};

enum class StrategyKind : uint8_t {
  kFilter,    // narrows the candidates
  kResolver,  // names an owner among the candidates, or passes
  kPicker,    // claims one candidate in the StateStore; ends the rule
};

// "filter", "resolver" or "picker".
LEADROUTE_EXPORT std::string_view StrategyKindName(StrategyKind kind) noexcept;

struct StepResult {
  enum class Outcome : uint8_t {
    kNarrowed,  // filter ran (candidates may now be empty)
    kPassed,    // resolver found nobody; candidates unchanged
    kResolved,  // resolver named `rep` (a member of the candidates)
    kClaimed,   // picker claimed `rep` through StepContext::Claim
  };
  Outcome outcome = Outcome::kNarrowed;
  RepIndex rep = kNoRep;

  static constexpr StepResult Narrowed() noexcept { return {}; }
  static constexpr StepResult Passed() noexcept {
    return {Outcome::kPassed, kNoRep};
  }
  static constexpr StepResult Resolved(RepIndex rep) noexcept {
    return {Outcome::kResolved, rep};
  }
  static constexpr StepResult Claimed(RepIndex rep) noexcept {
    return {Outcome::kClaimed, rep};
  }
};

// What a running step may read and do. Provided by the Router for one lead;
// valid only during the Apply call.
class StepContext {
 public:
  virtual const Roster& roster() const noexcept = 0;
  // The Router's account directory (possibly empty).
  virtual const AccountDirectory& accounts() const noexcept = 0;
  // Live status of a rep (presence, open load); lock-free.
  virtual RepStatus Status(RepIndex rep) const noexcept = 0;
  // Claims one of `candidates` by `policy` in the StateStore, atomically
  // recording the decision. Returns the rep, or kNoRep when every candidate
  // is at capacity (or another thread decided this lead id first).
  virtual RepIndex Claim(const CandidateSet& candidates,
                         const ClaimPolicy& policy) noexcept = 0;
  // The id of the rule being evaluated.
  virtual std::string_view rule_id() const noexcept = 0;
  // The routing instant: the lead's `created_at` when it is a valid RFC 3339
  // date-time, else the Router's clock at the start of the route. The
  // default (for contexts built outside a Router) is the system clock.
  virtual Instant now() const noexcept { return SystemClock()->Now(); }
  // Whether rep `rep` is on its schedule (`Rep::schedule`: working hours,
  // holidays, out of office) at `now()`. Allocation-free. The default (for
  // contexts built outside a Router) says every rep is.
  virtual bool OnSchedule(RepIndex /*rep*/) const noexcept { return true; }
  // Whether rep `rep` is under its time-based caps at `now()`
  // (`StateStore::UnderTimeCaps`). The default says every rep is.
  virtual bool UnderTimeCaps(RepIndex /*rep*/) const noexcept { return true; }
  // Asks that the lead go to the RuleSet's fallback owner if the candidates
  // are empty after this step, whatever the rule's `on_empty` says (the
  // `availability` option `when_nobody: fallback`). Ignored by default.
  virtual void RequestFallback() noexcept {}
  // Whether this route builds a trace (leadroute/trace.h). A filter that
  // can say why it removes each rep asks once per Apply and, only when this
  // is true, calls Eliminate for every rep it removes, so a route without a
  // trace pays one branch per step and nothing per rep. A filter that never
  // calls Eliminate has its removed reps reported under its step name.
  virtual bool tracing() const noexcept { return false; }
  // Records why the running filter removes `rep`: a reason code of
  // leadroute/trace.h (`offline`, `away`, `at_capacity`, ...; the Router
  // refines `off_schedule` into `holiday` or `out_of_office` and `time_cap`
  // into the cap reached). Only while tracing(); ignored by default.
  virtual void Eliminate(RepIndex /*rep*/, std::string_view /*code*/) noexcept {
  }
  // The rep remembered as the owner of sticky key `key` = `value`
  // (`StateStore::LookupKey`) if that rep got a lead with it within `window`
  // before now(); kNoRep otherwise. For the `sticky` resolver; the caller
  // checks that the rep is a candidate. While tracing(), the Router notes
  // the first match that is a candidate in the step's trace. The default
  // (for contexts built outside a Router) remembers nobody.
  virtual RepIndex StickyOwner(std::string_view /*key*/,
                               std::string_view /*value*/,
                               std::chrono::seconds /*window*/) const noexcept {
    return kNoRep;
  }
  // The outcomes credited to rep `rep` overall (`segment` empty) or within
  // `segment` ("field=value"), as the state store keeps them
  // (`StateStore::Outcomes`; leadroute/outcome.h). For the `performance`
  // picker. The default (for contexts built outside a Router) is none.
  virtual OutcomeStats Outcomes(RepIndex /*rep*/,
                                std::string_view /*segment*/) const noexcept {
    return {};
  }

 protected:
  ~StepContext() = default;
};

class LEADROUTE_EXPORT Strategy {
 public:
  virtual ~Strategy();

  // The config name, e.g. "territory".
  virtual std::string_view Name() const noexcept = 0;
  virtual StrategyKind Kind() const noexcept = 0;
  // Whether `on_empty: relax` may undo this filter. Default: true for
  // filters; availability-type filters return false.
  virtual bool Relaxable() const noexcept {
    return Kind() == StrategyKind::kFilter;
  }
  // Thread-safe; called concurrently; must not throw or block. Narrows
  // `candidates` in place, resolves an owner among them, or claims one.
  virtual StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                           StepContext& ctx) const noexcept = 0;
};

// A step's parameters (a JSON object) for a strategy factory to read.
//
// Getters return nullopt when the key is missing, and also when its value has
// the wrong type, in which case they record an error at the key's JSON
// Pointer saying what was found and what was expected. Every key a factory
// asks about counts as known; after the factory returns, each key it never
// asked about is reported as unknown (so a typo like "weigth" is an error).
class LEADROUTE_EXPORT StepParams {
 public:
  enum class Need : uint8_t { kOptional, kRequired };

  StepParams(const StepParams&);
  StepParams& operator=(const StepParams&);
  StepParams(StepParams&&) noexcept;
  StepParams& operator=(StepParams&&) noexcept;
  ~StepParams();

  // JSON Pointer of this object, e.g. "/rules/0/steps/1".
  const std::string& path() const noexcept;
  bool Has(std::string_view key) const;

  std::optional<std::string> String(std::string_view key,
                                    Need need = Need::kOptional) const;
  std::optional<double> Number(std::string_view key,
                               Need need = Need::kOptional) const;
  std::optional<int64_t> Integer(std::string_view key,
                                 Need need = Need::kOptional) const;
  std::optional<bool> Bool(std::string_view key,
                           Need need = Need::kOptional) const;
  // An array of strings.
  std::optional<std::vector<std::string>> Strings(
      std::string_view key, Need need = Need::kOptional) const;
  // A scalar, or an array of strings.
  std::optional<Value> Any(std::string_view key,
                           Need need = Need::kOptional) const;
  std::optional<StepParams> Object(std::string_view key,
                                   Need need = Need::kOptional) const;
  // An array of objects.
  std::optional<std::vector<StepParams>> Objects(
      std::string_view key, Need need = Need::kOptional) const;

  // Records an error at this object's path plus "/key" (key "" = here).
  void Error(std::string_view key, std::string message) const;
  // Records an error at this object's path plus "/key/index", for element
  // `index` of the array under `key` (e.g. "/rules/0/steps/1/presence/2").
  void Error(std::string_view key, size_t index, std::string message) const;
  // True while no error has been recorded for this step.
  bool ok() const noexcept;

  struct Impl;
  explicit StepParams(std::shared_ptr<Impl> impl);
  Impl& impl() const noexcept { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// What a strategy factory gets: the step's name, path and parameters, the
// compiled roster, and lead-field slots.
class StrategyBuildContext {
 public:
  virtual std::string_view name() const noexcept = 0;
  // JSON Pointer of the step, e.g. "/rules/2/steps/0".
  virtual const std::string& path() const noexcept = 0;
  virtual const StepParams& params() const noexcept = 0;
  virtual const Roster& roster() const noexcept = 0;
  // The slot of lead field `field` (registered on first use).
  virtual FieldSlot Field(std::string_view field) = 0;
  // The RuleSet's `settings.seed` mixed with the step's path.
  virtual uint64_t seed() const noexcept = 0;
  // The RuleSet's `settings.time_zone` (an IANA name, validated), in which
  // days and months are counted; empty: UTC.
  virtual std::string_view time_zone() const noexcept { return {}; }

 protected:
  ~StrategyBuildContext() = default;
};

// Builds a strategy for one step. Return an error Status (or record errors
// through the params) when the parameters are invalid.
using StrategyFactory =
    std::function<Result<std::unique_ptr<Strategy>>(StrategyBuildContext& ctx)>;

// Config names -> factories. Fill it explicitly: nothing registers itself.
// Not synchronised: fill it before compiling RuleSets with it.
class LEADROUTE_EXPORT StrategyRegistry {
 public:
  // An empty registry.
  StrategyRegistry();
  // A registry holding every built-in strategy.
  static StrategyRegistry WithBuiltins();
  // The built-ins, shared; what RuleSet uses when given no registry.
  static const StrategyRegistry& Builtins();

  // kInvalidArgument when `name` is empty or already registered.
  Status Register(std::string name, StrategyFactory factory);
  // The factory for `name`, or nullptr.
  const StrategyFactory* Find(std::string_view name) const noexcept;
  // Every registered name, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, StrategyFactory, std::less<>> factories_;
};

// Adds every built-in strategy (round_robin, least_loaded, random,
// performance, territory, industry, product, language, match, score,
// deal_value, bands, availability, hierarchy, field_owner, sticky) to
// `registry`.
LEADROUTE_EXPORT Status RegisterBuiltinStrategies(StrategyRegistry& registry);

// The std::function form of Strategy::Apply.
using StepFunction =
    std::function<StepResult(const LeadView&, CandidateSet&, StepContext&)>;

// Wraps `fn` as a strategy named `name` of kind `kind`. `fn` must be
// thread-safe and must not throw (an exception becomes an empty candidate
// set for filters, a pass for resolvers).
LEADROUTE_EXPORT std::unique_ptr<Strategy> MakeStrategy(std::string name,
                                                        StrategyKind kind,
                                                        StepFunction fn);

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_STRATEGY_H_
