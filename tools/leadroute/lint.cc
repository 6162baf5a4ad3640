// `leadroute lint RULES.json`: a valid rules file can still route badly.
// Finds rules that can never fire, conditions that can never hold, empty
// pools, reps no rule reaches, band gaps, caps that can never be met or
// reached, schedules with no working time or no effect, and fields compared
// with values of different types. Each finding has a JSON Pointer path.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.h"
#include "leadroute/condition.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "summary.h"

namespace leadroute::cli {
namespace {

enum class Severity { kError, kWarning };

struct Finding {
  Severity severity;
  std::string path;
  std::string message;
};

bool IsPicker(std::string_view strategy) {
  return strategy == "round_robin" || strategy == "least_loaded" ||
         strategy == "random";
}

bool AlwaysTrue(const Condition& c) {
  if (c.op == ConditionOp::kAll) {
    return std::all_of(c.children.begin(), c.children.end(), AlwaysTrue);
  }
  return false;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Show(const Value& v) {
  if (v.is_string()) return fmt::format("\"{}\"", v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (auto d = v.number()) return fmt::format("{:g}", *d);
  return "?";
}

// Numeric range of one field inside an `all`.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;
  std::vector<std::string> tests;  // "score > 90", for the message

  void Above(double v, bool open) {
    if (v > lo || (v == lo && open)) {
      lo = v;
      lo_open = open;
    }
  }
  void Below(double v, bool open) {
    if (v < hi || (v == hi && open)) {
      hi = v;
      hi_open = open;
    }
  }
  bool Empty() const { return lo > hi || (lo == hi && (lo_open || hi_open)); }
};

class Linter {
 public:
  explicit Linter(const RuleSet& rules) : rules_(rules) {}

  std::vector<Finding> Run() {
    const RuleSetConfig& config = rules_.config();
    for (size_t r = 0; r < config.rules.size(); ++r) {
      const Rule& rule = config.rules[r];
      std::string path = fmt::format("/rules/{}", r);
      CheckPool(rule, path);
      CheckCondition(rule.when, path + "/when", rule.id);
      CheckShadowed(r);
      for (size_t s = 0; s < rule.steps.size(); ++s) {
        CheckBands(rule.steps[s], fmt::format("{}/steps/{}", path, s));
      }
    }
    CheckReps();
    CheckFieldTypes();
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const Finding& a, const Finding& b) {
                       return a.severity < b.severity;
                     });
    return std::move(findings_);
  }

 private:
  void Add(Severity severity, std::string path, std::string message) {
    findings_.push_back({severity, std::move(path), std::move(message)});
  }

  // Reps named by a pool, active or not; every rep for "everyone".
  std::vector<const Rep*> PoolMembers(const Rule& rule) const {
    const RuleSetConfig& config = rules_.config();
    std::vector<const Rep*> members;
    bool everyone = rule.pool.teams.empty() && rule.pool.reps.empty();
    for (const Rep& rep : config.reps) {
      bool in =
          everyone || std::find(rule.pool.reps.begin(), rule.pool.reps.end(),
                                rep.id) != rule.pool.reps.end();
      for (const std::string& team : rep.teams) {
        in = in || std::find(rule.pool.teams.begin(), rule.pool.teams.end(),
                             team) != rule.pool.teams.end();
      }
      if (in) members.push_back(&rep);
    }
    return members;
  }

  void CheckPool(const Rule& rule, const std::string& path) {
    std::vector<const Rep*> members = PoolMembers(rule);
    if (members.empty()) {
      Add(Severity::kError, path + "/pool",
          fmt::format("rule \"{}\": the pool has no reps", rule.id));
    } else if (std::none_of(members.begin(), members.end(),
                            [](const Rep* rep) { return rep->active; })) {
      Add(Severity::kError, path + "/pool",
          fmt::format("rule \"{}\": every rep of the pool is inactive",
                      rule.id));
    }
  }

  // A rule that, whenever its `when` holds, decides the lead: on_empty is
  // fallback, or its pool has active reps without caps and only pickers run.
  bool AlwaysDecides(const Rule& rule) const {
    // Skipped outside its active window (`Rule::active`, where the core has
    // it): then it does not apply to every lead its `when` admits.
    bool windowed = [](const auto& r) {
      if constexpr (requires { r.active.has_value(); }) {
        return r.active.has_value();
      } else {
        return false;
      }
    }(rule);
    if (windowed) return false;
    if (rule.on_empty == OnEmpty::kFallback) return true;
    for (const Step& step : rule.steps) {
      if (!IsPicker(step.strategy)) return false;
    }
    bool any_active = false;
    for (const Rep* rep : PoolMembers(rule)) {
      if (!rep->active) continue;
      if (rep->capacity.max_open) return false;
      any_active = true;
    }
    return any_active;
  }

  void CheckShadowed(size_t r) {
    const auto& rules = rules_.config().rules;
    for (size_t earlier = 0; earlier < r; ++earlier) {
      const Rule& e = rules[earlier];
      if (!AlwaysDecides(e)) continue;
      bool broader = AlwaysTrue(e.when);
      if (!broader && e.when != rules[r].when) continue;
      Add(Severity::kError, fmt::format("/rules/{}", r),
          fmt::format("rule \"{}\" can never fire: rule \"{}\" (/rules/{}) "
                      "{} and always decides ({})",
                      rules[r].id, e.id, earlier,
                      broader ? "applies to every lead" : "has the same when",
                      e.on_empty == OnEmpty::kFallback
                          ? "on_empty: fallback"
                          : "pickers only, no caps"));
      return;
    }
  }

  void CheckCondition(const Condition& c, const std::string& path,
                      const std::string& rule_id) {
    if (c.op != ConditionOp::kAll && c.op != ConditionOp::kAny &&
        c.op != ConditionOp::kNot) {
      tests_[c.field].push_back({&c, path});
      return;
    }
    std::string name(ConditionOpName(c.op));
    for (size_t i = 0; i < c.children.size(); ++i) {
      CheckCondition(c.children[i],
                     c.op == ConditionOp::kNot
                         ? path + "/not"
                         : fmt::format("{}/{}/{}", path, name, i),
                     rule_id);
    }
    if (c.op == ConditionOp::kAll) CheckContradiction(c, path, rule_id);
  }

  void CheckContradiction(const Condition& all, const std::string& path,
                          const std::string& rule_id) {
    std::map<std::string, Range> ranges;
    std::map<std::string, std::vector<const Value*>> equals;
    for (const Condition& c : all.children) {
      if (c.values.empty()) continue;
      auto number = c.values[0].number();
      std::string f = c.field;
      switch (c.op) {
        case ConditionOp::kEq:
          equals[f].push_back(&c.values[0]);
          if (number) {
            ranges[f].Above(*number, false);
            ranges[f].Below(*number, false);
            ranges[f].tests.push_back(fmt::format("{} = {:g}", f, *number));
          }
          break;
        case ConditionOp::kGt:
        case ConditionOp::kGte:
          if (!number) break;
          ranges[f].Above(*number, c.op == ConditionOp::kGt);
          ranges[f].tests.push_back(fmt::format(
              "{} {} {:g}", f, c.op == ConditionOp::kGt ? ">" : ">=", *number));
          break;
        case ConditionOp::kLt:
        case ConditionOp::kLte:
          if (!number) break;
          ranges[f].Below(*number, c.op == ConditionOp::kLt);
          ranges[f].tests.push_back(fmt::format(
              "{} {} {:g}", f, c.op == ConditionOp::kLt ? "<" : "<=", *number));
          break;
        case ConditionOp::kBetween: {
          auto hi = c.values.size() > 1 ? c.values[1].number() : std::nullopt;
          if (!number || !hi) break;
          ranges[f].Above(*number, false);
          ranges[f].Below(*hi, false);
          ranges[f].tests.push_back(
              fmt::format("{} between {:g} and {:g}", f, *number, *hi));
          break;
        }
        default:
          break;
      }
    }
    for (const auto& [field, values] : equals) {
      for (size_t i = 1; i < values.size(); ++i) {
        const Value& a = *values[0];
        const Value& b = *values[i];
        bool same = a.is_string() && b.is_string()
                        ? Lower(a.as_string()) == Lower(b.as_string())
                        : (a.number() && b.number() ? *a.number() == *b.number()
                                                    : a == b);
        if (!same) {
          Add(Severity::kError, path,
              fmt::format("rule \"{}\": condition can never hold: {} equals "
                          "both {} and {}",
                          rule_id, field, Show(a), Show(b)));
          return;
        }
      }
    }
    for (const auto& [field, range] : ranges) {
      if (range.Empty()) {
        Add(Severity::kError, path,
            fmt::format("rule \"{}\": condition can never hold: {}", rule_id,
                        fmt::join(range.tests, " and ")));
        return;
      }
    }
  }

  void CheckBands(const Step& step, const std::string& path) {
    nlohmann::json params = nlohmann::json::parse(step.params, nullptr, false);
    if (!params.is_object() || !params.contains("bands") ||
        !params["bands"].is_array()) {
      return;
    }
    constexpr double kInf = std::numeric_limits<double>::infinity();
    std::vector<std::pair<double, double>> bands;
    for (const auto& band : params["bands"]) {
      if (!band.is_object()) return;
      double lo = band.contains("min") && band["min"].is_number()
                      ? band["min"].get<double>()
                      : -kInf;
      double hi = band.contains("max") && band["max"].is_number()
                      ? band["max"].get<double>()
                      : kInf;
      bands.emplace_back(lo, hi);
    }
    std::sort(bands.begin(), bands.end());
    for (size_t i = 1; i < bands.size(); ++i) {
      double covered = bands[i - 1].second;
      for (size_t k = 0; k < i; ++k)
        covered = std::max(covered, bands[k].second);
      if (bands[i].first > covered) {
        std::string field = params.value("field", step.strategy);
        Add(Severity::kWarning, path + "/bands",
            fmt::format("bands leave a gap: {} in [{:g}, {:g}) matches no band",
                        field, covered, bands[i].first));
      }
    }
  }

  void CheckReps() {
    const RuleSetConfig& config = rules_.config();
    std::set<std::string> reachable;
    for (const Rule& rule : config.rules) {
      for (const Rep* rep : PoolMembers(rule)) reachable.insert(rep->id);
    }
    if (config.fallback && config.fallback->kind == OwnerKind::kRep) {
      reachable.insert(config.fallback->id);
    }
    for (size_t i = 0; i < config.reps.size(); ++i) {
      const Rep& rep = config.reps[i];
      if (!rep.active) continue;
      std::string path = fmt::format("/reps/{}", i);
      if (!reachable.count(rep.id)) {
        Add(Severity::kWarning, path,
            fmt::format("rep \"{}\" is in no rule's pool and is not the "
                        "fallback: no lead can reach them",
                        rep.id));
      }
      CheckCaps(rep, path);
      CheckSchedule(rep, path);
    }
  }

  // Caps of 0 (the rep never gets a lead) and caps another cap keeps out of
  // reach (a weekly cap above what the daily cap allows in the rep's working
  // days of a week).
  void CheckCaps(const Rep& rep, const std::string& path) {
    const Capacity& c = rep.capacity;
    const std::string caps = path + "/capacity/";
    auto never = [&](const char* name, const std::optional<int>& cap,
                     std::string suffix = "") {
      if (cap && *cap <= 0) {
        Add(Severity::kWarning, caps + name + suffix,
            fmt::format("rep \"{}\": {} {} can never be met: the rep never "
                        "receives a lead",
                        rep.id, name, *cap));
      }
    };
    never("max_open", c.max_open);
    never("max_per_day", c.max_per_day);
    never("max_per_week", c.max_per_week);
    never("max_per_month", c.max_per_month);
    if (c.max_in_window) {
      never("max_in_window", c.max_in_window->count, "/count");
    }
    // Each other cap bounds how many leads one period can hold; a cap above
    // the tightest such bound can never be reached.
    struct Bound {
      int64_t most = std::numeric_limits<int64_t>::max();
      std::string why;
      void Tighten(const std::optional<int>& cap, int64_t times,
                   std::string reason) {
        if (cap && *cap > 0 && *cap * times < most) {
          most = *cap * times;
          why = std::move(reason);
        }
      }
    };
    const int days = WorkingDaysPerWeek(rep);
    Bound day, week, month;
    day.Tighten(c.max_per_week, 1, "max_per_week: a day lies in one week");
    day.Tighten(c.max_per_month, 1, "max_per_month: a day lies in one month");
    if (days > 0) {
      week.Tighten(c.max_per_day, days,
                   fmt::format("max_per_day x {} working day{} a week", days,
                               days == 1 ? "" : "s"));
    }
    week.Tighten(c.max_per_month, 2,
                 "max_per_month x 2: a week touches at most 2 months");
    month.Tighten(c.max_per_day, 31, "max_per_day x 31 days");
    month.Tighten(c.max_per_week, 6,
                  "max_per_week x 6: a month touches at most 6 weeks");
    auto unreachable = [&](const char* name, const std::optional<int>& cap,
                           const Bound& bound) {
      if (cap && *cap > bound.most) {
        Add(Severity::kWarning, caps + name,
            fmt::format("rep \"{}\": {} {} can never be reached: at most {} "
                        "({})",
                        rep.id, name, *cap, bound.most, bound.why));
      }
    };
    unreachable("max_per_day", c.max_per_day, day);
    unreachable("max_per_week", c.max_per_week, week);
    unreachable("max_per_month", c.max_per_month, month);
  }

  // Local days of a week on which the rep can take a lead: days with a
  // working block, and the day after a block that runs past midnight.
  static int WorkingDaysPerWeek(const Rep& rep) {
    if (!rep.schedule || !rep.schedule->weekly) return 7;
    const auto& weekly = *rep.schedule->weekly;
    std::array<bool, 7> working{};
    for (size_t d = 0; d < 7; ++d) {
      for (const TimeBlock& block : weekly[d]) {
        working[d] = true;
        if (block.end != "24:00" && block.end <= block.start) {
          working[(d + 1) % 7] = true;  // crosses midnight
        }
      }
    }
    return static_cast<int>(std::count(working.begin(), working.end(), true));
  }

  // A weekly schedule without a single block: the rep is never on schedule.
  // A schedule that no availability step reads has no effect.
  void CheckSchedule(const Rep& rep, const std::string& path) {
    if (!rep.schedule) return;
    if (rep.schedule->weekly && WorkingDaysPerWeek(rep) == 0) {
      Add(Severity::kWarning, path + "/schedule/weekly",
          fmt::format("rep \"{}\": the schedule has no working time: the rep "
                      "is never on schedule and never receives a lead from a "
                      "rule that checks schedules",
                      rep.id));
    }
    const RuleSetConfig& config = rules_.config();
    for (const Rule& rule : config.rules) {
      const auto members = PoolMembers(rule);
      if (std::find(members.begin(), members.end(), &rep) == members.end()) {
        continue;
      }
      for (const Step& step : rule.steps) {
        if (step.strategy != "availability") continue;
        nlohmann::json params =
            nlohmann::json::parse(step.params, nullptr, false);
        if (!params.is_object() || params.value("schedule", true)) return;
      }
    }
    Add(Severity::kWarning, path + "/schedule",
        fmt::format("rep \"{}\" has a schedule but no rule that can reach "
                    "them has an availability step checking schedules: the "
                    "schedule has no effect",
                    rep.id));
  }

  // A field compared with numbers in one place and strings in another: one
  // of the two can never hold for a given lead.
  void CheckFieldTypes() {
    for (const auto& [field, tests] : tests_) {
      std::map<std::string, std::vector<std::string>> paths_by_kind;
      for (const auto& [c, path] : tests) {
        if (c->op == ConditionOp::kExists) continue;
        for (const Value& v : c->values) {
          std::string kind = v.is_number()   ? "numbers"
                             : v.is_string() ? "strings"
                             : v.is_bool()   ? "booleans"
                                             : "";
          if (kind.empty()) continue;
          auto& paths = paths_by_kind[kind];
          if (paths.empty() || paths.back() != path) paths.push_back(path);
        }
      }
      if (paths_by_kind.size() < 2) continue;
      // The most used kind is taken as the intended one.
      auto main = std::max_element(paths_by_kind.begin(), paths_by_kind.end(),
                                   [](const auto& a, const auto& b) {
                                     return a.second.size() < b.second.size();
                                   });
      for (const auto& [kind, paths] : paths_by_kind) {
        if (kind == main->first) continue;
        for (const std::string& path : paths) {
          Add(Severity::kWarning, path,
              fmt::format("field \"{}\" is compared with {} here but with {} "
                          "at {}: a lead's value cannot match both",
                          field, kind, main->first, main->second.front()));
        }
      }
    }
  }

  const RuleSet& rules_;
  std::vector<Finding> findings_;
  // Field tests by field name, in rule order, with their paths.
  std::map<std::string, std::vector<std::pair<const Condition*, std::string>>>
      tests_;
};

}  // namespace

int RunLint(const LintOptions& options) {
  auto rules = RuleSet::FromFile(options.rules);
  if (!rules.ok()) {
    PrintErrors(stderr, options.rules, rules.status());
    fmt::print(stderr, "{}: invalid: run `leadroute validate` first\n",
               options.rules);
    return kExitLoadFailed;
  }
  std::vector<Finding> findings = Linter(*rules).Run();
  size_t errors = static_cast<size_t>(std::count_if(
      findings.begin(), findings.end(),
      [](const Finding& f) { return f.severity == Severity::kError; }));
  size_t warnings = findings.size() - errors;
  if (options.json) {
    nlohmann::ordered_json doc;
    doc["errors"] = errors;
    doc["warnings"] = warnings;
    doc["findings"] = nlohmann::ordered_json::array();
    for (const Finding& f : findings) {
      doc["findings"].push_back(
          {{"severity", f.severity == Severity::kError ? "error" : "warning"},
           {"path", f.path},
           {"message", f.message}});
    }
    fmt::print("{}\n", doc.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
  } else {
    for (const Finding& f : findings) {
      fmt::print("{}: {}: {}: {}\n", options.rules,
                 f.severity == Severity::kError ? "error" : "warning", f.path,
                 f.message);
    }
    fmt::print("{}: {} error{}, {} warning{}\n", options.rules, errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  }
  return errors == 0 ? kExitOk : kExitLintErrors;
}

}  // namespace leadroute::cli
