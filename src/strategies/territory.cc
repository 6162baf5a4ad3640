// `territory`: keeps the candidates whose territories cover the lead's
// country, state or postal code, preferring the most specific match.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "strategies/builtin.h"
#include "strategies/filter_params.h"
#include "util/string_index.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

template <typename T>
using CaselessMap = StringIndex<T, CaselessHash, CaselessEqual>;

// Longest postal code or prefix a territory may name, spaces removed. Real
// postal codes have at most 10 characters; the bound lets Apply normalise the
// lead's code into a stack buffer.
constexpr size_t kMaxPostalLength = 16;

constexpr std::string_view kTerritoryForms =
    "expected \"CC\" (country), \"CC-SS\" (state), \"CC:PREFIX*\" (postal "
    "prefix), \"CC:CODE\" (one postal code) or \"*\" (anywhere)";

bool IsAsciiAlnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool IsCode(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsAsciiAlnum);
}

// One parsed entry of Rep::territories.
struct Territory {
  enum class Kind : uint8_t { kAnywhere, kCountry, kState, kPostal };
  Kind kind = Kind::kAnywhere;
  std::string_view country;
  std::string_view state;
  std::string postal;   // spaces removed
  bool prefix = false;  // postal ended in '*'
};

// Parses `text`, or returns why it is malformed (in `why`).
std::optional<Territory> ParseTerritory(std::string_view text,
                                        std::string& why) {
  Territory t;
  if (text == "*") return t;
  if (text.empty()) {
    why = "is empty";
    return std::nullopt;
  }
  if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    t.kind = Territory::Kind::kPostal;
    t.country = text.substr(0, colon);
    std::string_view code = text.substr(colon + 1);
    if (!code.empty() && code.back() == '*') {
      t.prefix = true;
      code.remove_suffix(1);
    }
    for (char c : code) {
      if (c == ' ') continue;
      if (!IsAsciiAlnum(c) && c != '-') {
        why = c == '*' ? "has '*' before the end of the postal code"
                       : fmt::format(
                             "has '{}' in the postal code, which may "
                             "hold only letters, digits, spaces and "
                             "'-'",
                             c);
        return std::nullopt;
      }
      t.postal.push_back(c);
    }
    if (t.country.empty()) {
      why = "has no country code before ':'";
    } else if (!IsCode(t.country)) {
      why = "has a country code that is not letters and digits";
    } else if (t.postal.empty()) {
      why = t.prefix ? "has an empty postal prefix (use the country code "
                       "alone for the whole country)"
                     : "has no postal code after ':'";
    } else if (t.postal.size() > kMaxPostalLength) {
      why = fmt::format("has a postal code longer than {} characters",
                        kMaxPostalLength);
    }
    if (!why.empty()) return std::nullopt;
    return t;
  }
  if (size_t dash = text.find('-'); dash != std::string_view::npos) {
    t.kind = Territory::Kind::kState;
    t.country = text.substr(0, dash);
    t.state = text.substr(dash + 1);
    if (t.country.empty()) {
      why = "has no country code before '-'";
    } else if (t.state.empty()) {
      why = "has no state after '-'";
    } else if (!IsCode(t.country) || !IsCode(t.state)) {
      why = "has a country or state code that is not letters and digits";
    }
    if (!why.empty()) return std::nullopt;
    return t;
  }
  t.kind = Territory::Kind::kCountry;
  t.country = text;
  if (!IsCode(t.country)) {
    why = "is not a code of letters and digits";
    return std::nullopt;
  }
  return t;
}

// Everything the reps claim inside one country.
struct CountryIndex {
  explicit CountryIndex(size_t reps) : country(reps) {}

  struct Postal {
    CandidateSet prefix;           // reps with "CC:<key>*"
    CandidateSet exact_or_prefix;  // reps with "CC:<key>" or "CC:<key>*"
  };

  CandidateSet country;              // reps with "CC"
  CaselessMap<CandidateSet> states;  // "SS" -> reps with "CC-SS"
  CaselessMap<Postal> postal;        // normalised code or prefix
  size_t longest_postal = 0;
};

// The string field in `slot`, trimmed, or "" when missing or not a string.
std::string_view StringField(const LeadView& lead, FieldSlot slot) noexcept {
  const Value* v = lead.Get(slot);
  if (v == nullptr) return {};
  const std::string* s = v->string_if();
  return s == nullptr ? std::string_view() : Trim(*s);
}

class TerritoryStrategy final : public Strategy {
 public:
  TerritoryStrategy(FieldSlot country, FieldSlot state, FieldSlot postal,
                    bool keep_if_missing, size_t reps)
      : country_slot_(country),
        state_slot_(state),
        postal_slot_(postal),
        keep_if_missing_(keep_if_missing),
        anywhere_(reps),
        reps_(reps) {}

  // Adds one parsed territory of rep `i`.
  void Add(RepIndex i, const Territory& t) {
    if (t.kind == Territory::Kind::kAnywhere) {
      anywhere_.set(i);
      return;
    }
    CountryIndex& c = countries_.FindOrAdd(t.country, reps_);
    switch (t.kind) {
      case Territory::Kind::kCountry:
        c.country.set(i);
        break;
      case Territory::Kind::kState: {
        c.states.FindOrAdd(t.state, reps_).set(i);
        break;
      }
      case Territory::Kind::kPostal: {
        CountryIndex::Postal& p = c.postal.FindOrAdd(
            t.postal,
            CountryIndex::Postal{CandidateSet(reps_), CandidateSet(reps_)});
        if (t.prefix) p.prefix.set(i);
        p.exact_or_prefix.set(i);
        c.longest_postal = std::max(c.longest_postal, t.postal.size());
        break;
      }
      case Territory::Kind::kAnywhere:
        break;
    }
  }

  std::string_view Name() const noexcept override { return "territory"; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kFilter; }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& /*ctx*/) const noexcept override {
    std::string_view country = StringField(lead, country_slot_);
    std::string_view state = StringField(lead, state_slot_);
    // A state may come as "CA" or "US-CA"; the latter also names the country
    // when the lead has none, and is ignored when it names another country.
    if (size_t dash = state.find('-'); dash != std::string_view::npos) {
      std::string_view code = state.substr(0, dash);
      if (country.empty()) country = code;
      state = EqualsIgnoreCase(code, country) ? state.substr(dash + 1)
                                              : std::string_view();
    }
    if (country.empty()) {
      if (!keep_if_missing_) candidates.Clear();
      return StepResult::Narrowed();
    }
    if (candidates.empty()) return StepResult::Narrowed();

    if (const CountryIndex* found = countries_.Find(country)) {
      const CountryIndex& c = *found;
      if (Keep(PostalMatch(c, lead, candidates), candidates)) {
        return StepResult::Narrowed();
      }
      if (!state.empty()) {
        if (Keep(c.states.Find(state), candidates)) {
          return StepResult::Narrowed();
        }
      }
      if (Keep(&c.country, candidates)) return StepResult::Narrowed();
    }
    if (!Keep(&anywhere_, candidates)) candidates.Clear();
    return StepResult::Narrowed();
  }

 private:
  // Narrows `candidates` to `set` when they share a member.
  static bool Keep(const CandidateSet* set, CandidateSet& candidates) noexcept {
    if (set == nullptr || !candidates.Intersects(*set)) return false;
    candidates &= *set;
    return true;
  }

  // The set of the longest postal entry of `c` that matches the lead's
  // postal code and holds at least one candidate, or nullptr.
  const CandidateSet* PostalMatch(
      const CountryIndex& c, const LeadView& lead,
      const CandidateSet& candidates) const noexcept {
    if (c.postal.empty()) return nullptr;
    std::string_view raw = StringField(lead, postal_slot_);
    // Spaces removed. A code longer than the buffer is longer than every
    // entry, so only prefixes can match it and the truncation is harmless.
    std::array<char, kMaxPostalLength + 1> code;
    size_t n = 0;
    for (char ch : raw) {
      if (ch == ' ') continue;
      if (n == code.size()) break;
      code[n++] = ch;
    }
    for (size_t len = std::min(n, c.longest_postal); len > 0; --len) {
      const CountryIndex::Postal* p =
          c.postal.Find(std::string_view(code.data(), len));
      if (p == nullptr) continue;
      const CandidateSet& set = len == n ? p->exact_or_prefix : p->prefix;
      if (candidates.Intersects(set)) return &set;
    }
    return nullptr;
  }

  FieldSlot country_slot_;
  FieldSlot state_slot_;
  FieldSlot postal_slot_;
  bool keep_if_missing_;
  CaselessMap<CountryIndex> countries_;
  CandidateSet anywhere_;  // reps with "*"
  size_t reps_;
};

}  // namespace

StrategyPtr NewTerritoryStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  bool keep = ReadKeepIfMissing(params);
  // A bad name is an error; the default stands in until the step fails.
  auto field_name = [&params](std::string_view key, std::string_view fallback) {
    return ReadName(params, key, fallback, "a lead field name")
        .value_or(std::string(fallback));
  };
  std::string country = field_name("country_field", "country");
  std::string state = field_name("state_field", "state");
  std::string postal = field_name("postal_field", "postal_code");

  const Roster& roster = ctx.roster();
  auto strategy = std::make_unique<TerritoryStrategy>(
      ctx.Field(country), ctx.Field(state), ctx.Field(postal), keep,
      roster.size());
  for (RepIndex i = 0; i < roster.size(); ++i) {
    const Rep& rep = roster.rep(i);
    for (size_t j = 0; j < rep.territories.size(); ++j) {
      const std::string& text = rep.territories[j];
      std::string why;
      std::optional<Territory> t = ParseTerritory(text, why);
      if (!t) {
        // A step cannot write errors under /reps, so the error lands on the
        // step and names the rep entry's own path in the message.
        params.Error("", fmt::format("rep \"{}\" territory \"{}\" at "
                                     "/reps/{}/territories/{} {}; {}",
                                     rep.id, text, i, j, why, kTerritoryForms));
        continue;
      }
      strategy->Add(i, *t);
    }
  }
  if (!params.ok()) {
    return Status::InvalidArgument("invalid territory step at " + ctx.path());
  }
  return std::unique_ptr<Strategy>(std::move(strategy));
}

}  // namespace leadroute::internal
