// `match` and its shorthands `industry`, `product` and `language`: keeps the
// candidates whose attribute meets the lead's field (or a constant).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/builtin.h"
#include "strategies/filter_params.h"
#include "util/string_index.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

enum class MatchOp : uint8_t { kOverlap, kEq, kGt, kGte, kLt, kLte };

constexpr std::array<std::string_view, 6> kOpNames = {"overlap", "eq", "gt",
                                                      "gte",     "lt", "lte"};

std::string_view OpName(MatchOp op) noexcept {
  return kOpNames[static_cast<size_t>(op)];
}

bool IsNumericOp(MatchOp op) noexcept {
  return op != MatchOp::kOverlap && op != MatchOp::kEq;
}

// How a config name presets `match`.
struct MatchPreset {
  std::string_view name;
  std::string_view field;      // "" = required
  std::string_view attribute;  // "" = required
  bool generic;                // accepts "op" and "value"
};

constexpr MatchPreset kMatch{"match", "", "", true};
constexpr MatchPreset kIndustry{"industry", "industry", "industries", false};
constexpr MatchPreset kProduct{"product", "products", "products", false};
constexpr MatchPreset kLanguage{"language", "language", "languages", false};

// Rep fields `match` can read under their config names; the rest come from
// Rep::attributes.
bool IsListAttribute(std::string_view name) noexcept {
  return name == "territories" || name == "industries" || name == "products" ||
         name == "languages" || name == "teams";
}
bool IsStringAttribute(std::string_view name) noexcept {
  return name == "tier" || name == "id" || name == "name" || name == "email";
}

// The rep's attribute `name`, or nullopt when the rep has none.
std::optional<Value> RepAttribute(const Rep& rep, std::string_view name) {
  if (name == "territories") return Value(rep.territories);
  if (name == "industries") return Value(rep.industries);
  if (name == "products") return Value(rep.products);
  if (name == "languages") return Value(rep.languages);
  if (name == "teams") return Value(rep.teams);
  const std::string* text = nullptr;
  if (name == "tier") text = &rep.tier;
  if (name == "id") text = &rep.id;
  if (name == "name") text = &rep.name;
  if (name == "email") text = &rep.email;
  if (text != nullptr) {
    return text->empty() ? std::nullopt : std::optional<Value>(*text);
  }
  auto it = rep.attributes.find(name);
  if (it == rep.attributes.end() || it->second.is_null()) return std::nullopt;
  return it->second;
}

// A number usable for ordering: NaN is treated as absent.
std::optional<double> NumberOf(const Value& v) noexcept {
  std::optional<double> d = v.number();
  if (d && std::isnan(*d)) return std::nullopt;
  if (d) return *d + 0.0;  // folds -0 into 0
  return d;
}

// Filters by equality of values (op overlap or eq).
class EqualityIndex {
 public:
  // `star_matches_all`: a rep value "*" matches every lead value (op
  // overlap); for op eq it is plain text (docs/config.md: eq is "equal").
  EqualityIndex(size_t reps, bool star_matches_all)
      : wildcard_(reps),
        true_(reps),
        false_(reps),
        reps_(reps),
        star_matches_all_(star_matches_all) {}

  void Add(RepIndex i, const Value& v) {
    if (const std::string* s = v.string_if()) {
      has_text_ = true;
      AddString(i, *s);
    } else if (const auto* list = v.list_if()) {
      has_text_ = true;
      for (const auto& s : *list) AddString(i, s);
    } else if (v.is_bool()) {
      has_bool_ = true;
      (v.as_bool() ? true_ : false_).set(i);
    } else if (std::optional<double> d = NumberOf(v)) {
      has_number_ = true;
      auto it = numbers_map_.try_emplace(*d, CandidateSet(reps_)).first;
      it->second.set(i);
    }
  }

  // Marks text as comparable even when no rep has a value: the built-in
  // attributes hold text by definition.
  void ExpectText() { has_text_ = true; }

  // Whether some rep has a value of that kind; a lead value of a kind no
  // rep has is of the wrong type.
  bool has_text() const noexcept { return has_text_; }
  bool has_number() const noexcept { return has_number_; }
  bool has_bool() const noexcept { return has_bool_; }

  // Folds the wildcard reps into every set. Call once, after the last Add.
  void Finish() {
    for (auto& entry : strings_.entries()) entry.value |= wildcard_;
    true_ |= wildcard_;
    false_ |= wildcard_;
    for (auto& [key, set] : numbers_map_) {
      set |= wildcard_;
      numbers_.emplace_back(key, std::move(set));
    }
    numbers_map_.clear();
  }

  // The reps equal to the string `s` (wildcards included).
  const CandidateSet& String(std::string_view s) const noexcept {
    const CandidateSet* set = strings_.Find(s);
    return set == nullptr ? wildcard_ : *set;
  }
  const CandidateSet& Bool(bool b) const noexcept { return b ? true_ : false_; }
  const CandidateSet& Number(double d) const noexcept {
    auto it = std::lower_bound(
        numbers_.begin(), numbers_.end(), d,
        [](const auto& entry, double x) { return entry.first < x; });
    return it != numbers_.end() && it->first == d ? it->second : wildcard_;
  }
  const CandidateSet& wildcard() const noexcept { return wildcard_; }

 private:
  void AddString(RepIndex i, const std::string& s) {
    if (star_matches_all_ && s == "*") {
      wildcard_.set(i);
      return;
    }
    strings_.FindOrAdd(s, reps_).set(i);
  }

  StringIndex<CandidateSet, CaselessHash, CaselessEqual> strings_;
  std::map<double, CandidateSet> numbers_map_;            // until Finish
  std::vector<std::pair<double, CandidateSet>> numbers_;  // sorted
  CandidateSet wildcard_;                                 // reps with "*"
  CandidateSet true_;
  CandidateSet false_;
  size_t reps_;
  bool star_matches_all_;
  bool has_text_ = false;
  bool has_number_ = false;
  bool has_bool_ = false;
};

// Filters by `rep.attribute OP operand` for a lead operand: the distinct rep
// values sorted, each with the reps on its side of the comparison, so a
// route is one binary search and one AND.
class OrderIndex {
 public:
  // `values[i]` is rep i's number, if any.
  OrderIndex(MatchOp op, const std::vector<std::optional<double>>& values)
      : op_(op) {
    std::map<double, CandidateSet> by_value;
    for (RepIndex i = 0; i < values.size(); ++i) {
      if (!values[i]) continue;
      by_value.try_emplace(*values[i], CandidateSet(values.size()))
          .first->second.set(i);
    }
    // gt/gte keep the reps at or above a value (suffix unions); lt/lte the
    // reps at or below it (prefix unions).
    bool above = op == MatchOp::kGt || op == MatchOp::kGte;
    CandidateSet acc(values.size());
    std::vector<std::pair<double, CandidateSet>> entries(by_value.begin(),
                                                         by_value.end());
    if (above) std::reverse(entries.begin(), entries.end());
    for (auto& [value, set] : entries) {
      acc |= set;
      set = acc;
    }
    if (above) std::reverse(entries.begin(), entries.end());
    for (auto& [value, set] : entries) {
      values_.push_back(value);
      sets_.push_back(std::move(set));
    }
  }

  // The reps whose value passes the comparison with `x`, or nullptr.
  const CandidateSet* Find(double x) const noexcept {
    switch (op_) {
      case MatchOp::kGt:
      case MatchOp::kGte: {
        // The first value above (gt) or at least (gte) x.
        auto it = op_ == MatchOp::kGt
                      ? std::upper_bound(values_.begin(), values_.end(), x)
                      : std::lower_bound(values_.begin(), values_.end(), x);
        if (it == values_.end()) return nullptr;
        return &sets_[static_cast<size_t>(it - values_.begin())];
      }
      case MatchOp::kLt:
      case MatchOp::kLte: {
        // One past the last value below (lt) or at most (lte) x.
        auto it = op_ == MatchOp::kLt
                      ? std::lower_bound(values_.begin(), values_.end(), x)
                      : std::upper_bound(values_.begin(), values_.end(), x);
        if (it == values_.begin()) return nullptr;
        return &sets_[static_cast<size_t>(it - values_.begin()) - 1];
      }
      case MatchOp::kOverlap:
      case MatchOp::kEq:
        break;
    }
    return nullptr;
  }

 private:
  MatchOp op_;
  std::vector<double> values_;  // ascending, distinct
  std::vector<CandidateSet> sets_;
};

bool Compare(double rep, MatchOp op, double operand) noexcept {
  switch (op) {
    case MatchOp::kGt:
      return rep > operand;
    case MatchOp::kGte:
      return rep >= operand;
    case MatchOp::kLt:
      return rep < operand;
    case MatchOp::kLte:
      return rep <= operand;
    case MatchOp::kOverlap:
    case MatchOp::kEq:
      return rep == operand;
  }
  return false;
}

class MatchStrategy final : public Strategy {
 public:
  enum class Mode : uint8_t {
    kEquality,  // overlap or eq against the lead's field
    kOrder,     // gt/gte/lt/lte against the lead's field
    kConstant,  // any op against a constant: a precomputed set
  };

  MatchStrategy(std::string_view name, MatchOp op, FieldSlot slot,
                bool keep_if_missing, size_t reps)
      : name_(name),
        op_(op),
        slot_(slot),
        keep_if_missing_(keep_if_missing),
        equality_(reps, op == MatchOp::kOverlap) {}

  void SetOrder(OrderIndex order) {
    mode_ = Mode::kOrder;
    order_.emplace(std::move(order));
  }
  void SetConstant(CandidateSet set) {
    mode_ = Mode::kConstant;
    constant_ = std::move(set);
  }
  EqualityIndex& equality() { return equality_; }

  std::string_view Name() const noexcept override { return name_; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kFilter; }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& /*ctx*/) const noexcept override {
    if (mode_ == Mode::kConstant) {
      candidates &= constant_;
      return StepResult::Narrowed();
    }
    const Value* v = lead.Get(slot_);
    if (v == nullptr || !Narrow(*v, candidates)) {
      if (!keep_if_missing_) candidates.Clear();
    }
    return StepResult::Narrowed();
  }

 private:
  // Narrows by `v`; false when `v` is of a type this step cannot compare.
  bool Narrow(const Value& v, CandidateSet& candidates) const noexcept {
    if (mode_ == Mode::kOrder) {
      std::optional<double> x = NumberOf(v);
      if (!x) return false;
      const CandidateSet* set = order_->Find(*x);
      if (set == nullptr) {
        candidates.Clear();
      } else {
        candidates &= *set;
      }
      return true;
    }
    if (const std::string* s = v.string_if()) {
      if (!equality_.has_text()) return false;
      candidates &= equality_.String(*s);
      return true;
    }
    if (const auto* list = v.list_if()) {
      if (op_ == MatchOp::kEq || list->empty() || !equality_.has_text()) {
        return false;
      }
      if (list->size() == 1) {
        candidates &= equality_.String(list->front());
        return true;
      }
      // The union of the elements' sets. The scratch set keeps its storage
      // between calls on this thread, so steady state allocates nothing.
      thread_local CandidateSet scratch;
      scratch = equality_.wildcard();
      for (const auto& s : *list) scratch |= equality_.String(s);
      candidates &= scratch;
      return true;
    }
    if (v.is_bool()) {
      if (!equality_.has_bool()) return false;
      candidates &= equality_.Bool(v.as_bool());
      return true;
    }
    if (std::optional<double> d = NumberOf(v); d && equality_.has_number()) {
      candidates &= equality_.Number(*d);
      return true;
    }
    return false;
  }

  std::string_view name_;
  MatchOp op_;
  FieldSlot slot_;
  bool keep_if_missing_;
  Mode mode_ = Mode::kEquality;
  EqualityIndex equality_;
  std::optional<OrderIndex> order_;
  CandidateSet constant_;
};

StrategyPtr BuildMatch(StrategyBuildContext& ctx, const MatchPreset& preset) {
  const StepParams& params = ctx.params();
  bool keep = ReadKeepIfMissing(params);
  std::optional<std::string> attribute =
      ReadName(params, "attribute", preset.attribute, "a rep attribute name");

  MatchOp op = MatchOp::kOverlap;
  std::optional<double> value;
  bool has_field = true;
  if (preset.generic) {
    if (std::optional<std::string> name = params.String("op")) {
      auto it = std::find(kOpNames.begin(), kOpNames.end(), *name);
      if (it == kOpNames.end()) {
        params.Error("op", fmt::format("found \"{}\", expected one of: {}",
                                       *name, fmt::join(kOpNames, ", ")));
      } else {
        op = static_cast<MatchOp>(it - kOpNames.begin());
      }
    }
    value = params.Number("value");
    bool value_given = params.Has("value");
    has_field = params.Has("field");
    if (!IsNumericOp(op)) {
      if (value_given) {
        params.Error("value", fmt::format("found \"value\" with op \"{}\", "
                                          "expected \"field\": only gt, gte, "
                                          "lt and lte compare with a constant",
                                          OpName(op)));
      }
    } else if (has_field && value_given) {
      params.Error("value",
                   "found both \"field\" and \"value\", expected "
                   "exactly one");
    } else if (!has_field && !value_given) {
      params.Error("", fmt::format("missing \"field\" or \"value\", expected "
                                   "one of them for op \"{}\"",
                                   OpName(op)));
    }
    if (attribute && IsNumericOp(op) &&
        (IsListAttribute(*attribute) || IsStringAttribute(*attribute))) {
      params.Error("attribute",
                   fmt::format("found \"{}\", a text attribute, expected a "
                               "numeric attribute for op \"{}\"",
                               *attribute, OpName(op)));
    }
  }
  std::optional<std::string> field;
  if (has_field || !IsNumericOp(op)) {
    field = ReadName(params, "field", preset.field, "a lead field name");
  }
  if (!params.ok() || !attribute) {
    return Status::InvalidArgument(
        fmt::format("invalid {} step at {}", preset.name, ctx.path()));
  }

  const Roster& roster = ctx.roster();
  FieldSlot slot = field ? ctx.Field(*field) : FieldSlot{0};
  auto strategy = std::make_unique<MatchStrategy>(preset.name, op, slot, keep,
                                                  roster.size());
  if (!IsNumericOp(op)) {
    if (IsListAttribute(*attribute) || IsStringAttribute(*attribute)) {
      strategy->equality().ExpectText();
    }
    for (RepIndex i = 0; i < roster.size(); ++i) {
      if (auto v = RepAttribute(roster.rep(i), *attribute)) {
        strategy->equality().Add(i, *v);
      }
    }
    strategy->equality().Finish();
  } else {
    std::vector<std::optional<double>> numbers(roster.size());
    for (RepIndex i = 0; i < roster.size(); ++i) {
      if (auto v = RepAttribute(roster.rep(i), *attribute)) {
        numbers[i] = NumberOf(*v);
      }
    }
    if (value) {
      CandidateSet set(roster.size());
      for (RepIndex i = 0; i < roster.size(); ++i) {
        if (numbers[i] && Compare(*numbers[i], op, *value)) set.set(i);
      }
      strategy->SetConstant(std::move(set));
    } else {
      strategy->SetOrder(OrderIndex(op, numbers));
    }
  }
  return std::unique_ptr<Strategy>(std::move(strategy));
}

}  // namespace

StrategyPtr NewMatchStrategy(StrategyBuildContext& ctx) {
  return BuildMatch(ctx, kMatch);
}
StrategyPtr NewIndustryStrategy(StrategyBuildContext& ctx) {
  return BuildMatch(ctx, kIndustry);
}
StrategyPtr NewProductStrategy(StrategyBuildContext& ctx) {
  return BuildMatch(ctx, kProduct);
}
StrategyPtr NewLanguageStrategy(StrategyBuildContext& ctx) {
  return BuildMatch(ctx, kLanguage);
}

}  // namespace leadroute::internal
