// The benchmark workload (bench/workload.h) and the hand-written baseline
// (bench/baseline.h): the baseline must make leadroute's decisions on the
// same lead stream, or the ratio `make bench` reports compares different
// work.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "bench/baseline.h"
#include "bench/workload.h"
#include "leadroute/leadroute.h"

namespace leadroute::bench {
namespace {

constexpr uint64_t kSeed = 20260603;
constexpr size_t kLeads = 10'000;
constexpr size_t kReleaseBatch = 1'000;

struct Variant {
  int rules;
  int reps;
};

class BaselineAgrees : public ::testing::TestWithParam<Variant> {};

// Routes the first kLeads leads through both, releasing every batch of
// kReleaseBatch decisions on both sides (as the benchmarks do), and compares
// owner and rule lead by lead.
TEST_P(BaselineAgrees, OnTheFirstLeadsOfTheStream) {
  const Variant v = GetParam();
  Workload w = MakeWorkload(
      {.rules = v.rules, .reps = v.reps, .leads = kLeads, .seed = kSeed});
  Router router = MakeRouter(w);
  Baseline baseline(w);

  std::vector<Baseline::Decision> batch;
  std::set<std::string> rules_used;
  size_t fallback = 0;
  size_t mismatches = 0;
  for (size_t i = 0; i < w.leads.size(); ++i) {
    Result<Assignment> got = router.Route(w.leads[i]);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    Baseline::Decision want = baseline.Route(w.rows[i]);
    std::string want_owner =
        want.rep >= 0 ? w.reps[want.rep].id : w.fallback_queue;
    std::string want_rule = want.rule >= 0 ? w.rules[want.rule].id : "";
    if (got->owner.id != want_owner || got->rule_id != want_rule) {
      ++mismatches;
      ADD_FAILURE() << "lead " << i << " " << w.leads[i].ToJson()
                    << ": leadroute " << got->owner.id << " by " << got->rule_id
                    << ", baseline " << want_owner << " by " << want_rule;
      ASSERT_LT(mismatches, 5u) << "stopping after 5 mismatches";
    }
    EXPECT_EQ(got->fallback, want.rep < 0);
    rules_used.insert(got->rule_id);
    fallback += got->fallback ? 1 : 0;
    batch.push_back(want);
    if (batch.size() == kReleaseBatch) {
      for (size_t k = i + 1 - kReleaseBatch; k <= i; ++k) {
        ASSERT_TRUE(router.Release(w.leads[k].id()).ok());
      }
      for (Baseline::Decision d : batch) baseline.Release(d);
      batch.clear();
    }
  }
  // The comparison exercises the table: many rules decide, and with up to
  // 40 rules some leads reach the catch-all.
  EXPECT_GE(rules_used.size(), static_cast<size_t>(std::min(v.rules, 8)));
  if (v.rules <= 40) {
    EXPECT_TRUE(rules_used.count("catch-all"));
  }
  EXPECT_LT(fallback, w.leads.size() / 2);
}

INSTANTIATE_TEST_SUITE_P(Variants, BaselineAgrees,
                         ::testing::Values(Variant{40, 200}, Variant{10, 50},
                                           Variant{200, 200},
                                           Variant{40, 2000}),
                         [](const auto& info) {
                           return std::to_string(info.param.rules) + "rules_" +
                                  std::to_string(info.param.reps) + "reps";
                         });

TEST(Workload, IsDeterministicPerSeed) {
  Workload a = MakeWorkload({.rules = 40, .reps = 200, .leads = 50, .seed = 7});
  Workload b = MakeWorkload({.rules = 40, .reps = 200, .leads = 50, .seed = 7});
  Workload c = MakeWorkload({.rules = 40, .reps = 200, .leads = 50, .seed = 8});
  EXPECT_EQ(a.rules_json, b.rules_json);
  EXPECT_NE(a.rules_json, c.rules_json);
  for (size_t i = 0; i < a.leads.size(); ++i) {
    EXPECT_EQ(a.leads[i].ToJson(), b.leads[i].ToJson());
  }
  LeadRow row;
  EXPECT_EQ(MakeLead(7, 49, row).ToJson(), a.leads[49].ToJson());
}

TEST(Workload, HasTheShapeOfTheSpec) {
  Workload w =
      MakeWorkload({.rules = 40, .reps = 200, .leads = 20'000, .seed = kSeed});
  ASSERT_EQ(w.rules.size(), 40u);
  ASSERT_EQ(w.reps.size(), 200u);
  EXPECT_EQ(w.teams, 29);
  EXPECT_TRUE(w.rules.back().catch_all);
  int inactive = 0;
  int at_cap = 0;
  for (const RepPlan& rep : w.reps) {
    inactive += rep.active ? 0 : 1;
    at_cap += rep.max_open >= 0 && rep.preload == rep.max_open ? 1 : 0;
  }
  EXPECT_EQ(inactive, 2);
  EXPECT_GE(at_cap, 3);
  // Skewed: the most common country and industry dominate.
  std::vector<int> countries(kCountries), industries(kIndustries);
  for (const LeadRow& row : w.rows) {
    ++countries[row.country];
    if (row.industry != kNone) ++industries[row.industry];
  }
  EXPECT_GT(countries[0], 20'000 / 5);
  EXPECT_LT(countries[kCountries - 1], 20'000 / 100);
  EXPECT_GT(industries[0], 20'000 / 6);
  // The rules load as JSON, and each lead carries exactly its row's fields.
  EXPECT_TRUE(RuleSet::FromJson(w.rules_json).ok());
  const Lead& lead = w.leads[0];
  EXPECT_EQ(lead.Find("country")->as_string(), CountryName(w.rows[0].country));
  EXPECT_EQ(lead.Find("industry") != nullptr, w.rows[0].industry != kNone);
  EXPECT_EQ(lead.Find("employees") != nullptr, w.rows[0].has_employees);
}

}  // namespace
}  // namespace leadroute::bench
