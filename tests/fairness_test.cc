// Fairness of the rotation pickers over long runs, checked at every prefix
// of the stream rather than only at the end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/router.h"
#include "leadroute/rule_set.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using testing::MakeLead;
using testing::MakeRep;
using testing::MakeRouter;
using testing::MakeRule;
using testing::RuleSetBuilder;

// The largest difference between the counts of `ids`.
int Spread(const std::map<std::string, int>& counts,
           const std::vector<std::string>& ids) {
  int lo = counts.at(ids.front());
  int hi = lo;
  for (const auto& id : ids) {
    lo = std::min(lo, counts.at(id));
    hi = std::max(hi, counts.at(id));
  }
  return hi - lo;
}

std::vector<std::string> RepIds(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back("rep" + std::to_string(i));
  return ids;
}

TEST(Fairness, RoundRobinCountsDifferByAtMostOneAtEveryPrefix) {
  const std::vector<std::string> ids = RepIds(7);
  RuleSetBuilder builder;
  for (const auto& id : ids) builder.Rep(MakeRep(id));
  builder.Rule(MakeRule("r", {steps::RoundRobin()})).FallbackQueue("inbox");
  Router router = MakeRouter(builder);

  std::map<std::string, int> counts;
  for (const auto& id : ids) counts[id] = 0;
  for (int k = 1; k <= 10000; ++k) {
    auto a = router.Route(MakeLead("L" + std::to_string(k)));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(counts.count(a->owner.id)) << a->owner.id;
    ++counts[a->owner.id];
    ASSERT_LE(Spread(counts, ids), 1) << "after lead " << k;
  }
}

TEST(Fairness, RulesSharingARotationStayWithinOne) {
  const std::vector<std::string> ids = RepIds(5);
  RuleSetBuilder builder;
  for (const auto& id : ids) builder.Rep(MakeRep(id));
  builder
      .Rule(MakeRule("inbound", {steps::RoundRobin()}, {},
                     Condition::Eq("source", "inbound"), "sales"))
      .Rule(MakeRule("outbound", {steps::RoundRobin()}, {}, {}, "sales"))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);

  std::map<std::string, int> counts;
  for (const auto& id : ids) counts[id] = 0;
  for (int k = 1; k <= 3000; ++k) {
    // An irregular mix of the two rules.
    const char* source = (k * 7 % 11) < 4 ? "inbound" : "outbound";
    auto a =
        router.Route(MakeLead("L" + std::to_string(k), {{"source", source}}));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ++counts[a->owner.id];
    ASSERT_LE(Spread(counts, ids), 1) << "after lead " << k;
  }
}

TEST(Fairness, WeightedSharesStayWithinTwoOfTheirDueAtEveryPrefix) {
  const std::vector<std::pair<std::string, double>> reps = {
      {"a", 1}, {"b", 2}, {"c", 3}, {"d", 5}};
  double total = 0;
  RuleSetBuilder builder;
  for (const auto& [id, weight] : reps) {
    builder.Rep(MakeRep(id).Weight(weight));
    total += weight;
  }
  builder.Rule(MakeRule("r", {steps::RoundRobin({.weighted = true})}))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);

  std::map<std::string, int> counts;
  for (int k = 1; k <= 10000; ++k) {
    auto a = router.Route(MakeLead("L" + std::to_string(k)));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ++counts[a->owner.id];
    for (const auto& [id, weight] : reps) {
      double due = k * weight / total;
      ASSERT_LE(std::abs(counts[id] - due), 2.0)
          << id << " after lead " << k << ": " << counts[id] << " vs " << due;
    }
  }
}

TEST(Fairness, RoundRobinStaysWithinOneWhenARepGoesOffline) {
  const std::vector<std::string> ids = RepIds(6);
  RuleSetBuilder builder;
  for (const auto& id : ids) builder.Rep(MakeRep(id));
  builder.Rule(MakeRule("r", {steps::Availability(), steps::RoundRobin()}))
      .FallbackQueue("inbox");
  Router router = MakeRouter(builder);

  std::map<std::string, int> counts;
  for (const auto& id : ids) counts[id] = 0;
  std::vector<std::string> remaining(ids.begin(), ids.end());
  const std::string offline = "rep2";
  std::erase(remaining, offline);
  int offline_count = -1;
  for (int k = 1; k <= 6000; ++k) {
    if (k == 2000) {
      ASSERT_TRUE(router.SetPresence(offline, Presence::kOffline).ok());
      offline_count = counts[offline];
    }
    auto a = router.Route(MakeLead("L" + std::to_string(k)));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ++counts[a->owner.id];
    ASSERT_LE(Spread(counts, remaining), 1) << "after lead " << k;
    if (k < 2000) {
      ASSERT_LE(Spread(counts, ids), 1) << "after lead " << k;
    }
  }
  EXPECT_EQ(counts[offline], offline_count);
  EXPECT_EQ(counts.count("inbox"), 0u);
}

}  // namespace
}  // namespace leadroute
