#include "config/rule_set_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "config/json_util.h"
#include "sla.h"
#include "time/local_time.h"

namespace leadroute::internal {
namespace {

constexpr std::string_view kTopKeys[] = {
    "$schema", "name", "settings", "teams", "reps", "rules", "fallback"};
constexpr std::string_view kSettingsKeys[] = {"seed", "time_zone", "sla"};
constexpr std::string_view kTeamKeys[] = {"id", "name", "lead"};
constexpr std::string_view kRepKeys[] = {
    "id",         "name",        "email",      "teams",    "tier",
    "weight",     "territories", "industries", "products", "languages",
    "attributes", "capacity",    "time_zone",  "schedule", "active"};
constexpr std::string_view kScheduleKeys[] = {"time_zone", "weekly", "holidays",
                                              "out_of_office"};
constexpr std::string_view kOutOfOfficeKeys[] = {"from", "to", "note"};
constexpr std::string_view kActiveKeys[] = {"days", "hours"};
constexpr std::string_view kCapacityKeys[] = {"max_open", "max_per_day",
                                              "max_per_week", "max_per_month",
                                              "max_in_window"};
constexpr std::string_view kWindowCapKeys[] = {"count", "hours"};
constexpr std::string_view kRuleKeys[] = {
    "id",       "description", "when", "pool", "steps", "rotation",
    "on_empty", "active",      "sla",  "mode", "offer"};
constexpr std::string_view kOfferKeys[] = {"size", "expires_after",
                                           "on_expiry"};
constexpr std::string_view kSlaKeys[] = {"respond_within", "escalate"};
constexpr std::string_view kEscalationKeys[] = {"after", "action", "to"};
constexpr std::string_view kPoolKeys[] = {"teams", "reps"};
constexpr std::string_view kFallbackKeys[] = {"queue", "rep"};

// Every condition operator by its config name, in ConditionOp order.
constexpr std::array<std::pair<std::string_view, ConditionOp>, 15> kOps = {{
    {"all", ConditionOp::kAll},
    {"any", ConditionOp::kAny},
    {"not", ConditionOp::kNot},
    {"eq", ConditionOp::kEq},
    {"ne", ConditionOp::kNe},
    {"in", ConditionOp::kIn},
    {"not_in", ConditionOp::kNotIn},
    {"gt", ConditionOp::kGt},
    {"gte", ConditionOp::kGte},
    {"lt", ConditionOp::kLt},
    {"lte", ConditionOp::kLte},
    {"between", ConditionOp::kBetween},
    {"exists", ConditionOp::kExists},
    {"prefix", ConditionOp::kPrefix},
    {"contains", ConditionOp::kContains},
}};
// "field" plus every operator name: the keys a condition object may hold.
constexpr std::array<std::string_view, 16> kConditionKeys = {
    "field", "all", "any", "not", "eq",      "ne",     "in",     "not_in",
    "gt",    "gte", "lt",  "lte", "between", "exists", "prefix", "contains"};

constexpr std::array<std::pair<std::string_view, EscalationAction>, 4>
    kEscalationActions = {{
        {"reassign", EscalationAction::kReassign},
        {"team_lead", EscalationAction::kTeamLead},
        {"transfer", EscalationAction::kTransfer},
        {"fallback", EscalationAction::kFallback},
    }};

constexpr std::array<std::pair<std::string_view, OnEmpty>, 3> kOnEmpty = {{
    {"next_rule", OnEmpty::kNextRule},
    {"fallback", OnEmpty::kFallback},
    {"relax", OnEmpty::kRelax},
}};

std::string_view OpName(ConditionOp op) {
  for (const auto& [name, value] : kOps) {
    if (value == op) return name;
  }
  return "all";
}

bool IsCombinator(ConditionOp op) {
  return op == ConditionOp::kAll || op == ConditionOp::kAny ||
         op == ConditionOp::kNot;
}

// Reads one document, collecting errors. Each Read* method checks the JSON
// type of one value and stores it only when the type is right.
class Reader {
 public:
  explicit Reader(std::vector<ConfigError>& errors) : errors_(errors) {}

  RuleSetConfig Document(const Json& root) {
    RuleSetConfig config;
    if (!root.is_object()) {
      Error("", fmt::format("{}, expected an object (a ruleset with "
                            "\"reps\", \"rules\" and \"fallback\")",
                            Found(root)));
      return config;
    }
    CheckKeys(root, "", kTopKeys, errors_);
    std::string ignored;
    String(root, "", "$schema", ignored);
    String(root, "", "name", config.name);
    if (const Json* settings = Member(root, "settings")) {
      Settings(*settings, "/settings", config.settings);
    }
    Elements(root, "", "teams", "team", [&](const Json& v, std::string path) {
      config.teams.push_back(Team(v, path));
    });
    Elements(root, "", "reps", "rep", [&](const Json& v, std::string path) {
      config.reps.push_back(Rep(v, path));
    });
    Elements(root, "", "rules", "rule", [&](const Json& v, std::string path) {
      config.rules.push_back(Rule(v, path));
    });
    if (const Json* fallback = Member(root, "fallback")) {
      config.fallback = Fallback(*fallback, "/fallback");
    }
    return config;
  }

 private:
  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }
  void WrongType(const std::string& path, const Json& value,
                 std::string_view expected) {
    Error(path, fmt::format("{}, expected {}", Found(value), expected));
  }

  static const Json* Member(const Json& object, std::string_view key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  // True when `value` is an object; otherwise records an error.
  bool Object(const Json& value, const std::string& path,
              std::string_view what) {
    if (value.is_object()) return true;
    WrongType(path, value, fmt::format("an object ({})", what));
    return false;
  }

  void String(const Json& object, std::string_view base, std::string_view key,
              std::string& out) {
    const Json* v = Member(object, key);
    if (v == nullptr) return;
    if (!v->is_string()) {
      WrongType(PointerJoin(base, key), *v, "a string");
      return;
    }
    out = v->get<std::string>();
  }

  // An array of strings; bad elements are reported and skipped.
  void Strings(const Json& object, std::string_view base, std::string_view key,
               std::vector<std::string>& out, std::string_view what) {
    const Json* v = Member(object, key);
    if (v == nullptr) return;
    std::string path = PointerJoin(base, key);
    if (!v->is_array()) {
      WrongType(path, *v, fmt::format("an array of strings ({})", what));
      return;
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const Json& e = (*v)[i];
      if (!e.is_string()) {
        WrongType(PointerJoin(path, i), e, fmt::format("a string ({})", what));
        continue;
      }
      out.push_back(e.get<std::string>());
    }
  }

  void Bool(const Json& object, std::string_view base, std::string_view key,
            bool& out) {
    const Json* v = Member(object, key);
    if (v == nullptr) return;
    if (!v->is_boolean()) {
      WrongType(PointerJoin(base, key), *v, "true or false");
      return;
    }
    out = v->get<bool>();
  }

  // Calls `fn` for each element of the array under `key`.
  template <typename Fn>
  void Elements(const Json& object, std::string_view base, std::string_view key,
                std::string_view element, Fn&& fn) {
    const Json* v = Member(object, key);
    if (v == nullptr) return;
    std::string path = PointerJoin(base, key);
    if (!v->is_array()) {
      WrongType(path, *v, fmt::format("an array of {} objects", element));
      return;
    }
    for (size_t i = 0; i < v->size(); ++i) fn((*v)[i], PointerJoin(path, i));
  }

  // The element's id, or its path as a placeholder when unreadable (so that
  // indexes stay aligned with the document and nothing cascades).
  std::string Id(const Json& object, const std::string& path) {
    std::string id_path = PointerJoin(path, "id");
    const Json* v = Member(object, "id");
    if (v == nullptr) {
      Error(id_path,
            "missing required key \"id\"; expected a non-empty "
            "string");
      return path;
    }
    if (!v->is_string()) {
      WrongType(id_path, *v, "a non-empty string");
      return path;
    }
    std::string id = v->get<std::string>();
    if (id.empty()) {
      Error(id_path, "found an empty string, expected a non-empty string");
      return path;
    }
    return id;
  }

  void Settings(const Json& value, const std::string& path,
                RuleSetSettings& settings) {
    if (!Object(value, path, "settings such as {\"seed\": 42}")) return;
    CheckKeys(value, path, kSettingsKeys, errors_);
    if (const Json* seed = Member(value, "seed")) {
      if (seed->is_number_unsigned()) {
        settings.seed = seed->get<uint64_t>();
      } else {
        WrongType(PointerJoin(path, "seed"), *seed, "a non-negative integer");
      }
    }
    String(value, path, "time_zone", settings.time_zone);
    if (const Json* sla = Member(value, "sla")) {
      settings.sla = Sla(*sla, PointerJoin(path, "sla"));
    }
  }

  // A duration such as "90s", "15m", "2h" or "1d"; ranges are the compile
  // stage's to check.
  std::optional<std::chrono::seconds> Duration(const Json& object,
                                               const std::string& path,
                                               std::string_view key) {
    const Json* v = Member(object, key);
    std::string at = PointerJoin(path, key);
    constexpr std::string_view kExpected =
        "a duration: a whole number and a unit s, m, h or d, such as "
        "\"90s\", \"15m\", \"2h\" or \"1d\"";
    if (v == nullptr) {
      Error(at, fmt::format("missing required key \"{}\"; expected {}", key,
                            kExpected));
      return std::nullopt;
    }
    std::optional<std::chrono::seconds> d;
    if (v->is_string()) d = ParseDuration(v->get<std::string>());
    if (!d) WrongType(at, *v, kExpected);
    return d;
  }

  // A malformed SLA (after reporting) is dropped, so the compile stage does
  // not report its placeholders again.
  std::optional<leadroute::Sla> Sla(const Json& value,
                                    const std::string& path) {
    size_t before = errors_.size();
    leadroute::Sla sla;
    if (!Object(value, path,
                "an SLA such as {\"respond_within\": \"15m\", "
                "\"escalate\": [...]}")) {
      return std::nullopt;
    }
    CheckKeys(value, path, kSlaKeys, errors_);
    if (auto d = Duration(value, path, "respond_within")) {
      sla.respond_within = *d;
    }
    Elements(value, path, "escalate", "escalation step",
             [&](const Json& v, const std::string& at) {
               sla.escalate.push_back(Escalation(v, at));
             });
    if (errors_.size() != before) return std::nullopt;
    return sla;
  }

  // An offer rule's settings; ranges are the compile stage's to check. A
  // malformed one (after reporting) keeps its defaults.
  OfferSettings Offer(const Json& value, const std::string& path) {
    OfferSettings offer;
    if (!Object(value, path,
                "offer settings such as {\"size\": 3, \"expires_after\": "
                "\"15m\", \"on_expiry\": \"push\"}")) {
      return offer;
    }
    CheckKeys(value, path, kOfferKeys, errors_);
    if (const Json* size = Member(value, "size")) {
      if (size->is_number_integer() && size->get<int64_t>() >= INT32_MIN &&
          size->get<int64_t>() <= INT32_MAX) {
        offer.size = static_cast<int>(size->get<int64_t>());
      } else {
        WrongType(PointerJoin(path, "size"), *size,
                  "a whole number of reps from 1 to 100");
      }
    }
    if (Member(value, "expires_after") != nullptr) {
      if (auto d = Duration(value, path, "expires_after")) {
        offer.expires_after = *d;
      }
    }
    if (const Json* on_expiry = Member(value, "on_expiry")) {
      std::optional<OnExpiry> parsed;
      if (on_expiry->is_string()) {
        parsed = ParseOnExpiry(on_expiry->get<std::string>());
      }
      if (parsed) {
        offer.on_expiry = *parsed;
      } else {
        WrongType(PointerJoin(path, "on_expiry"), *on_expiry,
                  "one of \"push\", \"fallback\"");
      }
    }
    return offer;
  }

  EscalationStep Escalation(const Json& value, const std::string& path) {
    EscalationStep step;
    if (!Object(value, path,
                "an escalation step such as {\"after\": \"15m\", "
                "\"action\": \"reassign\"}")) {
      return step;
    }
    CheckKeys(value, path, kEscalationKeys, errors_);
    if (auto d = Duration(value, path, "after")) step.after = *d;
    const Json* action = Member(value, "action");
    std::string action_path = PointerJoin(path, "action");
    constexpr std::string_view kActions =
        "one of \"reassign\", \"team_lead\", \"transfer\", \"fallback\"";
    if (action == nullptr) {
      Error(action_path,
            fmt::format("missing required key \"action\"; expected {}",
                        kActions));
    } else {
      bool known = false;
      if (action->is_string()) {
        for (const auto& [name, v] : kEscalationActions) {
          if (action->get<std::string>() == name) {
            step.action = v;
            known = true;
          }
        }
      }
      if (!known) WrongType(action_path, *action, kActions);
    }
    String(value, path, "to", step.to);
    // Whether "to" belongs with the action is the compile stage's check, so
    // that a config built in C++ gets the same error.
    return step;
  }

  leadroute::Team Team(const Json& value, const std::string& path) {
    leadroute::Team team;
    if (!Object(value, path, "a team with \"id\" and \"name\"")) {
      team.id = path;
      return team;
    }
    CheckKeys(value, path, kTeamKeys, errors_);
    team.id = Id(value, path);
    String(value, path, "name", team.name);
    String(value, path, "lead", team.lead);
    return team;
  }

  leadroute::Rep Rep(const Json& value, const std::string& path) {
    leadroute::Rep rep;
    if (!Object(value, path, "a rep with at least an \"id\"")) {
      rep.id = path;
      return rep;
    }
    CheckKeys(value, path, kRepKeys, errors_);
    rep.id = Id(value, path);
    String(value, path, "name", rep.name);
    String(value, path, "email", rep.email);
    Strings(value, path, "teams", rep.teams, "team ids");
    String(value, path, "tier", rep.tier);
    if (const Json* weight = Member(value, "weight")) {
      if (weight->is_number()) {
        rep.weight = weight->get<double>();
      } else {
        WrongType(PointerJoin(path, "weight"), *weight, "a number");
      }
    }
    Strings(value, path, "territories", rep.territories,
            "territories such as \"DE\", \"US-CA\" or \"US:94*\"");
    Strings(value, path, "industries", rep.industries, "industries");
    Strings(value, path, "products", rep.products, "products");
    Strings(value, path, "languages", rep.languages, "languages");
    if (const Json* attributes = Member(value, "attributes")) {
      std::string attributes_path = PointerJoin(path, "attributes");
      if (Object(*attributes, attributes_path, "attribute names to values")) {
        Attributes(*attributes, attributes_path, "", rep.attributes);
      }
    }
    if (const Json* capacity = Member(value, "capacity")) {
      Capacity(*capacity, PointerJoin(path, "capacity"), rep.capacity);
    }
    String(value, path, "time_zone", rep.time_zone);
    if (const Json* schedule = Member(value, "schedule")) {
      rep.schedule = Schedule(*schedule, PointerJoin(path, "schedule"));
    }
    Bool(value, path, "active", rep.active);
    return rep;
  }

  // [["09:00", "17:30"], ...]; values are checked when compiling.
  std::vector<TimeBlock> Blocks(const Json& value, const std::string& path) {
    std::vector<TimeBlock> out;
    if (!value.is_array()) {
      WrongType(path, value, "an array of blocks [\"HH:MM\", \"HH:MM\"]");
      return out;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const Json& b = value[i];
      if (!b.is_array() || b.size() != 2 || !b[0].is_string() ||
          !b[1].is_string()) {
        WrongType(PointerJoin(path, i), b,
                  "a block [\"HH:MM\", \"HH:MM\"] (start, end)");
        continue;
      }
      out.push_back({b[0].get<std::string>(), b[1].get<std::string>()});
    }
    return out;
  }

  leadroute::Schedule Schedule(const Json& value, const std::string& path) {
    leadroute::Schedule s;
    if (!Object(value, path,
                "a schedule with \"weekly\", \"holidays\", "
                "\"out_of_office\"")) {
      return s;
    }
    CheckKeys(value, path, kScheduleKeys, errors_);
    String(value, path, "time_zone", s.time_zone);
    if (const Json* weekly = Member(value, "weekly")) {
      std::string weekly_path = PointerJoin(path, "weekly");
      if (Object(*weekly, weekly_path,
                 "days \"mon\"..\"sun\" to arrays of blocks")) {
        CheckKeys(*weekly, weekly_path, kDayNames, errors_);
        s.weekly.emplace();
        for (size_t d = 0; d < kDayNames.size(); ++d) {
          if (const Json* day = Member(*weekly, kDayNames[d])) {
            (*s.weekly)[d] =
                Blocks(*day, PointerJoin(weekly_path, kDayNames[d]));
          }
        }
      }
    }
    Strings(value, path, "holidays", s.holidays, "dates \"YYYY-MM-DD\"");
    Elements(value, path, "out_of_office", "out-of-office",
             [&](const Json& v, std::string at) {
               OutOfOffice o;
               if (Object(v, at, "{\"from\": ..., \"to\": ...}")) {
                 CheckKeys(v, at, kOutOfOfficeKeys, errors_);
                 for (const char* key : {"from", "to"}) {
                   if (Member(v, key) == nullptr) {
                     Error(PointerJoin(at, key),
                           fmt::format("missing required key \"{}\"; "
                                       "expected a date or an instant",
                                       key));
                   }
                 }
                 String(v, at, "from", o.from);
                 String(v, at, "to", o.to);
                 String(v, at, "note", o.note);
               }
               s.out_of_office.push_back(std::move(o));
             });
    return s;
  }

  // Flattens nested objects into dotted names ("skills.technical").
  void Attributes(const Json& object, const std::string& path,
                  const std::string& prefix,
                  std::map<std::string, Value, std::less<>>& out) {
    for (const auto& [key, value] : object.items()) {
      std::string name = prefix.empty() ? key : prefix + "." + key;
      std::string value_path = PointerJoin(path, key);
      if (value.is_object()) {
        Attributes(value, value_path, name, out);
        continue;
      }
      if (value.is_null()) {
        WrongType(value_path, value,
                  "a string, number, boolean, array of strings or object");
        continue;
      }
      std::optional<Value> v = ToValue(value, value_path, errors_);
      if (!v) continue;
      if (out.count(name) != 0) {
        Error(value_path,
              fmt::format("attribute \"{}\" is given twice (nested objects "
                          "flatten to dotted names)",
                          name));
        continue;
      }
      out.emplace(std::move(name), std::move(*v));
    }
  }

  void Capacity(const Json& value, const std::string& path,
                leadroute::Capacity& capacity) {
    if (!Object(value, path, "limits such as {\"max_open\": 20}")) return;
    CheckKeys(value, path, kCapacityKeys, errors_);
    Int(value, path, "max_open", capacity.max_open);
    Int(value, path, "max_per_day", capacity.max_per_day);
    Int(value, path, "max_per_week", capacity.max_per_week);
    Int(value, path, "max_per_month", capacity.max_per_month);
    if (const Json* window = Member(value, "max_in_window")) {
      std::string window_path = PointerJoin(path, "max_in_window");
      if (Object(*window, window_path,
                 "{\"count\": n, \"hours\": h}: at most n claims in any h "
                 "hours")) {
        CheckKeys(*window, window_path, kWindowCapKeys, errors_);
        std::optional<int> count, hours;
        for (const char* key : {"count", "hours"}) {
          if (Member(*window, key) == nullptr) {
            Error(PointerJoin(window_path, key),
                  fmt::format("missing required key \"{}\"; expected an "
                              "integer",
                              key));
          }
        }
        Int(*window, window_path, "count", count);
        Int(*window, window_path, "hours", hours);
        if (count && hours) capacity.max_in_window = RollingCap{*count, *hours};
      }
    }
  }

  // An integer that fits an int.
  void Int(const Json& object, const std::string& path, std::string_view key,
           std::optional<int>& out) {
    if (const Json* max_open = Member(object, key)) {
      std::string max_path = PointerJoin(path, key);
      if (!max_open->is_number_integer()) {
        WrongType(max_path, *max_open, "an integer");
      } else if (max_open->is_number_unsigned()
                     ? max_open->get<uint64_t>() >
                           uint64_t{std::numeric_limits<int>::max()}
                     : (max_open->get<int64_t>() <
                            std::numeric_limits<int>::min() ||
                        max_open->get<int64_t>() >
                            std::numeric_limits<int>::max())) {
        WrongType(max_path, *max_open, "an integer of at most 2147483647");
      } else {
        out = max_open->get<int>();
      }
    }
  }

  leadroute::Rule Rule(const Json& value, const std::string& path) {
    leadroute::Rule rule;
    if (!Object(value, path, "a rule with at least an \"id\"")) {
      rule.id = path;
      return rule;
    }
    CheckKeys(value, path, kRuleKeys, errors_);
    rule.id = Id(value, path);
    String(value, path, "description", rule.description);
    if (const Json* when = Member(value, "when")) {
      rule.when = Condition(*when, PointerJoin(path, "when"));
    }
    if (const Json* pool = Member(value, "pool")) {
      std::string pool_path = PointerJoin(path, "pool");
      if (Object(*pool, pool_path,
                 "{\"teams\": [...], \"reps\": [...]}; omit it for every "
                 "active rep")) {
        CheckKeys(*pool, pool_path, kPoolKeys, errors_);
        Strings(*pool, pool_path, "teams", rule.pool.teams, "team ids");
        Strings(*pool, pool_path, "reps", rule.pool.reps, "rep ids");
      }
    }
    Elements(value, path, "steps", "step",
             [&](const Json& v, std::string step_path) {
               rule.steps.push_back(Step(v, step_path));
             });
    String(value, path, "rotation", rule.rotation);
    if (const Json* active = Member(value, "active")) {
      std::string active_path = PointerJoin(path, "active");
      if (Object(*active, active_path,
                 "{\"days\": [\"mon\", ...], \"hours\": [[\"09:00\", "
                 "\"18:00\"]]}")) {
        CheckKeys(*active, active_path, kActiveKeys, errors_);
        ActiveWindow window;
        Strings(*active, active_path, "days", window.days,
                "days \"mon\"..\"sun\"");
        if (const Json* hours = Member(*active, "hours")) {
          window.hours = Blocks(*hours, PointerJoin(active_path, "hours"));
        }
        rule.active = std::move(window);
      }
    }
    if (const Json* sla = Member(value, "sla")) {
      rule.sla = Sla(*sla, PointerJoin(path, "sla"));
    }
    if (const Json* mode = Member(value, "mode")) {
      std::optional<Distribution> parsed;
      if (mode->is_string())
        parsed = ParseDistribution(mode->get<std::string>());
      if (parsed) {
        rule.mode = *parsed;
      } else {
        WrongType(PointerJoin(path, "mode"), *mode,
                  "one of \"push\", \"offer\", \"pool\"");
      }
    }
    if (const Json* offer = Member(value, "offer")) {
      rule.offer = Offer(*offer, PointerJoin(path, "offer"));
    }
    if (const Json* on_empty = Member(value, "on_empty")) {
      std::string on_empty_path = PointerJoin(path, "on_empty");
      bool known = false;
      if (on_empty->is_string()) {
        for (const auto& [name, v] : kOnEmpty) {
          if (on_empty->get<std::string>() == name) {
            rule.on_empty = v;
            known = true;
          }
        }
      }
      if (!known) {
        WrongType(on_empty_path, *on_empty,
                  "one of \"next_rule\", \"fallback\", \"relax\"");
      }
    }
    return rule;
  }

  leadroute::Step Step(const Json& value, const std::string& path) {
    leadroute::Step step;
    if (!Object(value, path,
                "a step such as {\"strategy\": \"round_robin\"}")) {
      return step;
    }
    // Parameter keys are the strategy factory's to check (StepParams).
    Json params = value;
    params.erase("strategy");
    step.params = params.dump(-1, ' ', false, Json::error_handler_t::replace);
    const Json* strategy = Member(value, "strategy");
    std::string strategy_path = PointerJoin(path, "strategy");
    if (strategy == nullptr) {
      Error(strategy_path,
            "missing required key \"strategy\"; expected a "
            "strategy name such as \"round_robin\"");
    } else if (!strategy->is_string()) {
      WrongType(strategy_path, *strategy,
                "a strategy name such as \"round_robin\"");
    } else {
      step.strategy = strategy->get<std::string>();
    }
    return step;
  }

  // A malformed condition (after reporting) becomes Always, so the compile
  // stage does not report it again.
  leadroute::Condition Condition(const Json& value, const std::string& path) {
    size_t before = errors_.size();
    leadroute::Condition c = ConditionUnchecked(value, path);
    if (errors_.size() != before) return leadroute::Condition::Always();
    return c;
  }

  leadroute::Condition ConditionUnchecked(const Json& value,
                                          const std::string& path) {
    leadroute::Condition c;
    if (!value.is_object()) {
      WrongType(path, value,
                "a condition object: {\"all\": [...]}, {\"any\": [...]}, "
                "{\"not\": {...}} or {\"field\": ..., \"<op>\": ...}");
      return c;
    }
    CheckKeys(value, path, kConditionKeys, errors_);
    std::vector<std::string_view> found;
    for (const auto& [name, op] : kOps) {
      if (value.contains(name)) {
        found.push_back(name);
        c.op = op;
      }
    }
    if (found.empty()) {
      Error(path,
            "found no operator; expected exactly one of: all, any, not, eq, "
            "ne, in, not_in, gt, gte, lt, lte, between, exists, prefix, "
            "contains");
      return c;
    }
    if (found.size() > 1) {
      Error(path, fmt::format("found {} operators ({}); expected exactly one "
                              "per condition (nest them with \"all\" or "
                              "\"any\")",
                              found.size(), fmt::join(found, ", ")));
      return c;
    }
    std::string_view op_name = found.front();
    std::string op_path = PointerJoin(path, op_name);
    const Json& operand = value[std::string(op_name)];

    if (IsCombinator(c.op)) {
      if (value.contains("field")) {
        Error(PointerJoin(path, "field"),
              fmt::format("\"field\" is not used with \"{}\"; a field test is "
                          "a separate condition {{\"field\": ..., \"eq\": "
                          "...}}",
                          op_name));
      }
      if (c.op == ConditionOp::kNot) {
        if (!operand.is_object()) {
          WrongType(op_path, operand, "a condition object");
          return c;
        }
        c.children.push_back(Condition(operand, op_path));
        return c;
      }
      if (!operand.is_array()) {
        WrongType(op_path, operand, "an array of conditions");
        return c;
      }
      for (size_t i = 0; i < operand.size(); ++i) {
        c.children.push_back(Condition(operand[i], PointerJoin(op_path, i)));
      }
      return c;
    }

    // A field test.
    const Json* field = Member(value, "field");
    std::string field_path = PointerJoin(path, "field");
    if (field == nullptr) {
      Error(field_path, fmt::format("missing required key \"field\"; "
                                    "\"{}\" tests a lead field, e.g. "
                                    "{{\"field\": \"country\", \"{}\": ...}}",
                                    op_name, op_name));
    } else if (!field->is_string() || field->get<std::string>().empty()) {
      WrongType(field_path, *field, "a lead field name");
    } else {
      c.field = field->get<std::string>();
    }

    switch (c.op) {
      case ConditionOp::kIn:
      case ConditionOp::kNotIn:
      case ConditionOp::kBetween: {
        std::string_view expected =
            c.op == ConditionOp::kBetween
                ? "an array [lo, hi]"
                : "an array of strings, numbers or booleans";
        if (!operand.is_array()) {
          WrongType(op_path, operand, expected);
          return c;
        }
        for (size_t i = 0; i < operand.size(); ++i) {
          const Json& e = operand[i];
          if (e.is_array() || e.is_object()) {
            WrongType(PointerJoin(op_path, i), e,
                      "a string, number or boolean");
            continue;
          }
          if (auto v = ToValue(e, PointerJoin(op_path, i), errors_)) {
            c.values.push_back(std::move(*v));
          }
        }
        if (c.op == ConditionOp::kBetween && operand.size() != 2) {
          WrongType(op_path, operand, "an array of two bounds [lo, hi]");
        }
        return c;
      }
      default:
        if (operand.is_array() || operand.is_object()) {
          WrongType(op_path, operand,
                    c.op == ConditionOp::kExists
                        ? std::string_view("true or false")
                        : std::string_view("one string, number or boolean "
                                           "(use \"in\" for a list)"));
          return c;
        }
        if (auto v = ToValue(operand, op_path, errors_)) {
          c.values.push_back(std::move(*v));
        }
        return c;
    }
  }

  std::optional<Owner> Fallback(const Json& value, const std::string& path) {
    // A placeholder that the compile stage accepts, so a fallback already
    // reported here is not reported again as missing.
    Owner placeholder = Owner::Queue(path);
    constexpr std::string_view kExpected =
        "{\"queue\": \"<queue id>\"} or {\"rep\": \"<rep id>\"}";
    if (!Object(value, path, kExpected)) return placeholder;
    CheckKeys(value, path, kFallbackKeys, errors_);
    const Json* queue = Member(value, "queue");
    const Json* rep = Member(value, "rep");
    if (queue != nullptr && rep != nullptr) {
      Error(path, fmt::format("found both \"queue\" and \"rep\"; expected "
                              "exactly one: {}",
                              kExpected));
      return placeholder;
    }
    if (queue == nullptr && rep == nullptr) {
      Error(path, fmt::format("found neither \"queue\" nor \"rep\"; expected "
                              "{}",
                              kExpected));
      return placeholder;
    }
    const bool is_queue = queue != nullptr;
    const Json& id = is_queue ? *queue : *rep;
    if (!id.is_string()) {
      WrongType(PointerJoin(path, is_queue ? "queue" : "rep"), id,
                is_queue ? "a queue id (a string)" : "a rep id (a string)");
      return placeholder;
    }
    return is_queue ? Owner::Queue(id.get<std::string>())
                    : Owner::Rep(id.get<std::string>());
  }

  std::vector<ConfigError>& errors_;
};

// ---- Canonical output ----------------------------------------------------

using OJson = OrderedJson;

bool IsAlways(const leadroute::Condition& c) {
  return c.op == ConditionOp::kAll && c.children.empty() && c.field.empty() &&
         c.values.empty();
}

OJson ConditionToJson(const leadroute::Condition& c) {
  OJson out = OJson::object();
  std::string op(OpName(c.op));
  switch (c.op) {
    case ConditionOp::kAll:
    case ConditionOp::kAny: {
      OJson children = OJson::array();
      for (const auto& child : c.children) {
        children.push_back(ConditionToJson(child));
      }
      out[op] = std::move(children);
      return out;
    }
    case ConditionOp::kNot:
      out[op] = c.children.empty() ? ConditionToJson({})
                                   : ConditionToJson(c.children.front());
      return out;
    case ConditionOp::kIn:
    case ConditionOp::kNotIn:
    case ConditionOp::kBetween: {
      out["field"] = c.field;
      OJson values = OJson::array();
      for (const auto& v : c.values) values.push_back(FromValue<OJson>(v));
      out[op] = std::move(values);
      return out;
    }
    default: {
      out["field"] = c.field;
      if (c.values.size() == 1) {
        out[op] = FromValue<OJson>(c.values.front());
      } else {
        // Not a valid test (the compile stage rejects it); kept visible.
        OJson values = OJson::array();
        for (const auto& v : c.values) values.push_back(FromValue<OJson>(v));
        out[op] = std::move(values);
      }
      return out;
    }
  }
}

void PutStrings(OJson& out, const char* key,
                const std::vector<std::string>& list) {
  if (!list.empty()) out[key] = list;
}
void PutString(OJson& out, const char* key, const std::string& s) {
  if (!s.empty()) out[key] = s;
}

OJson StepToJson(const leadroute::Step& step) {
  OJson out = OJson::object();
  out["strategy"] = step.strategy;
  // Parameters go through the sorted Json so that the key order does not
  // depend on how the text was written.
  Json params = Json::parse(step.params, nullptr, /*allow_exceptions=*/false);
  if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      if (key == "strategy") continue;
      out[key] = OJson::parse(
          value.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
  } else if (!step.params.empty()) {
    out["params"] = step.params;  // not an object: kept visible as text
  }
  return out;
}

OJson BlocksToJson(const std::vector<TimeBlock>& blocks) {
  OJson out = OJson::array();
  for (const auto& b : blocks) out.push_back(OJson::array({b.start, b.end}));
  return out;
}

OJson RepToJson(const leadroute::Rep& rep) {
  OJson out = OJson::object();
  out["id"] = rep.id;
  PutString(out, "name", rep.name);
  PutString(out, "email", rep.email);
  PutStrings(out, "teams", rep.teams);
  PutString(out, "tier", rep.tier);
  if (rep.weight != 1) out["weight"] = rep.weight;
  PutStrings(out, "territories", rep.territories);
  PutStrings(out, "industries", rep.industries);
  PutStrings(out, "products", rep.products);
  PutStrings(out, "languages", rep.languages);
  if (!rep.attributes.empty()) {
    OJson attributes = OJson::object();
    for (const auto& [name, value] : rep.attributes) {
      attributes[name] = FromValue<OJson>(value);
    }
    out["attributes"] = std::move(attributes);
  }
  const leadroute::Capacity& cap = rep.capacity;
  if (cap.max_open || cap.timed()) {
    OJson capacity = OJson::object();
    if (cap.max_open) capacity["max_open"] = *cap.max_open;
    if (cap.max_per_day) capacity["max_per_day"] = *cap.max_per_day;
    if (cap.max_per_week) capacity["max_per_week"] = *cap.max_per_week;
    if (cap.max_per_month) capacity["max_per_month"] = *cap.max_per_month;
    if (cap.max_in_window) {
      capacity["max_in_window"] = OJson{{"count", cap.max_in_window->count},
                                        {"hours", cap.max_in_window->hours}};
    }
    out["capacity"] = std::move(capacity);
  }
  PutString(out, "time_zone", rep.time_zone);
  if (rep.schedule) {
    const leadroute::Schedule& s = *rep.schedule;
    OJson schedule = OJson::object();
    PutString(schedule, "time_zone", s.time_zone);
    if (s.weekly) {
      OJson weekly = OJson::object();
      for (size_t d = 0; d < kDayNames.size(); ++d) {
        if ((*s.weekly)[d].empty()) continue;
        weekly[std::string(kDayNames[d])] = BlocksToJson((*s.weekly)[d]);
      }
      schedule["weekly"] = std::move(weekly);
    }
    PutStrings(schedule, "holidays", s.holidays);
    if (!s.out_of_office.empty()) {
      OJson list = OJson::array();
      for (const auto& o : s.out_of_office) {
        OJson entry = OJson::object();
        entry["from"] = o.from;
        entry["to"] = o.to;
        PutString(entry, "note", o.note);
        list.push_back(std::move(entry));
      }
      schedule["out_of_office"] = std::move(list);
    }
    out["schedule"] = std::move(schedule);
  }
  if (!rep.active) out["active"] = false;
  return out;
}

OJson SlaToJson(const leadroute::Sla& sla) {
  OJson out = OJson::object();
  out["respond_within"] = DurationText(sla.respond_within);
  if (!sla.escalate.empty()) {
    OJson steps = OJson::array();
    for (const EscalationStep& step : sla.escalate) {
      OJson s = OJson::object();
      s["after"] = DurationText(step.after);
      s["action"] = std::string(EscalationActionName(step.action));
      PutString(s, "to", step.to);
      steps.push_back(std::move(s));
    }
    out["escalate"] = std::move(steps);
  }
  return out;
}

OJson RuleToJson(const leadroute::Rule& rule) {
  OJson out = OJson::object();
  out["id"] = rule.id;
  PutString(out, "description", rule.description);
  if (!IsAlways(rule.when)) out["when"] = ConditionToJson(rule.when);
  if (!rule.pool.teams.empty() || !rule.pool.reps.empty()) {
    OJson pool = OJson::object();
    PutStrings(pool, "teams", rule.pool.teams);
    PutStrings(pool, "reps", rule.pool.reps);
    out["pool"] = std::move(pool);
  }
  if (!rule.steps.empty()) {
    OJson steps = OJson::array();
    for (const auto& step : rule.steps) steps.push_back(StepToJson(step));
    out["steps"] = std::move(steps);
  }
  PutString(out, "rotation", rule.rotation);
  if (rule.active) {
    OJson active = OJson::object();
    PutStrings(active, "days", rule.active->days);
    if (!rule.active->hours.empty()) {
      active["hours"] = BlocksToJson(rule.active->hours);
    }
    out["active"] = std::move(active);
  }
  if (rule.on_empty != OnEmpty::kNextRule) {
    for (const auto& [name, v] : kOnEmpty) {
      if (v == rule.on_empty) out["on_empty"] = std::string(name);
    }
  }
  if (rule.sla) out["sla"] = SlaToJson(*rule.sla);
  if (rule.mode != Distribution::kPush) {
    out["mode"] = std::string(DistributionName(rule.mode));
  }
  if (rule.offer) {
    OJson offer = OJson::object();
    offer["size"] = rule.offer->size;
    offer["expires_after"] = DurationText(rule.offer->expires_after);
    offer["on_expiry"] = std::string(OnExpiryName(rule.offer->on_expiry));
    out["offer"] = std::move(offer);
  }
  return out;
}

}  // namespace

RuleSetConfig ParseRuleSetJson(std::string_view json,
                               std::vector<ConfigError>& errors) {
  std::optional<Json> root = ParseJson(json, errors);
  if (!root) return {};
  return Reader(errors).Document(*root);
}

std::string RuleSetConfigToJson(const RuleSetConfig& config) {
  OJson out = OJson::object();
  PutString(out, "name", config.name);
  if (config.settings.seed != 0 || !config.settings.time_zone.empty() ||
      config.settings.sla) {
    OJson settings = OJson::object();
    if (config.settings.seed != 0) settings["seed"] = config.settings.seed;
    PutString(settings, "time_zone", config.settings.time_zone);
    if (config.settings.sla) settings["sla"] = SlaToJson(*config.settings.sla);
    out["settings"] = std::move(settings);
  }
  if (!config.teams.empty()) {
    OJson teams = OJson::array();
    for (const auto& team : config.teams) {
      OJson t = OJson::object();
      t["id"] = team.id;
      PutString(t, "name", team.name);
      PutString(t, "lead", team.lead);
      teams.push_back(std::move(t));
    }
    out["teams"] = std::move(teams);
  }
  if (!config.reps.empty()) {
    OJson reps = OJson::array();
    for (const auto& rep : config.reps) reps.push_back(RepToJson(rep));
    out["reps"] = std::move(reps);
  }
  if (!config.rules.empty()) {
    OJson rules = OJson::array();
    for (const auto& rule : config.rules) rules.push_back(RuleToJson(rule));
    out["rules"] = std::move(rules);
  }
  if (config.fallback) {
    out["fallback"] =
        OJson{{std::string(config.fallback->kind == OwnerKind::kRep ? "rep"
                                                                    : "queue"),
               config.fallback->id}};
  }
  return out.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

}  // namespace leadroute::internal
