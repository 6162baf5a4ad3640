// A seeded, realistic routing workload for the benchmarks and the tests that
// keep them honest: a RuleSet as a CRM would configure it (JSON text), a
// roster with presence and pre-loaded capacity, and a skewed lead stream.
//
// Everything is generated twice from one plan: once through leadroute's
// public API (rules JSON, Lead objects) and once as plain structs for the
// hand-written baseline (bench/baseline.h), so both sides route the same
// table over the same leads. The same spec and seed give the same workload
// wherever the C library rounds pow() alike (own splitmix64, no std
// distributions). Not thread-safe to build; a built Workload is immutable.
#ifndef LEADROUTE_BENCH_WORKLOAD_H_
#define LEADROUTE_BENCH_WORKLOAD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"

namespace leadroute::bench {

struct WorkloadSpec {
  int rules = 40;  // ordered rules, the final catch-all included; >= 1
  int reps = 200;  // roster size, in about reps / 7 teams; >= 7
  size_t leads = 1'000'000;
  uint64_t seed = 1;
};

// The fixed vocabularies. Ids index these arrays.
inline constexpr int kCountries = 40;
inline constexpr int kRegions = 4;
inline constexpr int kIndustries = 16;
inline constexpr int kProducts = 6;
inline constexpr int kLanguages = 12;
inline constexpr int kSources = 7;
inline constexpr int kTiers = 4;
inline constexpr uint8_t kNone = 0xff;  // a field the lead does not have

const char* CountryName(int country);
const char* RegionName(int region);
const char* IndustryName(int industry);
const char* ProductName(int product);
const char* LanguageName(int language);
const char* SourceName(int source);
const char* TierName(int tier);
int RegionOf(int country);
inline constexpr int kPartnerSource = 2;  // SourceName(2) == "partner"

// One lead with its fields pre-extracted, as a hand-written router would
// hold it after parsing. The matching Lead has exactly these fields.
struct LeadRow {
  uint8_t country = 0;  // always present, as is region
  uint8_t region = 0;
  uint8_t industry = kNone;
  uint8_t language = kNone;
  uint8_t source = 0;    // always present
  uint8_t products = 0;  // bit per product; 0: no `products` field
  bool has_employees = false;
  bool has_deal = false;
  int32_t employees = 0;
  double score = 0;  // always present
  double deal_value = 0;
};

// A numeric condition on one field; kNoTest when the rule has none.
struct NumberTest {
  enum class Op : uint8_t { kNoTest, kGte, kLt, kBetween };
  Op op = Op::kNoTest;
  double lo = 0;  // kGte, kBetween
  double hi = 0;  // kLt, kBetween
};

// One generated rule: an `all` of the tests present, a team pool, and the
// steps in this fixed order: territory, industry, product, language, score
// or deal-value bands, availability, round_robin. The catch-all has no
// tests, every active rep as its pool, availability and round robin, and
// sends the lead to the fallback queue when nobody is available.
struct RulePlan {
  std::string id;
  bool catch_all = false;
  // Condition.
  int8_t region = -1;        // region eq; -1: no test
  uint64_t countries = 0;    // country in (bit per country); 0: none
  uint32_t industries = 0;   // industry in; 0: none
  NumberTest employees;      // employees gte / lt / between
  double score_min = -1;     // score gte; < 0: none
  double deal_min = -1;      // deal_value gte; < 0: none
  uint8_t product = kNone;   // products contains
  uint8_t language = kNone;  // language eq
  uint8_t sources = 0;       // source in (bit per source); 0: none
  bool not_partner = false;  // source ne "partner"
  // Pool and steps.
  int team = -1;  // -1: everyone (catch-all only)
  bool territory = false;
  bool industry = false;
  bool industry_keep = false;    // if_missing keep
  bool product_filter = false;   // if_missing keep
  bool language_filter = false;  // if_missing keep
  bool score_bands = false;      // if_missing keep
  bool deal_bands = false;       // if_missing keep
  std::string rotation;          // rotation key: the rule id or a team id
};

// Tiers a band allows (bit per tier), as the generated bands steps say.
// Score: [-inf, 40), [40, 75), [75, inf). Deal value: [-inf, 25000),
// [25000, 150000), [150000, inf).
inline constexpr double kScoreBandEdges[2] = {40, 75};
inline constexpr double kDealBandEdges[2] = {25000, 150000};
inline constexpr uint8_t kBandTiers[3] = {0b0011, 0b0110, 0b1100};

enum class RepPresence : uint8_t { kAvailable, kAway, kOffline };

struct RepPlan {
  std::string id;
  std::vector<int> teams;
  int tier = 0;
  uint64_t countries = 0;   // bit per country in `territories`
  bool anywhere = false;    // "*" in territories
  uint32_t industries = 0;  // all bits when "*"
  uint32_t products = 0;    // all bits when "*"
  uint32_t languages = 0;   // all bits when "*"
  bool industries_star = false;
  bool products_star = false;
  bool languages_star = false;
  int max_open = -1;  // -1: uncapped
  int preload = 0;    // open leads recorded before routing starts
  bool active = true;
  RepPresence presence = RepPresence::kAvailable;
};

struct Workload {
  WorkloadSpec spec;
  int teams = 0;
  std::vector<int> team_region;  // by team
  std::vector<RepPlan> reps;     // roster order
  std::vector<RulePlan> rules;   // chain order
  std::string fallback_queue;
  // The configuration as a CRM would store it (docs/config.md).
  std::string rules_json;
  // spec.leads leads; leads[i] and rows[i] describe the same lead.
  std::vector<Lead> leads;
  std::vector<LeadRow> rows;
};

// Builds the workload; aborts on an invalid spec.
Workload MakeWorkload(const WorkloadSpec& spec);

// Lead `index` of the stream of `seed` (what MakeWorkload puts in
// leads[index] and rows[index]), for streaming more leads than fit in
// memory. Its id is "L<index>": short enough for std::string's inline
// buffer below 10^14, so copying it never allocates.
Lead MakeLead(uint64_t seed, size_t index, LeadRow& row);

// A Router on `workload`: its RuleSet, every rep's presence set and the
// pre-loaded reps' open leads recorded (as lead ids "pre-<rep>-<k>").
// Aborts when the rules do not load.
Router MakeRouter(const Workload& workload, RouterOptions options = {});
// The same with `rules` in place of workload.rules_json (e.g. the rules
// compiled with a host's strategy registry).
Router MakeRouter(const Workload& workload, RuleSet rules,
                  RouterOptions options = {});

}  // namespace leadroute::bench

#endif  // LEADROUTE_BENCH_WORKLOAD_H_
