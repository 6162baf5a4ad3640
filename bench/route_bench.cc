// Routing throughput on a mid-sized table: 200 reps in 8 teams, 12 rules
// with conditions on country, score and industry, each narrowing by
// territory, industry and availability before round robin. The full
// workload generator and the hand-written baseline come with the hot-path
// work (issue 3); this measures the core as it stands.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

const std::vector<std::string> kCountries = {"DE", "FR", "GB", "US",
                                             "JP", "BR", "IN", "AU"};
const std::vector<std::string> kIndustries = {"saas", "retail", "bank",
                                              "health", "manufacturing"};

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

RuleSet MakeRules() {
  testing::RuleSetBuilder b;
  for (int t = 0; t < 8; ++t) b.Team("team" + std::to_string(t));
  for (int r = 0; r < 200; ++r) {
    uint64_t h = Mix(r);
    b.Rep(testing::MakeRep("rep" + std::to_string(r),
                           {"team" + std::to_string(r % 8)})
              .Territories({kCountries[h % 8], kCountries[(h >> 8) % 8]})
              .Industries({kIndustries[(h >> 16) % 5], "*"})
              .Weight(1 + double((h >> 24) % 3)));
  }
  for (int i = 0; i < 12; ++i) {
    Rule rule;
    rule.id = "rule" + std::to_string(i);
    rule.when = i % 3 == 0   ? Condition::Eq("country", kCountries[i % 8])
                : i % 3 == 1 ? Condition::Gte("score", 40 + i * 4)
                             : Condition::In("industry", {kIndustries[i % 5]});
    rule.pool = Pool::Team("team" + std::to_string(i % 8));
    rule.steps = {steps::Territory(), steps::Industry(steps::IfMissing::kKeep),
                  steps::Availability(), steps::RoundRobin()};
    b.Rule(rule);
  }
  b.Rule({.id = "catch_all", .steps = {steps::RoundRobin()}});
  b.FallbackQueue("inbox");
  return b.Build().value();
}

std::vector<Lead> MakeLeads(size_t n) {
  std::vector<Lead> leads;
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = Mix(i + 1000);
    leads.push_back(
        testing::MakeLead("L" + std::to_string(i),
                          {{"country", kCountries[h % 8]},
                           {"industry", kIndustries[(h >> 8) % 5]},
                           {"score", static_cast<int>((h >> 16) % 100)}}));
  }
  return leads;
}

// Route a fresh lead and release it: steady state, one decision each.
void BM_RouteAndRelease200Reps(benchmark::State& state) {
  Router router = Router::Create(MakeRules()).value();
  std::vector<Lead> leads = MakeLeads(4096);
  size_t i = 0;
  for (auto _ : state) {
    const Lead& lead = leads[i++ & 4095];
    auto a = router.Route(lead);
    benchmark::DoNotOptimize(a);
    (void)router.Release(lead.id());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteAndRelease200Reps);

// A retry: the recorded decision comes back without routing.
void BM_RouteRepeated(benchmark::State& state) {
  Router router = Router::Create(MakeRules()).value();
  Lead lead = MakeLeads(1)[0];
  (void)router.Route(lead);
  for (auto _ : state) {
    auto a = router.Route(lead);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteRepeated);

void BM_CompileRuleSet200Reps(benchmark::State& state) {
  for (auto _ : state) {
    RuleSet rules = MakeRules();
    benchmark::DoNotOptimize(rules);
  }
}
BENCHMARK(BM_CompileRuleSet200Reps);

}  // namespace
}  // namespace leadroute
