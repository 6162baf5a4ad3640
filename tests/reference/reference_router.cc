// The reference router: every rule of docs/config.md spelled out directly,
// with sets as vector<bool> and state in std::map, favouring obviousness
// over speed. Each block names the paragraph of the docs it implements.
#include "reference/reference_router.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "reference/reference_time.h"

namespace leadroute::reference {
namespace {

using Json = nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "Strings compare ASCII-case-insensitively."
bool SameText(std::string_view a, std::string_view b) {
  return Lower(a) == Lower(b);
}

bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         SameText(s.substr(0, prefix.size()), prefix);
}

// Conditions, docs/config.md "Conditions".
bool Equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return *a.number() == *b.number();
  if (a.is_string() && b.is_string()) {
    return SameText(a.as_string(), b.as_string());
  }
  if (a.is_bool() && b.is_bool()) return a.as_bool() == b.as_bool();
  return false;
}

bool Comparable(const Value& a, const Value& b) {
  return (a.is_number() && b.is_number()) || (a.is_string() && b.is_string()) ||
         (a.is_bool() && b.is_bool());
}

bool Holds(const Condition& c, const Lead& lead) {
  switch (c.op) {
    case ConditionOp::kAll:
      for (const auto& child : c.children) {
        if (!Holds(child, lead)) return false;
      }
      return true;
    case ConditionOp::kAny:
      for (const auto& child : c.children) {
        if (Holds(child, lead)) return true;
      }
      return false;
    case ConditionOp::kNot:
      return !Holds(c.children.at(0), lead);
    default:
      break;
  }
  const Value* f = lead.Find(c.field);
  switch (c.op) {
    case ConditionOp::kEq:
      return f != nullptr && Equal(*f, c.values[0]);
    case ConditionOp::kNe:
      return f != nullptr && Comparable(*f, c.values[0]) &&
             !Equal(*f, c.values[0]);
    case ConditionOp::kIn:
      if (f == nullptr) return false;
      for (const auto& v : c.values) {
        if (Equal(*f, v)) return true;
      }
      return false;
    case ConditionOp::kNotIn: {
      if (f == nullptr) return false;
      bool some_type = false;
      for (const auto& v : c.values) {
        if (Equal(*f, v)) return false;
        if (Comparable(*f, v)) some_type = true;
      }
      return some_type;
    }
    case ConditionOp::kGt:
      return f != nullptr && f->is_number() &&
             *f->number() > *c.values[0].number();
    case ConditionOp::kGte:
      return f != nullptr && f->is_number() &&
             *f->number() >= *c.values[0].number();
    case ConditionOp::kLt:
      return f != nullptr && f->is_number() &&
             *f->number() < *c.values[0].number();
    case ConditionOp::kLte:
      return f != nullptr && f->is_number() &&
             *f->number() <= *c.values[0].number();
    case ConditionOp::kBetween:
      return f != nullptr && f->is_number() &&
             *c.values[0].number() <= *f->number() &&
             *f->number() <= *c.values[1].number();
    case ConditionOp::kExists: {
      bool present = f != nullptr && !f->is_null();
      return c.values[0].as_bool() ? present : !present;
    }
    case ConditionOp::kPrefix:
      return f != nullptr && f->is_string() &&
             StartsWithCaseless(f->as_string(), c.values[0].as_string());
    case ConditionOp::kContains: {
      if (f == nullptr) return false;
      const std::string& item = c.values[0].as_string();
      if (f->is_list()) {
        for (const auto& s : f->as_list()) {
          if (SameText(s, item)) return true;
        }
        return false;
      }
      if (f->is_string()) {
        return Lower(f->as_string()).find(Lower(item)) != std::string::npos;
      }
      return false;
    }
    default:
      return false;
  }
}

// A rep attribute as `match` names it (docs/config.md "match").
std::optional<Value> RepAttribute(const Rep& rep, const std::string& name) {
  if (name == "industries") return Value(rep.industries);
  if (name == "products") return Value(rep.products);
  if (name == "languages") return Value(rep.languages);
  if (name == "territories") return Value(rep.territories);
  if (name == "teams") return Value(rep.teams);
  if (name == "tier") return Value(rep.tier);
  if (name == "id") return Value(rep.id);
  if (name == "name") return Value(rep.name);
  if (name == "email") return Value(rep.email);
  auto it = rep.attributes.find(name);
  if (it == rep.attributes.end()) return std::nullopt;
  return it->second;
}

std::string_view HostOf(std::string_view s) {
  if (auto at = s.rfind('@'); at != std::string_view::npos)
    s = s.substr(at + 1);
  if (auto scheme = s.find("://"); scheme != std::string_view::npos) {
    s = s.substr(scheme + 3);
  }
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    s = s.substr(0, slash);
  }
  return s;
}

constexpr uint64_t kSplitMixStep = 0x9e3779b97f4a7c15ULL;

// splitmix64's output function, as docs/config.md#random writes it.
uint64_t SplitMix(uint64_t x) {
  x += kSplitMixStep;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 64-bit FNV-1a over the bytes of `s`.
uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

ReferenceRouter::ReferenceRouter(RuleSetConfig config,
                                 std::vector<Account> accounts)
    : config_(std::move(config)), accounts_(std::move(accounts)) {
  open_.assign(config_.reps.size(), 0);
  claims_.resize(config_.reps.size());
  presence_.assign(config_.reps.size(), Presence::kAvailable);
  for (const Rule& rule : config_.rules) {
    std::vector<ParsedStep> parsed;
    // The steps with their JSON Pointers. An experiment step is replaced by
    // its variants' steps (paths /rules/r/steps/k/variants/v/steps/j), in
    // line; they are split up into the variants after parsing.
    std::vector<std::pair<Step, std::string>> flat;
    std::optional<size_t> experiment_at;
    Json experiment;
    const std::string base =
        "/rules/" + std::to_string(steps_.size()) + "/steps/";
    for (size_t k = 0; k < rule.steps.size(); ++k) {
      if (rule.steps[k].strategy != "experiment") {
        flat.emplace_back(rule.steps[k], base + std::to_string(k));
        continue;
      }
      experiment_at = k;
      experiment = Json::parse(rule.steps[k].params);
      const Json& variants = experiment["variants"];
      for (size_t v = 0; v < variants.size(); ++v) {
        const Json& vsteps = variants[v].value("steps", Json::array());
        for (size_t j = 0; j < vsteps.size(); ++j) {
          Json params = vsteps[j];
          params.erase("strategy");
          flat.emplace_back(
              Step{vsteps[j]["strategy"].get<std::string>(), params.dump()},
              base + std::to_string(k) + "/variants/" + std::to_string(v) +
                  "/steps/" + std::to_string(j));
        }
      }
    }
    for (const auto& entry : flat) {
      const Step& step = entry.first;
      const std::string& path = entry.second;
      Json p = Json::parse(step.params);
      ParsedStep s;
      s.strategy = step.strategy;
      auto str = [&](const char* key, std::string& out) {
        if (p.contains(key)) out = p[key].get<std::string>();
      };
      if (p.contains("if_missing")) {
        s.keep_if_missing = p["if_missing"].get<std::string>() == "keep";
      }
      const std::string& name = step.strategy;
      if (name == "round_robin") {
        s.kind = ParsedStep::Kind::kPicker;
        s.weighted = p.value("weighted", false);
      } else if (name == "least_loaded") {
        s.kind = ParsedStep::Kind::kPicker;
        s.relative = p.value("relative", false);
      } else if (name == "random") {
        // docs/config.md#random: mix(seed), else mix(settings.seed ^
        // fnv1a64(path)); 0 becomes mix(0).
        s.kind = ParsedStep::Kind::kPicker;
        s.seed = p.contains("seed")
                     ? SplitMix(static_cast<uint64_t>(p["seed"].get<int64_t>()))
                     : SplitMix(config_.settings.seed ^ Fnv1a(path));
        if (s.seed == 0) s.seed = SplitMix(0);
      } else if (name == "territory") {
        str("country_field", s.country_field);
        str("state_field", s.state_field);
        str("postal_field", s.postal_field);
      } else if (name == "industry" || name == "product" ||
                 name == "language" || name == "match") {
        // "They are `match` with preset names."
        if (name == "industry")
          s.field = "industry", s.attribute = "industries";
        if (name == "product") s.field = "products", s.attribute = "products";
        if (name == "language") s.field = "language", s.attribute = "languages";
        str("field", s.field);
        str("attribute", s.attribute);
        str("op", s.op);
        if (p.contains("value")) s.value = p["value"].get<double>();
      } else if (name == "bands" || name == "score" || name == "deal_value") {
        s.field = name == "bands" ? "" : name;
        str("field", s.field);
        for (const auto& b : p["bands"]) {
          ParsedStep::Band band;
          if (b.contains("min")) band.min = b["min"].get<double>();
          if (b.contains("max")) band.max = b["max"].get<double>();
          band.tiers = b["tiers"].get<std::vector<std::string>>();
          s.bands.push_back(band);
        }
      } else if (name == "availability") {
        if (p.contains("presence")) {
          s.presence.clear();
          for (const auto& v : p["presence"]) {
            s.presence.push_back(*ParsePresence(v.get<std::string>()));
          }
        }
        s.capacity = p.value("capacity", true);
        s.schedule = p.value("schedule", true);
      } else if (name == "hierarchy") {
        s.kind = ParsedStep::Kind::kResolver;
        s.ultimate = p.value("walk", std::string("nearest")) == "ultimate";
        if (p.contains("match")) {
          s.match = p["match"].get<std::vector<std::string>>();
        }
        str("account_field", s.account_field);
        str("domain_field", s.domain_field);
        str("email_field", s.email_field);
      } else if (name == "field_owner") {
        s.kind = ParsedStep::Kind::kResolver;
        str("field", s.field);
      } else if (name == "sticky") {
        s.kind = ParsedStep::Kind::kResolver;
        if (p.contains("keys")) {
          s.keys = p["keys"].get<std::vector<std::string>>();
        }
        if (p.contains("window")) {
          // "a positive whole number and s, m, h or d"
          std::string w = p["window"].get<std::string>();
          static const std::map<char, int64_t> kUnitMs = {
              {'s', 1000}, {'m', 60000}, {'h', 3600000}, {'d', 86400000}};
          s.window_ms =
              std::stoll(w.substr(0, w.size() - 1)) * kUnitMs.at(w.back());
        }
        if (p.contains("ignore_domains")) {
          s.ignore_domains =
              p["ignore_domains"].get<std::vector<std::string>>();
        }
        s.ignore_free_mail = p.value("ignore_free_mail", true);
        sticky_steps_.push_back(s);
      } else if (name == "performance") {
        s.kind = ParsedStep::Kind::kPicker;
        s.value_metric =
            p.value("metric", std::string("conversion")) == "value";
        if (p.contains("prior")) {
          s.prior_rate = p["prior"].value("rate", 0.1);
          s.prior_strength = p["prior"].value("strength", 20.0);
        }
        s.floor = p.value("floor", 0.05);
        str("segment", s.segment);
        if (p.contains("min_segment_leads")) {
          s.min_segment_leads = p["min_segment_leads"].get<int64_t>();
        }
        if (!s.segment.empty() &&
            std::count(segment_fields_.begin(), segment_fields_.end(),
                       s.segment) == 0) {
          segment_fields_.push_back(s.segment);
        }
      } else {
        std::abort();  // custom strategies are not modelled
      }
      parsed.push_back(std::move(s));
    }
    std::optional<Experiment> x;
    if (experiment_at) {
      // "runs the steps before the experiment step, the variant's steps,
      // then the steps after it"; variant i takes the next share * 100 of
      // the 10,000 buckets.
      const size_t at = *experiment_at;
      x.emplace();
      x->id = experiment["id"].get<std::string>();
      x->salt = experiment.value("salt", x->id);
      std::vector<ParsedStep> shared(parsed.begin(), parsed.begin() + at);
      size_t next = at;
      int end = 0;
      for (const Json& v : experiment["variants"]) {
        x->names.push_back(v["name"].get<std::string>());
        end += static_cast<int>(std::llround(v["share"].get<double>() * 100));
        x->ends.push_back(end);
        size_t count = v.value("steps", Json::array()).size();
        std::vector<ParsedStep> spliced = shared;
        spliced.insert(spliced.end(), parsed.begin() + next,
                       parsed.begin() + next + count);
        next += count;
        x->steps.push_back(std::move(spliced));
      }
      for (auto& spliced : x->steps) {
        spliced.insert(spliced.end(), parsed.begin() + next, parsed.end());
      }
      shared.insert(shared.end(), parsed.begin() + next, parsed.end());
      parsed = std::move(shared);  // the shared steps alone
    }
    experiments_.push_back(std::move(x));
    steps_.push_back(std::move(parsed));
  }
}

void ReferenceRouter::SetPresence(const std::string& rep_id,
                                  Presence presence) {
  for (size_t i = 0; i < config_.reps.size(); ++i) {
    if (config_.reps[i].id == rep_id) presence_[i] = presence;
  }
}

int ReferenceRouter::Open(const std::string& rep_id) const {
  for (size_t i = 0; i < config_.reps.size(); ++i) {
    if (config_.reps[i].id == rep_id) return open_[i];
  }
  return 0;
}

bool ReferenceRouter::Release(const std::string& lead_id) {
  if (pending_.erase(lead_id) > 0) return true;  // "forgets a pending lead"
  auto it = decisions_.find(lead_id);
  if (it == decisions_.end()) return false;
  if (it->second.owner.kind == OwnerKind::kRep) {
    for (size_t i = 0; i < config_.reps.size(); ++i) {
      if (config_.reps[i].id == it->second.owner.id) --open_[i];
    }
  }
  decisions_.erase(it);
  lead_segments_.erase(lead_id);
  return true;
}

// "capacity: {max_open: n}: at most n open leads; no cap when absent."
// docs/config.md "Caps": "Every claim re-checks every cap".
bool ReferenceRouter::HasRoom(size_t rep) const {
  const auto& cap = config_.reps[rep].capacity.max_open;
  if (cap && open_[rep] >= *cap) return false;
  if (!UnderTimeCaps(config_.reps[rep], claims_[rep], at_)) {
    time_mattered_ = true;
    return false;
  }
  return true;
}

const std::string& ReferenceRouter::RotationOf(size_t rule_index) const {
  const Rule& rule = config_.rules[rule_index];
  return rule.rotation.empty() ? rule.id : rule.rotation;
}

// "the candidates start as the union of the named teams' members and the
// named reps (only active ones). Both empty or pool absent: every active rep."
std::vector<bool> ReferenceRouter::Pool(size_t rule_index) const {
  const leadroute::Pool& pool = config_.rules[rule_index].pool;
  std::vector<bool> in(config_.reps.size(), false);
  for (size_t i = 0; i < config_.reps.size(); ++i) {
    const Rep& rep = config_.reps[i];
    if (!rep.active) continue;
    bool everyone = pool.teams.empty() && pool.reps.empty();
    bool named = std::count(pool.reps.begin(), pool.reps.end(), rep.id) > 0;
    bool member = false;
    for (const auto& t : rep.teams) {
      if (std::count(pool.teams.begin(), pool.teams.end(), t) > 0)
        member = true;
    }
    in[i] = everyone || named || member;
    if (only_rep_ && i != *only_rep_) in[i] = false;  // a claim's re-check
  }
  return in;
}

// An assignment in the rule's rotation: load +1, the rep becomes the most
// recently assigned.
void ReferenceRouter::Claim(size_t rule_index, size_t rep) {
  ++open_[rep];
  last_[RotationOf(rule_index)][rep] = ++clock_;
  // The time-based caps count every claim a rule made, by its instant.
  if (config_.reps[rep].capacity.timed()) {
    claims_[rep].push_back(RecordClaim(config_.reps[rep], at_));
  }
}

// Filters: the candidates `c` narrowed by filter step `s`.
std::vector<bool> ReferenceRouter::ApplyFilter(const ParsedStep& s,
                                               const std::vector<bool>& c,
                                               const Lead& lead) const {
  const size_t n = config_.reps.size();
  std::vector<bool> next(n, false);
  if (s.strategy == "availability") {
    for (size_t i = 0; i < n; ++i) {
      bool listed =
          std::count(s.presence.begin(), s.presence.end(), presence_[i]) > 0;
      // "with schedule, those off their schedule".
      bool on = !s.schedule || OnSchedule(config_.reps[i], at_);
      if (c[i] && listed && !on) time_mattered_ = true;
      next[i] = c[i] && listed && on && (!s.capacity || HasRoom(i));
    }
  } else if (s.strategy == "territory") {
    const Value* country = lead.Find(s.country_field);
    if (country == nullptr || !country->is_string()) {
      if (s.keep_if_missing) next = c;
    } else {
      const Value* state = lead.Find(s.state_field);
      const Value* postal = lead.Find(s.postal_field);
      std::string cc = country->as_string();
      // Specificity: "*" 1, country 2, state 3, postal 100 + length.
      auto level = [&](const std::string& entry) -> int {
        if (entry == "*") return 1;
        if (auto colon = entry.find(':'); colon != std::string::npos) {
          if (!SameText(entry.substr(0, colon), cc) || postal == nullptr ||
              !postal->is_string()) {
            return 0;
          }
          std::string code;
          for (char ch : postal->as_string()) {
            if (ch != ' ') code += ch;
          }
          std::string want = entry.substr(colon + 1);
          if (!want.empty() && want.back() == '*') {
            want.pop_back();
            return StartsWithCaseless(code, want) ? 100 + int(want.size()) : 0;
          }
          return SameText(code, want) ? 100 + int(want.size()) : 0;
        }
        if (auto dash = entry.find('-'); dash != std::string::npos) {
          if (!SameText(entry.substr(0, dash), cc) || state == nullptr ||
              !state->is_string()) {
            return 0;
          }
          const std::string& st = state->as_string();
          bool same =
              SameText(st, entry.substr(dash + 1)) || SameText(st, entry);
          return same ? 3 : 0;
        }
        return SameText(entry, cc) ? 2 : 0;
      };
      std::vector<int> best(n, 0);
      int top = 0;
      for (size_t i = 0; i < n; ++i) {
        if (!c[i]) continue;
        for (const auto& e : config_.reps[i].territories) {
          best[i] = std::max(best[i], level(e));
        }
        top = std::max(top, best[i]);
      }
      for (size_t i = 0; i < n; ++i)
        next[i] = c[i] && top > 0 && best[i] == top;
    }
  } else if (s.strategy == "bands" || s.strategy == "score" ||
             s.strategy == "deal_value") {
    const Value* v = lead.Find(s.field);
    if (v == nullptr || !v->is_number()) {
      if (s.keep_if_missing) next = c;
    } else {
      double x = *v->number();
      const ParsedStep::Band* band = nullptr;
      for (const auto& b : s.bands) {
        if ((!b.min || *b.min <= x) && (!b.max || x < *b.max)) band = &b;
      }
      for (size_t i = 0; band != nullptr && i < n; ++i) {
        const std::string& tier = config_.reps[i].tier;
        bool allowed = tier == "*";
        for (const auto& t : band->tiers) {
          if (t == "*" || SameText(t, tier)) allowed = true;
        }
        next[i] = c[i] && allowed;
      }
    }
  } else {
    // match (and industry, product, language).
    bool missing = false;
    std::optional<Value> operand;
    const Value* v = s.value ? nullptr : lead.Find(s.field);
    if (s.value) {
      operand = Value(*s.value);
    } else if (s.op == "overlap" || s.op == "eq") {
      // cookbook/match.md: a lead value of a kind no rep's attribute has
      // (text, number, boolean) cannot be compared and counts as missing;
      // the built-in attributes hold text. "A lead list counts as missing"
      // for eq; an empty list for overlap.
      static const std::set<std::string> kText = {
          "industries", "products", "languages", "territories", "teams",
          "tier",       "id",       "name",      "email"};
      bool text = kText.count(s.attribute) > 0, number = false, boolean = false;
      for (const Rep& rep : config_.reps) {
        auto attr = RepAttribute(rep, s.attribute);
        if (!attr) continue;
        text = text || attr->is_string() || attr->is_list();
        number = number || attr->is_number();
        boolean = boolean || attr->is_bool();
      }
      if (v == nullptr) {
        missing = true;
      } else if (v->is_string()) {
        missing = !text;
      } else if (v->is_list()) {
        missing = !text || v->as_list().empty() || s.op == "eq";
      } else if (v->is_number()) {
        missing = !number;
      } else if (v->is_bool()) {
        missing = !boolean;
      } else {
        missing = true;
      }
      if (!missing) operand = *v;
    } else {
      missing = v == nullptr || !v->is_number();
      if (!missing) operand = *v;
    }
    if (missing) {
      if (s.keep_if_missing) next = c;
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (!c[i]) continue;
        auto attr = RepAttribute(config_.reps[i], s.attribute);
        if (!attr) continue;  // "A rep without the attribute never matches"
        bool keep = false;
        if (s.op == "overlap" || s.op == "eq") {
          // "overlap: shares an item (a rep's "*" matches any value the step
          // can compare)"; "eq: equals the lead's single value (or, for a rep
          // list, holds it)".
          std::vector<std::string> mine;
          if (attr->is_string()) mine = {attr->as_string()};
          if (attr->is_list()) mine = attr->as_list();
          bool star = s.op == "overlap" &&
                      std::count(mine.begin(), mine.end(), "*") > 0;
          if (star) {
            keep = true;
          } else if (operand->is_string() || operand->is_list()) {
            std::vector<std::string> theirs =
                operand->is_string()
                    ? std::vector<std::string>{operand->as_string()}
                    : operand->as_list();
            for (const auto& m : mine) {
              for (const auto& l : theirs) {
                if (SameText(m, l)) keep = true;
              }
            }
          } else {
            keep = Equal(*attr, *operand);
          }
        } else if (attr->is_number()) {
          double a = *attr->number(), b = *operand->number();
          keep = s.op == "gt"    ? a > b
                 : s.op == "gte" ? a >= b
                 : s.op == "lt"  ? a < b
                                 : a <= b;
        }
        next[i] = keep;
      }
    }
  }
  return next;
}

ReferenceRouter::RuleResult ReferenceRouter::RunRule(size_t rule_index,
                                                     const Lead& lead) {
  const Rule& rule = config_.rules[rule_index];
  const auto& steps = StepsFor(rule_index, lead);
  const std::string& rotation = RotationOf(rule_index);
  const size_t n = config_.reps.size();
  auto last = [&](size_t rep) -> int64_t {
    auto& rot = last_[rotation];
    auto it = rot.find(rep);
    return it == rot.end() ? -1 : static_cast<int64_t>(it->second);
  };
  // Plain round robin: least recently assigned among candidates with room,
  // ties by roster order.
  auto least_recent = [&](const std::vector<bool>& c) -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t i = 0; i < n; ++i) {
      if (!c[i] || !HasRoom(i)) continue;
      if (!best || last(i) < last(*best)) best = i;
    }
    return best;
  };

  // "The candidates start as the rule's pool." An empty pool has nothing
  // to relax: on_empty applies at once.
  std::vector<bool> c = Pool(rule_index);
  auto empty = [&] {
    return std::none_of(c.begin(), c.end(), [](bool b) { return b; });
  };
  if (empty()) return {};
  std::set<size_t> undone;  // relaxed filter steps
  size_t k = 0;
  for (;;) {
    std::optional<size_t> stop;  // the step where the candidates ran out
    bool by_filter = false;
    for (; k < steps.size(); ++k) {
      const ParsedStep& s = steps[k];
      if (s.kind == ParsedStep::Kind::kPicker) {
        if (Offering(rule_index)) {
          if (auto offered = Offered(rule_index, &s, c)) return *offered;
          stop = k;  // every candidate full: ran out
          break;
        }
        std::optional<size_t> pick;
        if (s.strategy == "round_robin" && !s.weighted) {
          pick = least_recent(c);
        } else if (s.strategy == "round_robin") {
          // Smooth weighted round robin (cookbook/weighted-round-robin.md).
          auto& counter = counters_[rotation];
          double total = 0;
          for (size_t i = 0; i < n; ++i) {
            if (!c[i] || !HasRoom(i)) continue;
            counter[i] += config_.reps[i].weight;
            total += config_.reps[i].weight;
            if (!pick || counter[i] > counter[*pick]) pick = i;
          }
          if (pick) counter[*pick] -= total;
        } else if (s.strategy == "performance") {
          pick = PerformancePick(s, c, rotation, lead);
        } else if (s.strategy == "random") {
          // docs/config.md#random: one draw from the rotation's generator,
          // then the first eligible rep whose running weight passes it.
          double total = 0;
          std::optional<size_t> last_eligible;
          for (size_t i = 0; i < n; ++i) {
            if (!c[i] || !HasRoom(i)) continue;
            total += config_.reps[i].weight;
            last_eligible = i;
          }
          if (last_eligible) {
            auto found = rng_.find(rotation);
            uint64_t state = found != rng_.end() ? found->second : s.seed;
            uint64_t bits = SplitMix(state);
            rng_[rotation] = state + kSplitMixStep;
            double target = static_cast<double>(bits >> 11) * 0x1.0p-53 * total;
            double sum = 0;
            for (size_t i = 0; i < n && !pick; ++i) {
              if (!c[i] || !HasRoom(i)) continue;
              sum += config_.reps[i].weight;
              if (target < sum) pick = i;
            }
            if (!pick) pick = last_eligible;
          }
        } else {
          // least_loaded: fewest open (or open / max_open, uncapped as if 1),
          // then least recently assigned, then roster order.
          auto rank = [&](size_t i) {
            const auto& cap = config_.reps[i].capacity.max_open;
            double denom = s.relative && cap ? double(*cap) : 1.0;
            return double(open_[i]) / denom;
          };
          for (size_t i = 0; i < n; ++i) {
            if (!c[i] || !HasRoom(i)) continue;
            if (!pick || rank(i) < rank(*pick) ||
                (rank(i) == rank(*pick) && last(i) < last(*pick))) {
              pick = i;
            }
          }
        }
        if (!pick) {
          stop = k;  // every candidate full: ran out
          break;
        }
        Claim(rule_index, *pick);
        return {Outcome::kOwner, *pick, s.strategy};
      }
      if (s.kind == ParsedStep::Kind::kResolver) {
        auto eligible =
            [&](const std::string& rep_id) -> std::optional<size_t> {
          for (size_t i = 0; i < n; ++i) {
            if (config_.reps[i].id == rep_id && c[i] && HasRoom(i)) return i;
          }
          return std::nullopt;
        };
        std::optional<size_t> owner;
        if (s.strategy == "sticky") {
          owner = StickyOwner(s, c, lead);
        } else if (s.strategy == "field_owner") {
          // By rep id (exactly), else by email (caselessly, first rep).
          const Value* v = lead.Find(s.field);
          if (v != nullptr && v->is_string()) {
            std::optional<size_t> named;
            for (size_t i = 0; i < n && !named; ++i) {
              if (config_.reps[i].id == v->as_string()) named = i;
            }
            for (size_t i = 0; i < n && !named; ++i) {
              if (!config_.reps[i].email.empty() &&
                  SameText(config_.reps[i].email, v->as_string())) {
                named = i;
              }
            }
            if (named && c[*named] && HasRoom(*named)) owner = named;
          }
        } else {
          // hierarchy: each match method in order; each account found gets
          // its own walk up through its parents.
          auto by_id = [&](const std::string& id) -> const Account* {
            for (const auto& a : accounts_) {
              if (a.id == id) return &a;
            }
            return nullptr;
          };
          auto by_domain = [&](std::string host) -> const Account* {
            host = Lower(host);
            if (host.rfind("www.", 0) == 0) host = host.substr(4);
            while (!host.empty() && host.back() == '.') host.pop_back();
            for (;;) {
              if (std::count(host.begin(), host.end(), '.') < 1) return nullptr;
              for (const auto& a : accounts_) {
                for (const auto& d : a.domains) {
                  if (Lower(d) == host) return &a;
                }
              }
              host = host.substr(host.find('.') + 1);
            }
          };
          for (const std::string& method : s.match) {
            const Account* account = nullptr;
            if (method == "account_id") {
              const Value* v = lead.Find(s.account_field);
              if (v != nullptr && v->is_string())
                account = by_id(v->as_string());
              if (v != nullptr && v->is_int()) {
                account = by_id(std::to_string(v->as_int()));
              }
            } else {
              const Value* v = lead.Find(method == "domain" ? s.domain_field
                                                            : s.email_field);
              if (v != nullptr && v->is_string()) {
                std::string text = v->as_string();
                bool ok =
                    method == "domain" || text.find('@') != std::string::npos;
                if (ok) account = by_domain(std::string(HostOf(text)));
              }
            }
            for (const Account* a = account; a != nullptr;
                 a = a->parent.empty() ? nullptr : by_id(a->parent)) {
              if (auto e = eligible(a->owner)) {
                owner = e;
                if (!s.ultimate) break;
              }
            }
            if (owner) break;
          }
        }
        if (owner && Offering(rule_index)) {
          // "A resolver step that names an owner offers to that rep alone."
          offered_ = {*owner};
          return {Outcome::kPending, 0, ""};
        }
        if (owner) {
          Claim(rule_index, *owner);
          return {Outcome::kOwner, *owner, s.strategy};
        }
        continue;  // the resolver passes
      }
      c = ApplyFilter(s, c, lead);
      if (empty()) {
        stop = k;
        by_filter = true;
        break;
      }
    }
    if (!stop) {
      // "When the steps end without a picker having claimed ... round_robin
      // on the rule's rotation claims one of the remaining candidates."
      if (Offering(rule_index)) {
        if (auto offered = Offered(rule_index, nullptr, c)) return *offered;
      } else if (auto pick = least_recent(c)) {
        Claim(rule_index, *pick);
        return {Outcome::kOwner, *pick, "round_robin"};
      }
      stop = steps.size();
    }
    if (rule.on_empty != OnEmpty::kRelax) return {};
    // "leadroute undoes the latest filter not yet undone (at or before the
    // step that emptied them), recomputes the candidates from the pool
    // through the filters still in force, and goes on with the following
    // steps. If nobody is left it undoes the next latest filter, and so on.
    // availability is never undone." A picker (or the implicit round robin)
    // that finds everyone full empties the candidates after the steps before
    // it, and runs again after relaxing.
    if (!by_filter && *stop == 0) return {};
    const size_t upto = by_filter ? *stop : *stop - 1;
    do {
      std::optional<size_t> undo;
      for (size_t j = 0; j <= upto; ++j) {
        if (steps[j].kind == ParsedStep::Kind::kFilter &&
            steps[j].strategy != "availability" && !undone.count(j)) {
          undo = j;
        }
      }
      if (!undo) return {};
      undone.insert(*undo);
      c = Pool(rule_index);
      for (size_t j = 0; j <= upto; ++j) {
        if (steps[j].kind == ParsedStep::Kind::kFilter && !undone.count(j)) {
          c = ApplyFilter(steps[j], c, lead);
        }
      }
    } while (empty());
    k = by_filter ? *stop + 1 : *stop;
  }
}

Decision ReferenceRouter::Route(const Lead& lead) {
  time_mattered_ = false;
  if (auto it = decisions_.find(lead.id()); it != decisions_.end()) {
    Decision again = it->second;
    again.repeated = true;
    return again;
  }
  if (auto it = pending_.find(lead.id()); it != pending_.end()) {
    Decision again = PendingDecision(it->second);
    again.repeated = true;
    return again;
  }
  Decision d;
  bool decided = false;
  // "Everything that depends on time ... is evaluated at one instant per
  // lead."
  at_ = Instant(std::chrono::milliseconds(InstantOf(lead)));
  // An expiry push routes "from the offering rule" (first_rule_).
  for (size_t r = first_rule_; r < config_.rules.size() && !decided; ++r) {
    const Rule& rule = config_.rules[r];
    if (!Holds(rule.when, lead)) continue;
    // docs/config.md "Active windows": outside it "the rule is skipped as if
    // its when were false".
    if (rule.active &&
        !InWindow(*rule.active, config_.settings.time_zone, at_)) {
      time_mattered_ = true;
      continue;
    }
    RuleResult result = RunRule(r, lead);
    if (result.outcome == Outcome::kPending) {
      return Pend(r, lead, offered_);
    }
    if (result.outcome == Outcome::kOwner) {
      d.owner = Owner::Rep(config_.reps[result.rep].id);
      d.rule_id = rule.id;
      d.decided_by = result.decided_by;
      decided = true;
      Remember(lead, result.rep);
    } else if (rule.on_empty == OnEmpty::kFallback) {
      d.rule_id = rule.id;
      d.fallback = true;
      decided = true;
    }
    // "The decision records the variant ... also when the rule sends the
    // lead to the fallback owner; not when the lead moves on".
    if (auto v = VariantOf(r, lead); decided && v) {
      d.variant = experiments_[r]->id + "/" + experiments_[r]->names[*v];
    }
  }
  // performance: the segments an outcome of this lead is credited to, read
  // from the lead as routed (string fields only).
  for (const std::string& field : segment_fields_) {
    const Value* v = lead.Find(field);
    if (v != nullptr && v->is_string()) {
      lead_segments_[lead.id()].push_back(field + "=" + v->as_string());
    }
  }
  if (!decided) d.fallback = true;
  if (d.fallback) {
    d.owner = *config_.fallback;
    d.decided_by = "fallback";
    // The fallback rep ignores presence and caps; her load counts.
    for (size_t i = 0; i < config_.reps.size(); ++i) {
      if (d.owner.kind == OwnerKind::kRep && config_.reps[i].id == d.owner.id) {
        ++open_[i];
      }
    }
  }
  decisions_[lead.id()] = d;
  return d;
}

// Experiments, docs/config.md#experiment and cookbook/experiments.md "How
// the split works": bucket = mix(fnv1a64(salt "\0" lead id)) mod 10,000.
std::optional<size_t> ReferenceRouter::VariantOf(size_t rule_index,
                                                 const Lead& lead) const {
  const auto& x = experiments_[rule_index];
  if (!x) return std::nullopt;
  std::string text = x->salt;
  text.push_back('\0');
  text += lead.id();
  const int bucket = static_cast<int>(SplitMix(Fnv1a(text)) % 10000);
  for (size_t v = 0; v < x->ends.size(); ++v) {
    if (bucket < x->ends[v]) return v;
  }
  return std::nullopt;  // the shares sum to 100: not reached
}

const std::vector<ReferenceRouter::ParsedStep>& ReferenceRouter::StepsFor(
    size_t rule_index, const Lead& lead) const {
  if (auto v = VariantOf(rule_index, lead)) {
    return experiments_[rule_index]->steps[*v];
  }
  return steps_[rule_index];
}

// docs/config.md "The routing instant": created_at when it is an RFC 3339
// date-time with an offset, else the router's clock.
int64_t ReferenceRouter::InstantOf(const Lead& lead) const {
  Instant at = offer_now_;
  if (const Value* v = lead.Find("created_at");
      v != nullptr && v->is_string()) {
    if (auto parsed = ParseDateTime(v->as_string())) at = *parsed;
  }
  return at.time_since_epoch().count();
}

namespace {

// cookbook/sticky.md "Keys and normalisation": the free-mail domains.
const std::set<std::string>& FreeMail() {
  static const std::set<std::string> kFree = {
      "126.com",      "163.com",        "aol.com",        "fastmail.com",
      "gmail.com",    "gmx.at",         "gmx.ch",         "gmx.com",
      "gmx.de",       "gmx.net",        "googlemail.com", "hotmail.co.uk",
      "hotmail.com",  "hotmail.de",     "hotmail.fr",     "icloud.com",
      "live.com",     "mac.com",        "mail.com",       "mail.ru",
      "me.com",       "msn.com",        "outlook.com",    "pm.me",
      "proton.me",    "protonmail.com", "qq.com",         "t-online.de",
      "tutanota.com", "web.de",         "yahoo.co.uk",    "yahoo.com",
      "yahoo.de",     "yahoo.fr",       "yandex.com",     "yandex.ru",
      "ymail.com",    "zoho.com"};
  return kFree;
}

// "Values are trimmed and lower-cased".
std::string TrimLower(std::string_view s) {
  const char* kSpace = " \t\n\r\f\v";
  size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  size_t last = s.find_last_not_of(kSpace);
  return Lower(s.substr(first, last - first + 1));
}

// "A string trimmed and lower-cased, or an integer as decimal text."
std::optional<std::string> KeyText(const Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return TrimLower(v->as_string());
  if (v->is_int()) return std::to_string(v->as_int());
  return std::nullopt;
}

// `domain` is `d` or a sub-domain of it.
bool WithinDomain(const std::string& domain, const std::string& d) {
  return domain == d ||
         (domain.size() > d.size() &&
          domain.compare(domain.size() - d.size(), d.size(), d) == 0 &&
          domain[domain.size() - d.size() - 1] == '.');
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ReferenceRouter::StickyKeys(
    const ParsedStep& s, const Lead& lead) const {
  std::vector<std::pair<std::string, std::string>> out;
  // The email key: "it must have text on both sides of an @".
  std::optional<std::string> email;
  if (const Value* v = lead.Find("email"); v != nullptr && v->is_string()) {
    std::string e = TrimLower(v->as_string());
    size_t at = e.find('@');
    if (at != std::string::npos && at > 0 && at + 1 < e.size()) email = e;
  }
  for (const std::string& key : s.keys) {
    std::optional<std::string> value;
    if (key == "account") {
      value = KeyText(lead.Find("account_id"));
    } else if (key == "email") {
      value = email;
    } else if (key == "domain") {
      // "domain, else the part of email after the @": trimmed,
      // lower-cased, without a leading www. or a trailing dot.
      std::optional<std::string> d;
      // An empty `domain` is no value: the email's domain is used.
      const Value* v = lead.Find("domain");
      if (v != nullptr && v->is_string() &&
          !TrimLower(v->as_string()).empty()) {
        d = TrimLower(v->as_string());
      } else if (email) {
        d = email->substr(email->find('@') + 1);
      }
      if (d) {
        if (d->rfind("www.", 0) == 0) d = d->substr(4);
        if (!d->empty() && d->back() == '.') d->pop_back();
        bool ignored = false;
        for (const auto& i : s.ignore_domains) {
          if (WithinDomain(*d, TrimLower(i))) ignored = true;
        }
        for (const auto& f : FreeMail()) {
          if (s.ignore_free_mail && WithinDomain(*d, f)) ignored = true;
        }
        if (!ignored) value = d;
      }
    } else {
      value = KeyText(lead.Find(key.substr(6)));  // "field:<name>"
    }
    // "Values longer than 256 characters are not keys."
    if (value && !value->empty() && value->size() <= 256) {
      out.emplace_back(key, *value);
    }
  }
  return out;
}

// docs/config.md#sticky: the first key whose remembered rep got it within
// `window` and is a current candidate names that rep; at capacity she
// cannot be claimed and the step passes.
std::optional<size_t> ReferenceRouter::StickyOwner(const ParsedStep& s,
                                                   const std::vector<bool>& c,
                                                   const Lead& lead) const {
  const int64_t now = InstantOf(lead);
  for (const auto& key : StickyKeys(s, lead)) {
    auto it = sticky_.find(key);
    if (it == sticky_.end()) continue;
    const auto [rep, at] = it->second;
    if (now - at > s.window_ms || !c[rep]) continue;
    if (HasRoom(rep)) return rep;
    return std::nullopt;
  }
  return std::nullopt;
}

// "After every decision with a rep owner ... the Router remembers the lead's
// values for the keys of every sticky step -> the new owner; the latest
// decision wins."
void ReferenceRouter::Remember(const Lead& lead, size_t rep) {
  const int64_t now = InstantOf(lead);
  for (const ParsedStep& s : sticky_steps_) {
    for (const auto& key : StickyKeys(s, lead)) sticky_[key] = {rep, now};
  }
}

bool ReferenceRouter::RecordOutcome(const std::string& lead_id, bool converted,
                                    double value) {
  auto it = decisions_.find(lead_id);
  if (it == decisions_.end()) return false;
  // "credits the lead's current owner": a rep owner, overall and per
  // segment; a queue owner credits nobody.
  if (it->second.owner.kind == OwnerKind::kRep) {
    for (size_t i = 0; i < config_.reps.size(); ++i) {
      if (config_.reps[i].id != it->second.owner.id) continue;
      std::vector<std::string> segments = {""};
      for (const auto& seg : lead_segments_[lead_id]) segments.push_back(seg);
      for (const auto& seg : segments) {
        Tally& t = tallies_[seg][i];
        (converted ? t.converted : t.lost) += 1;
        t.value += value;
      }
    }
  }
  return Release(lead_id);
}

// cookbook/performance.md "The math".
std::optional<size_t> ReferenceRouter::PerformancePick(
    const ParsedStep& s, const std::vector<bool>& c,
    const std::string& rotation, const Lead& lead) {
  const size_t n = config_.reps.size();
  std::vector<size_t> cands;  // candidates with weight > 0
  for (size_t i = 0; i < n; ++i) {
    if (c[i] && config_.reps[i].weight > 0) cands.push_back(i);
  }
  if (cands.empty()) return std::nullopt;
  std::string segment;
  if (!s.segment.empty()) {
    const Value* v = lead.Find(s.segment);
    if (v != nullptr && v->is_string())
      segment = s.segment + "=" + v->as_string();
  }
  auto tally = [&](const std::string& seg, size_t i) {
    auto t = tallies_.find(seg);
    if (t == tallies_.end()) return Tally{};
    auto r = t->second.find(i);
    return r == t->second.end() ? Tally{} : r->second;
  };
  // "for value the prior is the candidates' mean" value per lead.
  auto mean = [&](const std::string& seg) {
    double value = 0, leads = 0;
    for (size_t i : cands) {
      Tally t = tally(seg, i);
      value += t.value;
      leads += double(t.converted + t.lost);
    }
    return leads > 0 ? value / leads : 0.0;
  };
  const double strength = s.prior_strength;
  // (hits + prior * strength) / (leads + strength)
  auto smooth = [&](const Tally& t, double prior) {
    double hits = s.value_metric ? t.value : double(t.converted);
    return (hits + prior * strength) /
           (double(t.converted + t.lost) + strength);
  };
  const double global_prior = s.value_metric ? mean("") : s.prior_rate;
  const double segment_prior =
      s.value_metric && !segment.empty() ? mean(segment) : s.prior_rate;
  std::vector<double> score(n, 0.0);
  double best = 0;
  for (size_t i : cands) {
    score[i] = smooth(tally("", i), global_prior);
    if (!segment.empty()) {
      // Shrunk toward the rep's overall score; alone from
      // min_segment_leads outcomes in the segment on.
      Tally t = tally(segment, i);
      bool alone =
          s.min_segment_leads && t.converted + t.lost >= *s.min_segment_leads;
      score[i] = smooth(t, alone ? segment_prior : score[i]);
    }
    best = std::max(best, score[i]);
  }
  std::vector<double> weight(n, 0.0);
  double total = 0;
  for (size_t i : cands) {
    weight[i] = config_.reps[i].weight * (best > 0 ? score[i] / best : 1.0);
    total += weight[i];
  }
  // The floor, capped at 1 / candidates: shares below it are lifted to it,
  // the rest shared by the others in proportion to their weights, repeated
  // until none is below; untouched when no share is below it.
  const double floor = std::min(s.floor, 1.0 / double(cands.size()));
  bool below = false;
  for (size_t i : cands) below = below || weight[i] / total < floor;
  if (below) {
    std::vector<bool> lifted(n, false);
    size_t lifted_count = 0;
    for (bool changed = true; changed;) {
      changed = false;
      double rest = 0;
      for (size_t i : cands) {
        if (!lifted[i]) rest += weight[i];
      }
      const double share = 1.0 - floor * double(lifted_count);
      std::vector<size_t> newly;
      for (size_t i : cands) {
        if (!lifted[i] && share * weight[i] / rest < floor) newly.push_back(i);
      }
      for (size_t i : newly) lifted[i] = true;
      lifted_count += newly.size();
      changed = !newly.empty();
    }
    double rest = 0;
    for (size_t i : cands) {
      if (!lifted[i]) rest += weight[i];
    }
    const double share = 1.0 - floor * double(lifted_count);
    std::vector<double> shares(n, 0.0);
    for (size_t i : cands) {
      shares[i] = lifted[i] ? floor : share * weight[i] / rest;
    }
    weight = shares;
    // "A floor of 0.9 with two reps is an equal split": every weight 1.
    if (s.floor >= 1.0 / double(cands.size())) {
      for (size_t i : cands) weight[i] = 1.0;
    }
  }
  // Smooth weighted round robin in the rotation over the reps with room.
  auto& counter = counters_[rotation];
  std::optional<size_t> pick;
  double eligible_total = 0;
  for (size_t i : cands) {
    if (!HasRoom(i)) continue;
    counter[i] += weight[i];
    eligible_total += weight[i];
    if (!pick || counter[i] > counter[*pick]) pick = i;
  }
  if (pick) counter[*pick] -= eligible_total;
  return pick;
}

}  // namespace leadroute::reference
