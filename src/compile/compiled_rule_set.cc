// Validation and compilation of a RuleSetConfig into the immutable snapshot
// the Router walks. Every problem is collected with its JSON Pointer path.
#include "compile/compiled_rule_set.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <utility>

#include "compile/experiment.h"
#include "compile/roster_builder.h"
#include "config/json_util.h"
#include "config/rule_set_json.h"
#include "config/step_params.h"
#include "sla.h"
#include "strategies/sticky.h"
#include "time/local_time.h"
#include "time/schedule.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

bool KnownTimeZone(const std::string& name) {
  return FindZone(name) != nullptr;
}

// The StrategyBuildContext a factory sees for one step.
class BuildContext final : public StrategyBuildContext {
 public:
  BuildContext(std::string_view name, std::string path, StepParams params,
               const Roster& roster, FieldTable& fields, uint64_t seed,
               std::string_view time_zone)
      : name_(name),
        path_(std::move(path)),
        params_(std::move(params)),
        roster_(roster),
        fields_(fields),
        seed_(seed),
        time_zone_(time_zone) {}

  std::string_view name() const noexcept override { return name_; }
  const std::string& path() const noexcept override { return path_; }
  const StepParams& params() const noexcept override { return params_; }
  const Roster& roster() const noexcept override { return roster_; }
  FieldSlot Field(std::string_view field) override {
    return fields_.Intern(field);
  }
  uint64_t seed() const noexcept override { return seed_; }
  std::string_view time_zone() const noexcept override { return time_zone_; }

 private:
  std::string_view name_;
  std::string path_;
  StepParams params_;
  const Roster& roster_;
  FieldTable& fields_;
  uint64_t seed_;
  std::string_view time_zone_;
};

class Compiler {
 public:
  Compiler(RuleSetConfig config, const StrategyRegistry& registry)
      : registry_(registry) {
    out_ = std::make_shared<CompiledRuleSet>();
    out_->config = std::move(config);
  }

  Result<RuleSet> Run() {
    const RuleSetConfig& c = out_->config;
    CheckTeams(c);
    CheckReps(c);
    CheckSettings(c);
    out_->roster = RosterBuilder::Build(c.reps, c.teams);
    CheckFallback(c);
    CheckTeamLeads(c);
    for (size_t i = 0; i < c.rules.size(); ++i) CompileRule(i);
    CheckSlas(c);
    if (!errors_.empty()) return Status::FromErrors(std::move(errors_));
    out_->hash = fmt::format("{:016x}", Fnv1a64(RuleSetConfigToJson(c)));
    return CompiledRuleSet::Wrap(std::move(out_));
  }

 private:
  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  void CheckTeams(const RuleSetConfig& c) {
    for (size_t i = 0; i < c.teams.size(); ++i) {
      const std::string path = fmt::format("/teams/{}/id", i);
      const std::string& id = c.teams[i].id;
      if (id.empty()) {
        Error(path, "found an empty id, expected a non-empty string");
      } else if (!team_ids_.insert(id).second) {
        Error(path, fmt::format("duplicate team id \"{}\"", id));
      }
    }
  }

  void CheckReps(const RuleSetConfig& c) {
    std::set<std::string, std::less<>> ids;
    std::set<std::string, std::less<>> emails;  // lower-cased
    for (size_t i = 0; i < c.reps.size(); ++i) {
      const Rep& rep = c.reps[i];
      const std::string base = fmt::format("/reps/{}", i);
      if (rep.id.empty()) {
        Error(base + "/id", "found an empty id, expected a non-empty string");
      } else if (!ids.insert(rep.id).second) {
        Error(base + "/id", fmt::format("duplicate rep id \"{}\"", rep.id));
      }
      if (!rep.email.empty() && !emails.insert(ToLower(rep.email)).second) {
        // `field_owner` finds reps by email; two would be ambiguous.
        Error(base + "/email",
              fmt::format("duplicate rep email \"{}\"", rep.email));
      }
      if (!(rep.weight > 0) || !std::isfinite(rep.weight)) {
        Error(base + "/weight",
              fmt::format("found {}, expected a number above 0", rep.weight));
      }
      if (rep.capacity.max_open && *rep.capacity.max_open < 0) {
        Error(base + "/capacity/max_open",
              fmt::format("found {}, expected 0 or more",
                          *rep.capacity.max_open));
      }
      const std::pair<const char*, const std::optional<int>*> counts[] = {
          {"max_per_day", &rep.capacity.max_per_day},
          {"max_per_week", &rep.capacity.max_per_week},
          {"max_per_month", &rep.capacity.max_per_month}};
      for (const auto& [key, cap] : counts) {
        if (cap->has_value() && **cap < 0) {
          Error(fmt::format("{}/capacity/{}", base, key),
                fmt::format("found {}, expected 0 or more", **cap));
        }
      }
      if (const auto& w = rep.capacity.max_in_window) {
        if (w->count < 0) {
          Error(base + "/capacity/max_in_window/count",
                fmt::format("found {}, expected 0 or more", w->count));
        }
        if (w->hours < 1 || w->hours > 744) {
          Error(base + "/capacity/max_in_window/hours",
                fmt::format("found {}, expected 1 to 744 (31 days)", w->hours));
        }
      }
      for (size_t j = 0; j < rep.teams.size(); ++j) {
        if (!team_ids_.contains(rep.teams[j])) {
          Error(fmt::format("{}/teams/{}", base, j),
                fmt::format("unknown team \"{}\"; expected one of the ids "
                            "in /teams",
                            rep.teams[j]));
        }
      }
      if (!rep.time_zone.empty() && !KnownTimeZone(rep.time_zone)) {
        Error(base + "/time_zone",
              fmt::format("unknown time zone \"{}\", expected an IANA name "
                          "such as \"Europe/Berlin\"",
                          rep.time_zone));
      }
      out_->schedules.push_back(CompiledSchedule::ForRep(rep, base, errors_));
      for (const auto& [name, value] : rep.attributes) {
        if (name.empty()) {
          Error(base + "/attributes", "found an empty attribute name");
        }
      }
    }
  }

  void CheckSettings(const RuleSetConfig& c) {
    if (c.settings.time_zone.empty()) return;
    out_->zone = FindZone(c.settings.time_zone);
    if (out_->zone == nullptr) {
      Error("/settings/time_zone",
            fmt::format("unknown time zone \"{}\", expected an IANA name "
                        "such as \"Europe/Berlin\"",
                        c.settings.time_zone));
    }
  }

  void CompileWindow(const ActiveWindow& window, const std::string& path,
                     CompiledRule& compiled) {
    std::vector<int> days;
    for (size_t k = 0; k < window.days.size(); ++k) {
      if (std::optional<int> d = ParseDayName(window.days[k])) {
        days.push_back(*d);
      } else {
        Error(fmt::format("{}/days/{}", path, k),
              fmt::format("found \"{}\", expected one of: mon, tue, wed, "
                          "thu, fri, sat, sun",
                          window.days[k]));
      }
    }
    std::vector<std::pair<int, int>> blocks;
    for (size_t k = 0; k < window.hours.size(); ++k) {
      const TimeBlock& b = window.hours[k];
      std::string at = fmt::format("{}/hours/{}", path, k);
      std::optional<int> start = ParseTimeOfDay(b.start);
      std::optional<int> end = ParseTimeOfDay(b.end);
      if (!start || *start == kMinutesPerDay) {
        Error(at + "/0", fmt::format("found \"{}\", expected a start time "
                                     "\"HH:MM\" from 00:00 to 23:59",
                                     b.start));
      }
      if (!end) {
        Error(at + "/1", fmt::format("found \"{}\", expected an end time "
                                     "\"HH:MM\" from 00:00 to 24:00",
                                     b.end));
      }
      if (!start || !end || *start == kMinutesPerDay) continue;
      if (*start == *end || (*start == 0 && *end == 0)) {
        Error(at, fmt::format("the block [\"{}\", \"{}\"] is empty", b.start,
                              b.end));
        continue;
      }
      for (const auto& [s, e] : blocks) {
        int e1 = e > s ? e : e + kMinutesPerDay;
        int e2 = *end > *start ? *end : *end + kMinutesPerDay;
        if (*start < e1 && s < e2) {
          Error(at, "overlaps an earlier block of \"hours\"");
          break;
        }
      }
      blocks.push_back({*start, *end});
    }
    compiled.active = CompiledSchedule::Window(out_->zone, days, blocks);
  }

  void CheckFallback(const RuleSetConfig& c) {
    if (!c.fallback) {
      Error("/fallback",
            "missing fallback owner, expected {\"queue\": id} or "
            "{\"rep\": id}; every RuleSet needs one");
      return;
    }
    out_->fallback = *c.fallback;
    if (c.fallback->kind == OwnerKind::kQueue) {
      if (c.fallback->id.empty()) {
        Error("/fallback/queue", "found an empty queue id");
      }
      return;
    }
    RepIndex rep = out_->roster->Find(c.fallback->id);
    if (rep == kNoRep) {
      Error("/fallback/rep", fmt::format("unknown rep \"{}\"", c.fallback->id));
    } else if (!out_->roster->rep(rep).active) {
      Error("/fallback/rep",
            fmt::format("rep \"{}\" is inactive; the fallback must be able "
                        "to take leads",
                        c.fallback->id));
    }
    out_->fallback_rep = rep;
  }

  void CheckTeamLeads(const RuleSetConfig& c) {
    for (size_t i = 0; i < c.teams.size(); ++i) {
      const std::string& lead = c.teams[i].lead;
      if (lead.empty()) continue;
      const std::string path = fmt::format("/teams/{}/lead", i);
      RepIndex rep = out_->roster->Find(lead);
      if (rep == kNoRep) {
        Error(path, fmt::format("unknown rep \"{}\"; expected one of the ids "
                                "in /reps",
                                lead));
      } else if (!out_->roster->rep(rep).active) {
        Error(path, fmt::format("rep \"{}\" is inactive; a team lead must be "
                                "able to take leads",
                                lead));
      }
    }
  }

  // The lead of the first of `rep`'s teams that has one, else "".
  std::string_view TeamLeadOf(const Rep& rep) const {
    for (const std::string& team_id : rep.teams) {
      for (const Team& team : out_->config.teams) {
        if (team.id == team_id && !team.lead.empty()) return team.lead;
      }
    }
    return {};
  }

  // `pool`: the reps that may own a lead under this SLA (for `team_lead`).
  void CheckSla(const Sla& sla, const std::string& path,
                const CandidateSet& pool) {
    using std::chrono::seconds;
    if (sla.respond_within <= seconds{0}) {
      Error(path + "/respond_within",
            fmt::format("found {}s, expected a duration above 0",
                        sla.respond_within.count()));
    }
    seconds previous{0};
    for (size_t k = 0; k < sla.escalate.size(); ++k) {
      const EscalationStep& step = sla.escalate[k];
      const std::string at = fmt::format("{}/escalate/{}", path, k);
      if (step.after <= seconds{0}) {
        Error(at + "/after", fmt::format("found {}s, expected a duration "
                                         "above 0",
                                         step.after.count()));
      } else if (k == 0 && step.after < sla.respond_within) {
        Error(at + "/after",
              fmt::format("found \"{}\", expected at least respond_within "
                          "(\"{}\"): an owner is not escalated before the "
                          "response time is over",
                          DurationText(step.after),
                          DurationText(sla.respond_within)));
      } else if (k > 0 && step.after <= previous) {
        Error(at + "/after",
              fmt::format("found \"{}\", expected more than the previous "
                          "step's \"{}\" (each \"after\" counts from the "
                          "lead's first routing)",
                          DurationText(step.after), DurationText(previous)));
      }
      previous = std::max(previous, step.after);
      if (step.action != EscalationAction::kTransfer) {
        if (!step.to.empty()) {
          Error(at + "/to", fmt::format("\"to\" is used only with the "
                                        "\"transfer\" action, not \"{}\"",
                                        EscalationActionName(step.action)));
        }
      } else if (step.to.empty()) {
        Error(at + "/to",
              "missing required key \"to\"; a \"transfer\" names the rep "
              "that takes the lead");
      } else if (RepIndex rep = out_->roster->Find(step.to); rep == kNoRep) {
        Error(at + "/to", fmt::format("unknown rep \"{}\"; expected one of "
                                      "the ids in /reps",
                                      step.to));
      } else if (!out_->roster->rep(rep).active) {
        Error(at + "/to", fmt::format("rep \"{}\" is inactive; it could not "
                                      "take the lead",
                                      step.to));
      }
      if (step.action == EscalationAction::kTeamLead) {
        const Roster& roster = *out_->roster;
        for (RepIndex r = 0; r < roster.size(); ++r) {
          if (!pool.test(r) || !TeamLeadOf(roster.rep(r)).empty()) continue;
          Error(at + "/action",
                fmt::format("rep \"{}\" can own these leads but is in no "
                            "team with a \"lead\"; \"team_lead\" needs "
                            "one for every owner",
                            roster.id(r)));
          break;
        }
      }
    }
  }

  void CheckSlas(const RuleSetConfig& c) {
    const Roster& roster = *out_->roster;
    // The reps that may own a lead under the default SLA: the pools of the
    // rules without their own.
    CandidateSet default_pool(roster.size());
    for (size_t i = 0; i < c.rules.size() && i < out_->rules.size(); ++i) {
      CompiledRule& rule = out_->rules[i];
      if (c.rules[i].sla) {
        rule.sla = &*c.rules[i].sla;
        CheckSla(*c.rules[i].sla, fmt::format("/rules/{}/sla", i), rule.pool);
      } else if (c.settings.sla) {
        rule.sla = &*c.settings.sla;
        default_pool |= rule.pool;
      }
      out_->any_sla = out_->any_sla || rule.sla != nullptr;
    }
    if (c.settings.sla) {
      out_->any_sla = true;
      CheckSla(*c.settings.sla, "/settings/sla", default_pool);
    }
  }

  // A rule's distribution mode and offer settings (leadroute/offer.h).
  void CompileOffer(const Rule& rule, const std::string& base,
                    CompiledRule& compiled) {
    compiled.mode = rule.mode;
    if (!rule.offer) return;
    const OfferSettings& offer = *rule.offer;
    if (rule.mode != Distribution::kOffer) {
      Error(base + "/offer",
            fmt::format("\"offer\" settings need \"mode\": \"offer\"; this "
                        "rule's mode is \"{}\"",
                        DistributionName(rule.mode)));
      return;
    }
    if (offer.size < 1 || offer.size > 100) {
      Error(base + "/offer/size",
            fmt::format("found {}, expected a shortlist size from 1 to 100",
                        offer.size));
    }
    if (offer.expires_after <= std::chrono::seconds{0}) {
      Error(base + "/offer/expires_after",
            fmt::format("found {}s, expected a duration above zero",
                        offer.expires_after.count()));
    }
    compiled.offer = offer;
  }

  void CompileRule(size_t i) {
    const Rule& rule = out_->config.rules[i];
    const Roster& roster = *out_->roster;
    const std::string base = fmt::format("/rules/{}", i);
    CompiledRule compiled;
    compiled.id = rule.id;
    compiled.rotation = rule.rotation.empty() ? rule.id : rule.rotation;
    compiled.on_empty = rule.on_empty;
    CompileOffer(rule, base, compiled);
    compiled.seed = Mix64(out_->config.settings.seed ^ Fnv1a64(rule.id));
    if (rule.id.empty()) {
      Error(base + "/id", "found an empty id, expected a non-empty string");
    } else if (!rule_ids_.insert(rule.id).second) {
      Error(base + "/id", fmt::format("duplicate rule id \"{}\"", rule.id));
    }

    if (rule.active) CompileWindow(*rule.active, base + "/active", compiled);
    compiled.when = CompiledCondition::Compile(rule.when, base + "/when",
                                               out_->fields, errors_);

    if (rule.pool.teams.empty() && rule.pool.reps.empty()) {
      compiled.pool = roster.active();
    } else {
      compiled.pool = CandidateSet(roster.size());
      for (size_t j = 0; j < rule.pool.teams.size(); ++j) {
        const CandidateSet* members = roster.team(rule.pool.teams[j]);
        if (members == nullptr) {
          Error(fmt::format("{}/pool/teams/{}", base, j),
                fmt::format("unknown team \"{}\"", rule.pool.teams[j]));
        } else {
          compiled.pool |= *members;
        }
      }
      for (size_t j = 0; j < rule.pool.reps.size(); ++j) {
        RepIndex rep = roster.Find(rule.pool.reps[j]);
        if (rep == kNoRep) {
          Error(fmt::format("{}/pool/reps/{}", base, j),
                fmt::format("unknown rep \"{}\"", rule.pool.reps[j]));
        } else if (roster.rep(rep).active) {
          compiled.pool.set(rep);
        }
      }
    }

    if (!CompileExperiment(rule, base, compiled)) {
      std::vector<StepSource> sources;
      for (size_t j = 0; j < rule.steps.size(); ++j) {
        sources.push_back(
            {&rule.steps[j], fmt::format("{}/steps/{}", base, j)});
      }
      compiled.steps = CompileSteps(sources, "");
    }
    out_->rules.push_back(std::move(compiled));
  }

  // A step to compile and its JSON Pointer.
  struct StepSource {
    const Step* step;
    std::string path;
  };

  // Compiles a rule's step list in order. `variant` names the experiment
  // variant in the message about a step that never runs ("" without one).
  std::vector<CompiledStep> CompileSteps(const std::vector<StepSource>& sources,
                                         std::string_view variant) {
    std::vector<CompiledStep> steps;
    bool after_picker = false;
    for (const StepSource& source : sources) {
      if (after_picker) {
        Error(source.path,
              variant.empty()
                  ? std::string("a step after a picker never runs; the "
                                "picker ends the rule")
                  : fmt::format("a step after a picker never runs; in "
                                "variant \"{}\" a picker ends the rule "
                                "before it",
                                variant));
      }
      if (auto step = CompileStep(*source.step, source.path)) {
        after_picker = after_picker || step->kind == StrategyKind::kPicker;
        steps.push_back(std::move(*step));
      }
    }
    return steps;
  }

  // A rule with an `experiment` step (compile/experiment.h): one full step
  // list per variant. False when the rule has none. The steps around the
  // experiment compile once per variant; their errors are reported once.
  bool CompileExperiment(const Rule& rule, const std::string& base,
                         CompiledRule& compiled) {
    std::optional<size_t> at;
    for (size_t j = 0; j < rule.steps.size(); ++j) {
      if (rule.steps[j].strategy != kExperimentStrategy) continue;
      if (at) {
        Error(fmt::format("{}/steps/{}", base, j),
              fmt::format("a second experiment step; expected at most one "
                          "per rule (the first is at {}/steps/{})",
                          base, *at));
      } else {
        at = j;
      }
    }
    if (!at) return false;
    const std::string path = fmt::format("{}/steps/{}", base, *at);
    std::optional<ExperimentSpec> spec =
        ParseExperiment(rule.steps[*at], path, errors_);
    if (spec && !experiment_ids_.insert(spec->id).second) {
      Error(path + "/id",
            fmt::format("duplicate experiment id \"{}\"; expected ids "
                        "unique within the RuleSet",
                        spec->id));
    }
    if (!spec) {
      // Still check the steps around it, so that one pass finds every
      // error.
      std::vector<StepSource> sources;
      for (size_t j = 0; j < rule.steps.size(); ++j) {
        if (rule.steps[j].strategy == kExperimentStrategy) continue;
        sources.push_back(
            {&rule.steps[j], fmt::format("{}/steps/{}", base, j)});
      }
      (void)CompileSteps(sources, "");
      return true;
    }
    compiled.experiment_seed = ExperimentSeed(spec->salt);
    const size_t first_error = errors_.size();
    uint32_t upper = 0;
    for (const ExperimentVariantSpec& variant : spec->variants) {
      std::vector<StepSource> sources;
      for (size_t j = 0; j < *at; ++j) {
        sources.push_back(
            {&rule.steps[j], fmt::format("{}/steps/{}", base, j)});
      }
      for (size_t k = 0; k < variant.steps.size(); ++k) {
        sources.push_back(
            {&variant.steps[k], fmt::format("{}/steps/{}", variant.path, k)});
      }
      for (size_t j = *at + 1; j < rule.steps.size(); ++j) {
        if (rule.steps[j].strategy == kExperimentStrategy) continue;
        sources.push_back(
            {&rule.steps[j], fmt::format("{}/steps/{}", base, j)});
      }
      upper += variant.share;
      CompiledVariant& out = compiled.variants.emplace_back();
      out.label = fmt::format("{}/{}", spec->id, variant.name);
      out.upper = upper;
      out.steps = CompileSteps(sources, variant.name);
    }
    // The shared steps reported the same error once per variant.
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<ConfigError> unique;
    for (size_t e = first_error; e < errors_.size(); ++e) {
      if (seen.insert({errors_[e].path, errors_[e].message}).second) {
        unique.push_back(std::move(errors_[e]));
      }
    }
    errors_.resize(first_error);
    for (ConfigError& e : unique) errors_.push_back(std::move(e));
    return true;
  }

  std::optional<CompiledStep> CompileStep(const Step& step,
                                          const std::string& path) {
    const StrategyFactory* factory = registry_.Find(step.strategy);
    if (factory == nullptr) {
      std::vector<std::string> names = registry_.Names();
      Error(path + "/strategy",
            fmt::format("unknown strategy \"{}\"; expected one of: {}",
                        step.strategy, fmt::join(names, ", ")));
      return std::nullopt;
    }
    auto state = std::make_shared<StepParamsState>();
    std::vector<ConfigError> parse_errors;
    auto params =
        ParseJson(step.params.empty() ? "{}" : step.params, parse_errors);
    if (!params || !params->is_object()) {
      Error(path, params ? fmt::format("{}, expected the step parameters as "
                                       "an object",
                                       Found(*params))
                         : parse_errors.front().message);
      return std::nullopt;
    }
    state->document = std::move(*params);
    BuildContext ctx(step.strategy, path, MakeStepParams(state, path),
                     *out_->roster, out_->fields,
                     Mix64(out_->config.settings.seed ^ Fnv1a64(path)),
                     out_->zone != nullptr
                         ? std::string_view(out_->config.settings.time_zone)
                         : std::string_view());
    Result<std::unique_ptr<Strategy>> built = Status::Internal("not run");
    try {
      built = (*factory)(ctx);
    } catch (const std::exception& e) {
      built = Status::Internal(e.what());
    }
    ReportUnknownKeys(*state);
    if (!state->errors.empty()) {
      for (auto& e : state->errors) errors_.push_back(std::move(e));
      return std::nullopt;
    }
    if (!built.ok()) {
      if (built.status().errors().empty()) {
        Error(path, std::string(built.status().message()));
      } else {
        for (const auto& e : built.status().errors()) errors_.push_back(e);
      }
      return std::nullopt;
    }
    if (built.value() == nullptr) {
      Error(path, "the strategy factory returned no strategy");
      return std::nullopt;
    }
    CompiledStep out;
    out.strategy_name = step.strategy;
    out.path = path;
    out.strategy = std::move(built).value();
    out.kind = out.strategy->Kind();
    out.relaxable =
        out.kind == StrategyKind::kFilter && out.strategy->Relaxable();
    AddStickyStep(out_->sticky, *out.strategy);
    return out;
  }

  const StrategyRegistry& registry_;
  std::shared_ptr<CompiledRuleSet> out_;
  std::vector<ConfigError> errors_;
  std::set<std::string, std::less<>> team_ids_;
  std::set<std::string, std::less<>> rule_ids_;
  std::set<std::string, std::less<>> experiment_ids_;
};

}  // namespace

Result<RuleSet> CompiledRuleSet::Compile(RuleSetConfig config,
                                         const LoadOptions& options) {
  const StrategyRegistry& registry = options.strategies != nullptr
                                         ? *options.strategies
                                         : StrategyRegistry::Builtins();
  try {
    return Compiler(std::move(config), registry).Run();
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("compiling the RuleSet: {}", e.what()));
  }
}

RuleSet CompiledRuleSet::Wrap(std::shared_ptr<const CompiledRuleSet> impl) {
  return RuleSet(std::move(impl));
}

}  // namespace leadroute::internal
