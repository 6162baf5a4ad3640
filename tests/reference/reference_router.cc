// The reference router: every rule of docs/config.md spelled out directly,
// with sets as vector<bool> and state in std::map, favouring obviousness
// over speed. Each block names the paragraph of the docs it implements.
#include "reference/reference_router.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

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
  presence_.assign(config_.reps.size(), Presence::kAvailable);
  for (const Rule& rule : config_.rules) {
    std::vector<ParsedStep> parsed;
    for (const Step& step : rule.steps) {
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
        std::string path = "/rules/" + std::to_string(steps_.size()) +
                           "/steps/" + std::to_string(parsed.size());
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
      } else {
        std::abort();  // custom strategies are not modelled
      }
      parsed.push_back(std::move(s));
    }
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
  auto it = decisions_.find(lead_id);
  if (it == decisions_.end()) return false;
  if (it->second.owner.kind == OwnerKind::kRep) {
    for (size_t i = 0; i < config_.reps.size(); ++i) {
      if (config_.reps[i].id == it->second.owner.id) --open_[i];
    }
  }
  decisions_.erase(it);
  return true;
}

// "capacity: {max_open: n}: at most n open leads; no cap when absent."
bool ReferenceRouter::HasRoom(size_t rep) const {
  const auto& cap = config_.reps[rep].capacity.max_open;
  return !cap || open_[rep] < *cap;
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
  }
  return in;
}

// An assignment in the rule's rotation: load +1, the rep becomes the most
// recently assigned.
void ReferenceRouter::Claim(size_t rule_index, size_t rep) {
  ++open_[rep];
  last_[RotationOf(rule_index)][rep] = ++clock_;
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
      next[i] = c[i] && listed && (!s.capacity || HasRoom(i));
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
  const auto& steps = steps_[rule_index];
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
        if (s.strategy == "field_owner") {
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
      if (auto pick = least_recent(c)) {
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
  if (auto it = decisions_.find(lead.id()); it != decisions_.end()) {
    Decision again = it->second;
    again.repeated = true;
    return again;
  }
  Decision d;
  bool decided = false;
  for (size_t r = 0; r < config_.rules.size() && !decided; ++r) {
    const Rule& rule = config_.rules[r];
    if (!Holds(rule.when, lead)) continue;
    RuleResult result = RunRule(r, lead);
    if (result.outcome == Outcome::kOwner) {
      d.owner = Owner::Rep(config_.reps[result.rep].id);
      d.rule_id = rule.id;
      d.decided_by = result.decided_by;
      decided = true;
    } else if (rule.on_empty == OnEmpty::kFallback) {
      d.rule_id = rule.id;
      d.fallback = true;
      decided = true;
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

}  // namespace leadroute::reference
