// The `performance` picker and Router::RecordOutcome
// (docs/cookbook/performance.md): weights from smoothed conversion rates,
// the floor, segments, the prior, and outcomes in saved state.
//
// Outcome histories are set by loading a saved state with an "outcomes"
// array (the same path SaveState/LoadState take), so a test can give a rep
// 1,000 outcomes without routing them; RecordOutcome is tested on its own.
// Picks are smooth weighted round robin: deterministic, and every rep's
// count over N leads is within one of N x its share.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/outcome.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeLead;

// Reps (id, weight) in team "t", one rule whose only step is `step` (a
// JSON object), fallback queue "inbox".
std::string RulesJson(const std::vector<std::pair<std::string, double>>& reps,
                      const std::string& step,
                      const std::string& extra_rep_fields = "") {
  std::string json = R"({"teams": [{"id": "t"}], "reps": [)";
  for (size_t i = 0; i < reps.size(); ++i) {
    if (i > 0) json += ", ";
    json += R"({"id": ")" + reps[i].first + R"(", "teams": ["t"], "weight": )" +
            std::to_string(reps[i].second) + extra_rep_fields + "}";
  }
  json += R"(], "rules": [{"id": "r", "pool": {"teams": ["t"]}, "steps": [)" +
          step + R"(]}], "fallback": {"queue": "inbox"}})";
  return json;
}

// Routers on a fixed clock, so that equal states save to equal text.
Router MakeRouter(const std::string& rules_json) {
  auto rules = RuleSet::FromJson(rules_json);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  RouterOptions options;
  options.clock = std::make_shared<testing::FakeClock>(
      *ParseInstant("2026-03-02T09:00:00Z"));
  auto router = Router::Create(std::move(rules).value(), std::move(options));
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

// A saved state holding only `outcomes` (the JSON array's items).
std::string StateWithOutcomes(const std::string& outcomes) {
  return R"({"format": "leadroute-state", "version": 1, "sequence": 0,
             "reps": [], "rotations": [], "leads": [], "outcomes": [)" +
         outcomes + "]}";
}

std::string Tally(const std::string& rep, int converted, int lost,
                  const std::string& segment = "", double value = 0) {
  std::string json = R"({"rep": ")" + rep + R"(")";
  if (!segment.empty()) json += R"(, "segment": ")" + segment + R"(")";
  return json + R"(, "converted": )" + std::to_string(converted) +
         R"(, "lost": )" + std::to_string(lost) + R"(, "value": )" +
         std::to_string(value) + "}";
}

void LoadOutcomes(Router& router, const std::string& outcomes) {
  Status loaded = router.state().LoadSnapshot(StateWithOutcomes(outcomes));
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
}

// Routes `n` new leads (ids prefix0...), each with `fields`, and counts the
// owners.
std::map<std::string, int> CountOwners(
    Router& router, int n, const std::string& prefix = "L",
    std::initializer_list<std::pair<std::string, Value>> fields = {}) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    auto a = router.Route(MakeLead(prefix + std::to_string(i), fields));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    if (a.ok()) ++counts[a->owner.id];
  }
  return counts;
}

// The smoothed rate with the default prior (rate 0.1, strength 20).
double Smoothed(double converted, double leads) {
  return (converted + 0.1 * 20) / (leads + 20);
}

constexpr char kPerformance[] = R"({"strategy": "performance"})";

TEST(PerformancePicker, BetterConverterGetsMoreAndTheOtherKeepsItsShare) {
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, kPerformance));
  LoadOutcomes(router, Tally("a", 300, 700) + "," + Tally("b", 100, 900));
  std::map<std::string, int> counts = CountOwners(router, 10000);
  const double a = Smoothed(300, 1000), b = Smoothed(100, 1000);
  // 0.296 vs 0.100: a gets about 3/4 of the leads, b the rest, well above
  // the 5% floor.
  EXPECT_NEAR(counts["a"], 10000 * a / (a + b), 1.0);
  EXPECT_NEAR(counts["b"], 10000 * b / (a + b), 1.0);
  EXPECT_GT(counts["a"], 2 * counts["b"]);
  EXPECT_GE(counts["b"], 500);
}

TEST(PerformancePicker, FloorKeepsARepWithNoConversionsInTheGame) {
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, kPerformance));
  // b converted nothing in 1,000: its smoothed share would be 0.7%.
  LoadOutcomes(router, Tally("a", 300, 700) + "," + Tally("b", 0, 1000));
  std::map<std::string, int> counts = CountOwners(router, 10000);
  EXPECT_NEAR(counts["b"], 500, 1.0);  // exactly the 5% floor
  EXPECT_NEAR(counts["a"], 9500, 1.0);
}

TEST(PerformancePicker, FloorIsConfigurableAndCappedAtAnEqualShare) {
  Router tight = MakeRouter(RulesJson(
      {{"a", 1}, {"b", 1}}, R"({"strategy": "performance", "floor": 0.2})"));
  LoadOutcomes(tight, Tally("a", 300, 700) + "," + Tally("b", 0, 1000));
  EXPECT_NEAR(CountOwners(tight, 1000)["b"], 200, 1.0);

  // A floor of 0.9 with two reps is capped at 1/2: an equal split.
  Router capped = MakeRouter(RulesJson(
      {{"a", 1}, {"b", 1}}, R"({"strategy": "performance", "floor": 0.9})"));
  LoadOutcomes(capped, Tally("a", 300, 700) + "," + Tally("b", 0, 1000));
  std::map<std::string, int> counts = CountOwners(capped, 1000);
  EXPECT_EQ(counts["a"], 500);
  EXPECT_EQ(counts["b"], 500);
}

// Found by the differential test: weights 0.5, 3, 0.5 under a capped floor
// became 1/3, 1 - 2/3 and 1/3, and the rounding (1 - 2/3 > 1/3) gave ties to
// b; even exact thirds drift in the counters. An equal split weighs every
// rep 1: a, b, c in roster order, then again.
TEST(PerformancePicker, CappedFloorIsAnExactlyEqualSplit) {
  Router router = MakeRouter(RulesJson({{"a", 0.5}, {"b", 3}, {"c", 0.5}},
                                       R"({"strategy": "performance",
                                           "floor": 0.9})"));
  std::vector<std::string> owners;
  for (int i = 0; i < 6; ++i) {
    owners.push_back(
        router.Route(MakeLead("L" + std::to_string(i))).value().owner.id);
  }
  EXPECT_THAT(owners, ElementsAre("a", "b", "c", "a", "b", "c"));
}

TEST(PerformancePicker, WithNoOutcomesPicksExactlyAsWeightedRoundRobin) {
  const std::vector<std::pair<std::string, double>> reps = {
      {"a", 1}, {"b", 2}, {"c", 3}, {"d", 0.5}};
  Router performance = MakeRouter(RulesJson(reps, kPerformance));
  Router weighted = MakeRouter(
      RulesJson(reps, R"({"strategy": "round_robin", "weighted": true})"));
  std::vector<std::string> got = testing::RouteMany(performance, 1000);
  std::vector<std::string> want = testing::RouteMany(weighted, 1000);
  EXPECT_EQ(got, want);
  // Not a trivial sequence: every rep appears, in proportion to weight.
  std::map<std::string, int> counts;
  for (const std::string& owner : got) ++counts[owner];
  EXPECT_NEAR(counts["c"], 1000 * 3 / 6.5, 1.0);
  EXPECT_NEAR(counts["d"], 1000 * 0.5 / 6.5, 1.0);
}

TEST(PerformancePicker, ANewRepGetsThePriorRateShare) {
  Router router =
      MakeRouter(RulesJson({{"a", 1}, {"b", 1}, {"new", 1}}, kPerformance));
  LoadOutcomes(router, Tally("a", 300, 700) + "," + Tally("b", 100, 900));
  std::map<std::string, int> counts = CountOwners(router, 10000);
  // No history scores the prior rate, 0.1: the same as b's 100/1000.
  const double a = Smoothed(300, 1000), b = Smoothed(100, 1000), n = 0.1;
  EXPECT_NEAR(counts["new"], 10000 * n / (a + b + n), 1.0);
  EXPECT_NEAR(counts["new"], counts["b"], 2.0);
  EXPECT_GT(counts["new"], 1900);
}

TEST(PerformancePicker, OneLuckyDealDoesNotDominate) {
  Router router =
      MakeRouter(RulesJson({{"lucky", 1}, {"steady", 1}}, kPerformance));
  // 1 out of 1 (100% raw) against 30 out of 100.
  LoadOutcomes(router, Tally("lucky", 1, 0) + "," + Tally("steady", 30, 70));
  std::map<std::string, int> counts = CountOwners(router, 10000);
  const double lucky = Smoothed(1, 1), steady = Smoothed(30, 100);
  EXPECT_NEAR(lucky, 0.143, 0.001);  // near the prior, far from 100%
  EXPECT_NEAR(counts["lucky"], 10000 * lucky / (lucky + steady), 1.0);
  EXPECT_GT(counts["steady"], counts["lucky"]);
}

TEST(PerformancePicker, PriorStrengthControlsTheShrinkage) {
  // With no prior (strength 0) the raw rates decide: 1/1 beats 30/100.
  Router router = MakeRouter(RulesJson(
      {{"lucky", 1}, {"steady", 1}},
      R"({"strategy": "performance", "prior": {"rate": 0.1, "strength": 0}})"));
  LoadOutcomes(router, Tally("lucky", 1, 0) + "," + Tally("steady", 30, 70));
  std::map<std::string, int> counts = CountOwners(router, 1300);
  EXPECT_NEAR(counts["lucky"], 1000, 1.0);  // 1 / (1 + 0.3)
}

TEST(PerformancePicker, PerSegmentRatesSendEachSegmentToItsBestRep) {
  Router router = MakeRouter(
      RulesJson({{"a", 1}, {"b", 1}},
                R"({"strategy": "performance", "segment": "industry"})"));
  // The same overall (70/400), opposite per industry.
  LoadOutcomes(router, Tally("a", 70, 330) + "," +
                           Tally("a", 60, 140, "industry=saas") + "," +
                           Tally("a", 10, 190, "industry=retail") + "," +
                           Tally("b", 70, 330) + "," +
                           Tally("b", 10, 190, "industry=saas") + "," +
                           Tally("b", 60, 140, "industry=retail"));
  std::map<std::string, int> saas =
      CountOwners(router, 2000, "S", {{"industry", "saas"}});
  std::map<std::string, int> retail =
      CountOwners(router, 2000, "R", {{"industry", "retail"}});
  std::map<std::string, int> other =
      CountOwners(router, 2000, "O", {{"industry", "mining"}});
  // The segment score shrinks toward the rep's overall score (the prior
  // of the segment): (60 + 0.178 * 20) / 220 vs (10 + 0.178 * 20) / 220.
  const double overall = Smoothed(70, 400);
  const double best = (60 + overall * 20) / 220;
  const double worst = (10 + overall * 20) / 220;
  EXPECT_NEAR(saas["a"], 2000 * best / (best + worst), 1.0);
  EXPECT_NEAR(retail["b"], 2000 * best / (best + worst), 1.0);
  EXPECT_GT(saas["a"], 2 * saas["b"]);
  EXPECT_GT(retail["b"], 2 * retail["a"]);
  // A segment with no history: both at their (equal) overall score.
  EXPECT_EQ(other["a"], 1000);
  EXPECT_EQ(other["b"], 1000);
}

TEST(PerformancePicker, MinSegmentLeadsLetsTheSegmentStandAlone) {
  const std::string step =
      R"({"strategy": "performance", "segment": "industry",
          "min_segment_leads": 100})";
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, step));
  // a: great overall, poor in saas with enough saas history to stand
  // alone; b: average everywhere.
  LoadOutcomes(router, Tally("a", 500, 500) + "," +
                           Tally("a", 10, 190, "industry=saas") + "," +
                           Tally("b", 100, 400) + "," +
                           Tally("b", 40, 160, "industry=saas"));
  std::map<std::string, int> saas =
      CountOwners(router, 1000, "S", {{"industry", "saas"}});
  // Alone: (10 + 2) / 220 vs (40 + 2) / 220, a's 50% overall ignored.
  EXPECT_NEAR(saas["a"], 1000 * 12.0 / 54.0, 1.0);
}

TEST(PerformancePicker, ValueMetricWeightsByValuePerLead) {
  Router router = MakeRouter(
      RulesJson({{"a", 1}, {"b", 1}},
                R"({"strategy": "performance", "metric": "value"})"));
  // Same conversions; a's deals are worth three times as much.
  LoadOutcomes(router, Tally("a", 50, 50, "", 300000) + "," +
                           Tally("b", 50, 50, "", 100000));
  std::map<std::string, int> counts = CountOwners(router, 1000);
  // Team mean 2,000 per lead: (300000 + 2000 * 20) / 120 vs
  // (100000 + 2000 * 20) / 120.
  EXPECT_NEAR(counts["a"], 1000 * 340.0 / 480.0, 1.0);
}

TEST(PerformancePicker, RespectsCapacity) {
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, kPerformance,
                                       R"(, "capacity": {"max_open": 3})"));
  LoadOutcomes(router, Tally("a", 900, 100) + "," + Tally("b", 0, 1000));
  std::map<std::string, int> counts = CountOwners(router, 8);
  EXPECT_EQ(counts["a"], 3);
  EXPECT_EQ(counts["b"], 3);
  EXPECT_EQ(counts["inbox"], 2);
}

TEST(PerformancePicker, ExplainShowsThePerformanceOrderAndRunnerUp) {
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, kPerformance));
  LoadOutcomes(router, Tally("a", 300, 700) + "," + Tally("b", 100, 900));
  auto trace = router.Explain(MakeLead("L1"));
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  ASSERT_EQ(trace->rules.size(), 1u);
  const std::vector<TraceStep>& steps = trace->rules[0].steps;
  ASSERT_FALSE(steps.empty());
  ASSERT_TRUE(steps.back().pick.has_value());
  EXPECT_EQ(steps.back().pick->order, "performance");
  EXPECT_EQ(steps.back().pick->rep, "a");
  EXPECT_EQ(steps.back().pick->runner_up, "b");
  // Explain matched the route it predicted.
  EXPECT_EQ(router.Route(MakeLead("L1"))->owner.id, "a");
}

TEST(RecordOutcome, CreditsTheOwnerAndClosesTheLead) {
  Router router = MakeRouter(RulesJson(
      {{"a", 1}}, R"({"strategy": "performance", "segment": "industry"})"));
  ASSERT_EQ(router.Route(MakeLead("L1", {{"industry", "saas"}}))->owner.id,
            "a");
  ASSERT_EQ(router.Route(MakeLead("L2"))->owner.id, "a");
  EXPECT_EQ(router.state().Get("a").open, 2);

  ASSERT_TRUE(router.RecordOutcome("L1", Outcome::Converted(5000)).ok());
  EXPECT_FALSE(router.Find("L1").has_value());
  EXPECT_EQ(router.state().Get("a").open, 1);
  ASSERT_TRUE(router.RecordOutcome("L2", Outcome::Lost()).ok());
  EXPECT_EQ(router.state().Get("a").open, 0);

  EXPECT_EQ(router.state().Outcomes("a", ""), (OutcomeStats{1, 1, 5000}));
  // L2 had no industry: it counts overall only.
  EXPECT_EQ(router.state().Outcomes("a", "industry=saas"),
            (OutcomeStats{1, 0, 5000}));
  EXPECT_EQ(router.state().Outcomes("b", ""), OutcomeStats{});
  // Closed: a second outcome for the same lead is unknown.
  EXPECT_EQ(router.RecordOutcome("L1", Outcome::Lost()).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(router.state().Outcomes("a", ""), (OutcomeStats{1, 1, 5000}));
}

TEST(RecordOutcome, RejectsUnknownLeadsAndBadValues) {
  Router router = MakeRouter(RulesJson({{"a", 1}}, kPerformance));
  EXPECT_EQ(router.RecordOutcome("nope", Outcome::Lost()).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(router.Route(MakeLead("L1")).ok());
  for (double bad : {-1.0, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    Status status = router.RecordOutcome("L1", Outcome::Converted(bad));
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("finite"));
  }
  // Nothing was recorded and the lead is still open.
  EXPECT_TRUE(router.Find("L1").has_value());
  EXPECT_EQ(router.state().Outcomes("a", ""), OutcomeStats{});
}

TEST(RecordOutcome, AQueueOwnerIsClosedWithoutCredit) {
  // Nobody in the pool: the lead goes to the fallback queue.
  Router router =
      MakeRouter(RulesJson({{"a", 1}}, kPerformance, R"(, "active": false)"));
  ASSERT_EQ(router.Route(MakeLead("L1"))->owner, Owner::Queue("inbox"));
  EXPECT_TRUE(router.RecordOutcome("L1", Outcome::Converted(10)).ok());
  EXPECT_FALSE(router.Find("L1").has_value());
  EXPECT_EQ(router.state().Outcomes("inbox", ""), OutcomeStats{});
  EXPECT_EQ(router.state().SaveSnapshot()->find("outcomes"), std::string::npos);
}

TEST(RecordOutcome, FeedsThePicker) {
  Router router = MakeRouter(RulesJson({{"a", 1}, {"b", 1}}, kPerformance));
  // Route 400 leads (alternating a, b); a converts all of its, b none.
  for (int i = 0; i < 400; ++i) {
    const std::string id = "F" + std::to_string(i);
    auto a = router.Route(MakeLead(id));
    ASSERT_TRUE(a.ok());
    Outcome outcome =
        a->owner.id == "a" ? Outcome::Converted(100) : Outcome::Lost();
    ASSERT_TRUE(router.RecordOutcome(id, outcome).ok());
  }
  OutcomeStats a = router.state().Outcomes("a", "");
  OutcomeStats b = router.state().Outcomes("b", "");
  EXPECT_EQ(a.lost, 0);
  EXPECT_EQ(b.converted, 0);
  EXPECT_EQ(a.converted + b.lost, 400);
  EXPECT_GT(a.converted, b.lost);  // a pulled ahead as outcomes came in
  std::map<std::string, int> counts = CountOwners(router, 1000);
  EXPECT_GT(counts["a"], 900);
  EXPECT_GE(counts["b"], 49);  // the floor
}

TEST(RecordOutcome, WithoutOutcomeSupportInTheStore) {
  // A host store that keeps no outcomes (the StateStore defaults).
  class NoOutcomes final : public StateStore {
   public:
    explicit NoOutcomes(std::unique_ptr<StateStore> inner)
        : inner_(std::move(inner)) {}
    std::string_view Name() const noexcept override { return "host"; }
    Status Attach(const Roster& r) noexcept override {
      return inner_->Attach(r);
    }
    RepStatus Read(const Roster& r, RepIndex i) const noexcept override {
      return inner_->Read(r, i);
    }
    ClaimResult Claim(const ClaimRequest& q) noexcept override {
      return inner_->Claim(q);
    }
    RepIndex Peek(const ClaimRequest& q) const noexcept override {
      return inner_->Peek(q);
    }
    using StateStore::Record;
    ClaimResult Record(const Assignment& d, const Lead* l,
                       const Replacement* r) noexcept override {
      return inner_->Record(d, l, r);
    }
    std::optional<Assignment> Find(std::string_view id) const override {
      return inner_->Find(id);
    }
    std::optional<LeadRecord> FindRecord(std::string_view id) const override {
      return inner_->FindRecord(id);
    }
    void ForEachRecord(
        const std::function<void(const LeadRecord&)>& fn) const override {
      inner_->ForEachRecord(fn);
    }
    Result<Assignment> Transfer(std::string_view id, Owner to,
                                Instant at) noexcept override {
      return inner_->Transfer(id, std::move(to), at);
    }
    Status Reconcile(std::string_view id, int32_t n) noexcept override {
      return inner_->Reconcile(id, n);
    }
    Status SetClaimHistory(std::string_view id,
                           std::span<const Instant> c) noexcept override {
      return inner_->SetClaimHistory(id, c);
    }
    Result<std::string> SaveSnapshot() const override {
      return inner_->SaveSnapshot();
    }
    Status LoadSnapshot(std::string_view json) override {
      return inner_->LoadSnapshot(json);
    }
    Result<Assignment> Release(std::string_view id) noexcept override {
      return inner_->Release(id);
    }
    Status SetPresence(std::string_view id, Presence p) noexcept override {
      return inner_->SetPresence(id, p);
    }
    RepStatus Get(std::string_view id) const noexcept override {
      return inner_->Get(id);
    }

   private:
    std::unique_ptr<StateStore> inner_;
  };
  RouterOptions options;
  options.state = std::make_shared<NoOutcomes>(NewInMemoryStateStore());
  auto rules = RuleSet::FromJson(RulesJson({{"a", 1}, {"b", 1}}, kPerformance));
  ASSERT_TRUE(rules.ok());
  auto router = Router::Create(std::move(rules).value(), std::move(options));
  ASSERT_TRUE(router.ok());
  // The picker still routes (every rep at the prior: weighted round robin).
  EXPECT_THAT(testing::RouteMany(*router, 4), ElementsAre("a", "b", "a", "b"));
  EXPECT_EQ(router->RecordOutcome("L0", Outcome::Lost()).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(router->Find("L0").has_value());  // not closed
}

TEST(OutcomesInSavedState, SurviveSaveStateAndLoadState) {
  const std::string rules =
      RulesJson({{"a", 1}, {"b", 1}},
                R"({"strategy": "performance", "segment": "industry"})");
  Router first = MakeRouter(rules);
  for (int i = 0; i < 20; ++i) {
    const std::string id = "L" + std::to_string(i);
    ASSERT_TRUE(first.Route(MakeLead(id, {{"industry", "saas"}})).ok());
    ASSERT_TRUE(first
                    .RecordOutcome(id, i % 3 == 0 ? Outcome::Converted(12.5)
                                                  : Outcome::Lost())
                    .ok());
  }
  const std::string path = ::testing::TempDir() + "performance_state." +
                           std::to_string(::getpid()) + ".json";
  ASSERT_TRUE(first.SaveState(path).ok());

  Router second = MakeRouter(rules);
  ASSERT_TRUE(second.LoadState(path).ok());
  std::filesystem::remove(path);
  for (const char* rep : {"a", "b"}) {
    for (const char* segment : {"", "industry=saas"}) {
      EXPECT_EQ(second.state().Outcomes(rep, segment),
                first.state().Outcomes(rep, segment))
          << rep << " " << segment;
    }
  }
  OutcomeStats a = second.state().Outcomes("a", "");
  OutcomeStats b = second.state().Outcomes("b", "");
  EXPECT_EQ(a.leads() + b.leads(), 20);
  EXPECT_EQ(a.converted + b.converted, 7);
  EXPECT_DOUBLE_EQ(a.value + b.value, 7 * 12.5);
  // The same state routes the same way.
  EXPECT_EQ(testing::RouteMany(first, 50, "N"),
            testing::RouteMany(second, 50, "N"));
  // And saves to the same document.
  EXPECT_TRUE(first.state().SaveSnapshot().value() ==
              second.state().SaveSnapshot().value());
}

TEST(OutcomesInSavedState, ABadEntryIsRejectedWithItsPathAndNothingLoads) {
  Router router = MakeRouter(RulesJson({{"a", 1}}, kPerformance));
  LoadOutcomes(router, Tally("a", 3, 4));
  const std::string bad = StateWithOutcomes(
      Tally("a", 1, 1) + "," +
      R"({"rep": "a", "segment": "industry", "converted": -1, "lost": 0,
          "value": -5, "lots": 1},
         {"rep": "", "converted": 1.5, "lost": 0, "value": 0},
         {"rep": "a", "converted": 9, "lost": 9, "value": 0},
         "text")");
  Status status = router.state().LoadSnapshot(bad);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(
      testing::Paths(status),
      ::testing::UnorderedElementsAre(
          "/outcomes/1/lots", "/outcomes/1/segment", "/outcomes/1/converted",
          "/outcomes/1/value", "/outcomes/2/rep", "/outcomes/2/converted",
          "/outcomes/3", "/outcomes/4"))
      << status.ToString();
  // Nothing was half-loaded.
  EXPECT_EQ(router.state().Outcomes("a", ""), (OutcomeStats{3, 4, 0}));

  Status not_array = router.state().LoadSnapshot(
      R"({"format": "leadroute-state", "version": 1, "sequence": 0,
          "reps": [], "rotations": [], "leads": [], "outcomes": {}})");
  EXPECT_THAT(testing::Paths(not_array), ElementsAre("/outcomes"));
}

TEST(OutcomesInSavedState, AFileWithoutOutcomesStillLoadsAndClearsThem) {
  Router router = MakeRouter(RulesJson({{"a", 1}}, kPerformance));
  LoadOutcomes(router, Tally("a", 3, 4));
  ASSERT_TRUE(router.state()
                  .LoadSnapshot(R"({"format": "leadroute-state", "version": 1,
                                    "sequence": 0, "reps": [],
                                    "rotations": [], "leads": []})")
                  .ok());
  EXPECT_EQ(router.state().Outcomes("a", ""), OutcomeStats{});
}

TEST(PerformanceConfig, ErrorsHaveTheirPaths) {
  const std::string step = R"({"strategy": "performance",
      "metric": "revenue", "floor": 1, "segment": "",
      "prior": {"rate": 2, "strength": -1, "mean": 3},
      "min_segment_leads": 0, "florr": 0.1})";
  auto rules = RuleSet::FromJson(RulesJson({{"a", 1}}, step));
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(testing::Paths(rules.status()),
              ::testing::IsSupersetOf({
                  "/rules/0/steps/0/metric",
                  "/rules/0/steps/0/floor",
                  "/rules/0/steps/0/segment",
                  "/rules/0/steps/0/prior/rate",
                  "/rules/0/steps/0/prior/strength",
                  "/rules/0/steps/0/prior/mean",
                  "/rules/0/steps/0/min_segment_leads",
                  "/rules/0/steps/0/florr",
              }))
      << rules.status().ToString();

  auto value_rate = RuleSet::FromJson(RulesJson(
      {{"a", 1}},
      R"({"strategy": "performance", "metric": "value", "prior": {"rate": 0.2}})"));
  ASSERT_FALSE(value_rate.ok());
  EXPECT_THAT(testing::Paths(value_rate.status()),
              ElementsAre("/rules/0/steps/0/prior/rate"));

  auto no_segment = RuleSet::FromJson(RulesJson(
      {{"a", 1}}, R"({"strategy": "performance", "min_segment_leads": 10})"));
  ASSERT_FALSE(no_segment.ok());
  EXPECT_THAT(testing::Paths(no_segment.status()),
              ElementsAre("/rules/0/steps/0/min_segment_leads"));
}

}  // namespace
}  // namespace leadroute
