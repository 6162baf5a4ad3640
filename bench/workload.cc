#include "bench/workload.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace leadroute::bench {
namespace {

using nlohmann::json;

// Country, region index and primary language index, in popularity order:
// the Zipf draws below make the first few dominate, as in real intake.
struct CountryInfo {
  const char* code;
  int region;
  int language;
};
constexpr std::array<CountryInfo, kCountries> kCountryTable = {{
    {"US", 0, 0},  {"DE", 1, 1},  {"GB", 1, 0},  {"FR", 1, 2}, {"CA", 0, 0},
    {"IN", 2, 0},  {"BR", 3, 4},  {"JP", 2, 5},  {"AU", 2, 0}, {"NL", 1, 7},
    {"ES", 1, 3},  {"IT", 1, 6},  {"MX", 3, 3},  {"SE", 1, 8}, {"CH", 1, 1},
    {"SG", 2, 0},  {"PL", 1, 9},  {"BE", 1, 2},  {"AT", 1, 1}, {"IE", 1, 0},
    {"DK", 1, 0},  {"NO", 1, 0},  {"FI", 1, 0},  {"IL", 1, 0}, {"AE", 1, 0},
    {"ZA", 1, 0},  {"KR", 2, 11}, {"HK", 2, 10}, {"NZ", 2, 0}, {"AR", 3, 3},
    {"CL", 3, 3},  {"CO", 3, 3},  {"PT", 1, 4},  {"CZ", 1, 0}, {"TR", 1, 0},
    {"CN", 2, 10}, {"TW", 2, 10}, {"MY", 2, 0},  {"PE", 3, 3}, {"UY", 3, 3},
}};
constexpr std::array<const char*, kRegions> kRegionNames = {"NA", "EMEA",
                                                            "APAC", "LATAM"};
constexpr std::array<const char*, kIndustries> kIndustryNames = {
    "software",    "financial-services",
    "healthcare",  "manufacturing",
    "retail",      "education",
    "media",       "telecom",
    "logistics",   "energy",
    "insurance",   "public-sector",
    "hospitality", "real-estate",
    "legal",       "nonprofit"};
constexpr std::array<const char*, kProducts> kProductNames = {
    "crm", "cpq", "analytics", "service", "marketing", "platform"};
constexpr std::array<const char*, kLanguages> kLanguageNames = {
    "en", "de", "fr", "es", "pt", "ja", "it", "nl", "sv", "pl", "zh", "ko"};
constexpr std::array<const char*, kSources> kSourceNames = {
    "web", "event", "partner", "chat", "webinar", "import", "referral"};
constexpr std::array<const char*, kTiers> kTierNames = {"junior", "mid",
                                                        "senior", "enterprise"};

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// splitmix64: small, fast and the same everywhere (std distributions are
// not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(Mix(seed + kGolden)) {}
  uint64_t Next() { return Mix(state_ += kGolden); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_;
};

// Draws index i with probability proportional to weights[i].
class Weighted {
 public:
  explicit Weighted(const std::vector<double>& weights) {
    double sum = 0;
    for (double w : weights) cumulative_.push_back(sum += w);
  }
  // Zipf-like: weight 1 / (i + 1)^s.
  static Weighted Zipf(int n, double s) {
    std::vector<double> w;
    for (int i = 0; i < n; ++i) w.push_back(1 / std::pow(i + 1, s));
    return Weighted(w);
  }
  int Pick(Rng& rng) const {
    double x = rng.Unit() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return static_cast<int>(
        std::min<ptrdiff_t>(it - cumulative_.begin(),
                            static_cast<ptrdiff_t>(cumulative_.size()) - 1));
  }

 private:
  std::vector<double> cumulative_;
};

struct Tables {
  Weighted country = Weighted::Zipf(kCountries, 1.2);
  Weighted industry = Weighted::Zipf(kIndustries, 1.0);
  Weighted product = Weighted::Zipf(kProducts, 0.8);
  Weighted source = Weighted({40, 12, 10, 10, 12, 10, 6});
  Weighted tier = Weighted({30, 35, 25, 10});
  Weighted team_region = Weighted({35, 35, 18, 12});
  std::array<std::vector<int>, kRegions> countries_of;  // popularity order
  std::array<Weighted, kRegions> region_country = {
      Weighted({1}), Weighted({1}), Weighted({1}), Weighted({1})};

  Tables() {
    for (int c = 0; c < kCountries; ++c) {
      countries_of[kCountryTable[c].region].push_back(c);
    }
    for (int r = 0; r < kRegions; ++r) {
      std::vector<double> w;
      for (int c : countries_of[r]) w.push_back(1 / std::pow(c + 1, 0.8));
      region_country[r] = Weighted(w);
    }
  }
  int CountryIn(int region, Rng& rng) const {
    return countries_of[region][region_country[region].Pick(rng)];
  }
};

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

constexpr uint32_t kAllBits = 0xffffffffu;

// `count` distinct draws from `table`, as a bit mask.
uint64_t DistinctBits(const Weighted& table, int count, Rng& rng) {
  uint64_t bits = 0;
  for (int n = 0; n < count;) {
    uint64_t bit = uint64_t{1} << table.Pick(rng);
    if ((bits & bit) == 0) {
      bits |= bit;
      ++n;
    }
  }
  return bits;
}

template <size_t N>
json Names(uint64_t bits, const std::array<const char*, N>& names) {
  json list = json::array();
  for (size_t i = 0; i < N; ++i) {
    if ((bits >> i) & 1) list.push_back(names[i]);
  }
  return list;
}

std::vector<RepPlan> MakeReps(const WorkloadSpec& spec, int teams,
                              const std::vector<int>& team_region, Rng& rng) {
  const Tables& t = GetTables();
  std::vector<RepPlan> reps(spec.reps);
  for (int i = 0; i < spec.reps; ++i) {
    RepPlan& rep = reps[i];
    rep.id = "rep-" + std::to_string(i);
    int team = i % teams;
    rep.teams.push_back(team);
    if (teams > 1 && rng.Chance(0.1)) rep.teams.push_back((team + 1) % teams);
    rep.tier = t.tier.Pick(rng);
    const int region = team_region[team];
    double territory = rng.Unit();
    if (territory < 0.08) {
      rep.anywhere = true;
    } else {
      int n = 1 + rng.Below(4);
      for (int k = 0; k < n; ++k) {
        rep.countries |= uint64_t{1} << t.CountryIn(region, rng);
      }
      rep.anywhere = territory > 0.9;
    }
    if (rng.Chance(0.3)) {
      rep.industries_star = true;
      rep.industries = kAllBits;
    } else {
      rep.industries = static_cast<uint32_t>(
          DistinctBits(t.industry, 2 + rng.Below(3), rng));
    }
    if (rng.Chance(0.45)) {
      rep.products_star = true;
      rep.products = kAllBits;
    } else {
      rep.products =
          static_cast<uint32_t>(DistinctBits(t.product, 2 + rng.Below(3), rng));
    }
    if (rng.Chance(0.15)) {
      rep.languages_star = true;
      rep.languages = kAllBits;
    } else {
      rep.languages = 1;  // en
      for (int c = 0; c < kCountries; ++c) {
        if ((rep.countries >> c) & 1) {
          rep.languages |= 1u << kCountryTable[c].language;
        }
      }
    }
    double capacity = rng.Unit();
    if (capacity < 0.12) {
      // Small caps, pre-loaded to the cap or just under it: these reps drop
      // in and out of the candidates as leads are released.
      rep.max_open = 3 + rng.Below(8);
      rep.preload = rng.Chance(0.5) ? rep.max_open : rep.max_open - 2;
    } else if (capacity < 0.52) {
      rep.max_open = 1000;
    }
    double presence = rng.Unit();
    if (presence < 0.08) {
      rep.presence = RepPresence::kAway;
    } else if (presence < 0.11) {
      rep.presence = RepPresence::kOffline;
    }
  }
  // About 1% inactive, at least one.
  int inactive = std::max(1, spec.reps / 100);
  for (int n = 0; n < inactive;) {
    RepPlan& rep = reps[rng.Below(spec.reps)];
    if (rep.active) {
      rep.active = false;
      ++n;
    }
  }
  return reps;
}

RulePlan MakeRule(int k, int teams, const std::vector<int>& team_region,
                  Rng& rng) {
  const Tables& t = GetTables();
  RulePlan rule;
  rule.id = "rule-" + std::to_string(k);
  rule.team = rng.Below(teams);
  const int region = team_region[rule.team];
  double geo = rng.Unit();
  if (geo < 0.45) {
    rule.region = static_cast<int8_t>(region);
  } else if (geo < 0.8) {
    int n = 1 + rng.Below(3);
    for (int j = 0; j < n; ++j) {
      rule.countries |= uint64_t{1} << t.CountryIn(region, rng);
    }
  }
  if (rng.Chance(0.3)) {
    rule.industries =
        static_cast<uint32_t>(DistinctBits(t.industry, 1 + rng.Below(3), rng));
  }
  if (rng.Chance(0.3)) {
    using Op = NumberTest::Op;
    static constexpr NumberTest kEmployeeTests[] = {
        {Op::kGte, 200, 0},       {Op::kGte, 1000, 0}, {Op::kGte, 5000, 0},
        {Op::kLt, 0, 50},         {Op::kLt, 0, 200},   {Op::kBetween, 50, 999},
        {Op::kBetween, 200, 1999}};
    rule.employees = kEmployeeTests[rng.Below(7)];
  }
  if (rng.Chance(0.2)) rule.score_min = 30 + 20 * rng.Below(3);
  if (rng.Chance(0.15)) rule.deal_min = rng.Chance(0.5) ? 25000 : 100000;
  if (rng.Chance(0.12))
    rule.product = static_cast<uint8_t>(t.product.Pick(rng));
  if (rng.Chance(0.08)) {
    rule.language =
        static_cast<uint8_t>(kCountryTable[t.CountryIn(region, rng)].language);
  }
  double source = rng.Unit();
  if (source < 0.12) {
    rule.sources =
        static_cast<uint8_t>(DistinctBits(t.source, 2 + rng.Below(2), rng));
  } else if (source < 0.22) {
    rule.not_partner = true;
  }
  const bool any_test =
      rule.region >= 0 || rule.countries != 0 || rule.industries != 0 ||
      rule.employees.op != NumberTest::Op::kNoTest || rule.score_min >= 0 ||
      rule.deal_min >= 0 || rule.product != kNone || rule.language != kNone ||
      rule.sources != 0 || rule.not_partner;
  if (!any_test) rule.region = static_cast<int8_t>(region);

  rule.territory = rng.Chance(0.7);
  rule.industry = rng.Chance(0.35);
  rule.industry_keep = rng.Chance(0.5);
  rule.product_filter = rng.Chance(0.25);
  rule.language_filter = rng.Chance(0.2);
  double bands = rng.Unit();
  rule.score_bands = bands < 0.15;
  rule.deal_bands = bands >= 0.15 && bands < 0.25;
  rule.rotation =
      rng.Chance(0.5) ? "team-" + std::to_string(rule.team) : rule.id;
  return rule;
}

json Bands(double lo, double hi) {
  auto tiers = [](int band) { return Names(kBandTiers[band], kTierNames); };
  return json::array({{{"max", lo}, {"tiers", tiers(0)}},
                      {{"min", lo}, {"max", hi}, {"tiers", tiers(1)}},
                      {{"min", hi}, {"tiers", tiers(2)}}});
}

json ConditionJson(const RulePlan& rule) {
  json tests = json::array();
  auto test = [&](const char* field, const char* op, json operand) {
    tests.push_back({{"field", field}, {op, std::move(operand)}});
  };
  if (rule.region >= 0) test("region", "eq", kRegionNames[rule.region]);
  if (rule.countries != 0) {
    json list = json::array();
    for (int c = 0; c < kCountries; ++c) {
      if ((rule.countries >> c) & 1) list.push_back(kCountryTable[c].code);
    }
    test("country", "in", list);
  }
  if (rule.industries != 0) {
    test("industry", "in", Names(rule.industries, kIndustryNames));
  }
  switch (rule.employees.op) {
    case NumberTest::Op::kNoTest:
      break;
    case NumberTest::Op::kGte:
      test("employees", "gte", rule.employees.lo);
      break;
    case NumberTest::Op::kLt:
      test("employees", "lt", rule.employees.hi);
      break;
    case NumberTest::Op::kBetween:
      test("employees", "between",
           json::array({rule.employees.lo, rule.employees.hi}));
      break;
  }
  if (rule.score_min >= 0) test("score", "gte", rule.score_min);
  if (rule.deal_min >= 0) test("deal_value", "gte", rule.deal_min);
  if (rule.product != kNone) {
    test("products", "contains", kProductNames[rule.product]);
  }
  if (rule.language != kNone) {
    test("language", "eq", kLanguageNames[rule.language]);
  }
  if (rule.sources != 0)
    test("source", "in", Names(rule.sources, kSourceNames));
  if (rule.not_partner) test("source", "ne", kSourceNames[kPartnerSource]);
  if (tests.size() == 1) return tests[0];
  return {{"all", tests}};
}

json RuleJson(const RulePlan& rule) {
  json out = {{"id", rule.id}};
  json steps = json::array();
  if (rule.catch_all) {
    out["on_empty"] = "fallback";
  } else {
    out["when"] = ConditionJson(rule);
    out["pool"] = {{"teams", {"team-" + std::to_string(rule.team)}}};
    if (rule.territory) steps.push_back({{"strategy", "territory"}});
    if (rule.industry) {
      steps.push_back(
          {{"strategy", "industry"},
           {"if_missing", rule.industry_keep ? "keep" : "no_match"}});
    }
    if (rule.product_filter) {
      steps.push_back({{"strategy", "product"}, {"if_missing", "keep"}});
    }
    if (rule.language_filter) {
      steps.push_back({{"strategy", "language"}, {"if_missing", "keep"}});
    }
    if (rule.score_bands) {
      steps.push_back(
          {{"strategy", "score"},
           {"if_missing", "keep"},
           {"bands", Bands(kScoreBandEdges[0], kScoreBandEdges[1])}});
    }
    if (rule.deal_bands) {
      steps.push_back({{"strategy", "deal_value"},
                       {"if_missing", "keep"},
                       {"bands", Bands(kDealBandEdges[0], kDealBandEdges[1])}});
    }
    if (rule.rotation != rule.id) out["rotation"] = rule.rotation;
  }
  steps.push_back({{"strategy", "availability"}});
  steps.push_back({{"strategy", "round_robin"}});
  out["steps"] = steps;
  return out;
}

std::string RulesJson(const Workload& w) {
  json teams = json::array();
  for (int t = 0; t < w.teams; ++t) {
    teams.push_back({{"id", "team-" + std::to_string(t)},
                     {"name", std::string(kRegionNames[w.team_region[t]]) +
                                  " team " + std::to_string(t)}});
  }
  json reps = json::array();
  for (const RepPlan& rep : w.reps) {
    json r = {{"id", rep.id}, {"tier", kTierNames[rep.tier]}};
    json team_ids = json::array();
    for (int t : rep.teams) team_ids.push_back("team-" + std::to_string(t));
    r["teams"] = team_ids;
    json territories = json::array();
    for (int c = 0; c < kCountries; ++c) {
      if ((rep.countries >> c) & 1)
        territories.push_back(kCountryTable[c].code);
    }
    if (rep.anywhere) territories.push_back("*");
    r["territories"] = territories;
    r["industries"] = rep.industries_star
                          ? json::array({"*"})
                          : Names(rep.industries, kIndustryNames);
    r["products"] = rep.products_star ? json::array({"*"})
                                      : Names(rep.products, kProductNames);
    r["languages"] = rep.languages_star ? json::array({"*"})
                                        : Names(rep.languages, kLanguageNames);
    if (rep.max_open >= 0) r["capacity"] = {{"max_open", rep.max_open}};
    if (!rep.active) r["active"] = false;
    reps.push_back(std::move(r));
  }
  json rules = json::array();
  for (const RulePlan& rule : w.rules) rules.push_back(RuleJson(rule));
  json doc = {
      {"name", "bench workload"}, {"settings", {{"seed", w.spec.seed}}},
      {"teams", teams},           {"reps", reps},
      {"rules", rules},           {"fallback", {{"queue", w.fallback_queue}}}};
  return doc.dump();
}

}  // namespace

const char* CountryName(int country) { return kCountryTable[country].code; }
const char* RegionName(int region) { return kRegionNames[region]; }
const char* IndustryName(int industry) { return kIndustryNames[industry]; }
const char* ProductName(int product) { return kProductNames[product]; }
const char* LanguageName(int language) { return kLanguageNames[language]; }
const char* SourceName(int source) { return kSourceNames[source]; }
const char* TierName(int tier) { return kTierNames[tier]; }
int RegionOf(int country) { return kCountryTable[country].region; }

Lead MakeLead(uint64_t seed, size_t index, LeadRow& row) {
  const Tables& t = GetTables();
  Rng rng(Mix(seed) ^ (index * kGolden));
  row = LeadRow();
  Lead lead("L" + std::to_string(index));
  row.country = static_cast<uint8_t>(t.country.Pick(rng));
  row.region = static_cast<uint8_t>(RegionOf(row.country));
  lead.Set("country", kCountryTable[row.country].code);
  lead.Set("region", kRegionNames[row.region]);
  if (!rng.Chance(0.04)) {
    row.industry = static_cast<uint8_t>(t.industry.Pick(rng));
    lead.Set("industry", kIndustryNames[row.industry]);
  }
  if (!rng.Chance(0.1)) {
    // Log-uniform 1 .. 100,000: most companies are small.
    row.has_employees = true;
    row.employees = static_cast<int32_t>(std::pow(10.0, 5 * rng.Unit()));
    lead.Set("employees", row.employees);
  }
  row.score = std::floor(101 * std::pow(rng.Unit(), 1.5));
  lead.Set("score", static_cast<int>(row.score));
  if (!rng.Chance(0.15)) {
    row.has_deal = true;
    row.deal_value =
        500 * std::round(2 * std::pow(10.0, 3.3 * rng.Unit()));  // 1k .. 2M
    lead.Set("deal_value", row.deal_value);
  }
  if (!rng.Chance(0.08)) {
    int n = 1 + (rng.Chance(0.5) ? 0 : rng.Chance(0.7) ? 1 : 2);
    row.products = static_cast<uint8_t>(DistinctBits(t.product, n, rng));
    std::vector<std::string> products;
    for (int p = 0; p < kProducts; ++p) {
      if ((row.products >> p) & 1) products.emplace_back(kProductNames[p]);
    }
    lead.Set("products", std::move(products));
  }
  double language = rng.Unit();
  if (language < 0.7) {
    row.language = static_cast<uint8_t>(kCountryTable[row.country].language);
  } else if (language < 0.95) {
    row.language = 0;
  }
  if (row.language != kNone) lead.Set("language", kLanguageNames[row.language]);
  row.source = static_cast<uint8_t>(t.source.Pick(rng));
  lead.Set("source", kSourceNames[row.source]);
  return lead;
}

Workload MakeWorkload(const WorkloadSpec& spec) {
  if (spec.rules < 1 || spec.reps < 7) {
    std::fprintf(stderr, "MakeWorkload: need rules >= 1 and reps >= 7\n");
    std::abort();
  }
  const Tables& t = GetTables();
  Workload w;
  w.spec = spec;
  w.fallback_queue = "inbox";
  Rng rng(spec.seed);
  w.teams = std::max(1, (spec.reps + 3) / 7);
  for (int team = 0; team < w.teams; ++team) {
    // The first four teams cover one region each; the rest follow the
    // lead mix.
    w.team_region.push_back(team < kRegions ? team : t.team_region.Pick(rng));
  }
  w.reps = MakeReps(spec, w.teams, w.team_region, rng);
  for (int k = 0; k + 1 < spec.rules; ++k) {
    w.rules.push_back(MakeRule(k, w.teams, w.team_region, rng));
  }
  RulePlan catch_all;
  catch_all.id = "catch-all";
  catch_all.catch_all = true;
  catch_all.rotation = catch_all.id;
  w.rules.push_back(std::move(catch_all));
  w.rules_json = RulesJson(w);

  w.leads.reserve(spec.leads);
  w.rows.resize(spec.leads);
  for (size_t i = 0; i < spec.leads; ++i) {
    // The copy has exactly the capacity its fields need.
    w.leads.push_back(Lead(MakeLead(spec.seed, i, w.rows[i])));
  }
  return w;
}

Router MakeRouter(const Workload& workload, RouterOptions options) {
  Result<RuleSet> rules = RuleSet::FromJson(workload.rules_json);
  if (!rules.ok()) {
    std::fprintf(stderr, "workload rules do not load: %s\n",
                 rules.status().ToString().c_str());
    std::abort();
  }
  return MakeRouter(workload, std::move(rules).value(), std::move(options));
}

Router MakeRouter(const Workload& workload, RuleSet rules,
                  RouterOptions options) {
  Router router = Router::Create(std::move(rules), std::move(options)).value();
  for (const RepPlan& rep : workload.reps) {
    if (rep.presence != RepPresence::kAvailable) {
      Presence p = rep.presence == RepPresence::kAway ? Presence::kAway
                                                      : Presence::kOffline;
      if (!router.SetPresence(rep.id, p).ok()) std::abort();
    }
    for (int k = 0; k < rep.preload; ++k) {
      Assignment open;
      open.lead_id = "pre-" + rep.id + "-" + std::to_string(k);
      open.owner = Owner::Rep(rep.id);
      open.decided_by = "preload";
      ClaimResult recorded = router.state().Record(open);
      if (recorded.outcome != ClaimResult::Outcome::kClaimed) std::abort();
    }
  }
  return router;
}

}  // namespace leadroute::bench
