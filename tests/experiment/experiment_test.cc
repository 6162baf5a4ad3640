// A/B experiments (docs/cookbook/experiments.md): the split follows the
// configured shares, a lead id always lands in the same variant (across
// routers, reloads, saved state), each variant's own steps decide, the
// variant is reported everywhere a decision is, and bad configs say where.
#include "compile/experiment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeLead;

// Reps by arm: a1, a2 (arm 1), b1, b2 (arm 2), and c1 (arm 3), whom the
// rule's shared first step removes for every variant.
constexpr char kReps[] = R"([
  {"id": "a1", "attributes": {"arm": 1}},
  {"id": "a2", "attributes": {"arm": 1}},
  {"id": "b1", "attributes": {"arm": 2}},
  {"id": "b2", "attributes": {"arm": 2}},
  {"id": "c1", "attributes": {"arm": 3}}
])";

// An experiment rule "split" whose variants each keep one arm; `variants`
// is the JSON array body of the experiment's variants.
std::string Rules(const std::string& variants,
                  const std::string& on_empty = "next_rule") {
  return std::string(R"({"reps": )") + kReps + R"(,
  "rules": [
    {"id": "split", "on_empty": ")" +
         on_empty + R"(",
     "steps": [
       {"strategy": "match", "attribute": "arm", "op": "lte", "value": 2},
       {"strategy": "experiment", "id": "rr-vs-ll", "salt": "2026q4",
        "variants": [)" +
         variants + R"(]}
     ]},
    {"id": "rest", "steps": [{"strategy": "round_robin"}]}
  ],
  "fallback": {"queue": "triage"}})";
}

constexpr char kArmA[] =
    R"({"strategy": "match", "attribute": "arm", "op": "lte", "value": 1})";
constexpr char kArmB[] =
    R"({"strategy": "match", "attribute": "arm", "op": "gte", "value": 2})";

std::string Variant(const std::string& name, const std::string& share,
                    const std::string& steps) {
  return R"({"name": ")" + name + R"(", "share": )" + share +
         R"(, "steps": [)" + steps + "]}";
}

// control (arm A, round robin) 50 / least_loaded (arm B) 50.
std::string FiftyFifty() {
  return Rules(
      Variant("control", "50", kArmA) + ", " +
      Variant("least_loaded", "50",
              std::string(kArmB) + R"(, {"strategy": "least_loaded"})"));
}

Router MakeRouter(const std::string& json) {
  Result<RuleSet> rules = RuleSet::FromJson(json);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return std::move(Router::Create(*rules)).value();
}

std::string LeadId(int n) { return "lead-" + std::to_string(n); }

std::string VariantOf(Router& router, const std::string& lead_id) {
  Result<Assignment> a = router.Route(MakeLead(lead_id, {}));
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? a->variant : "<error>";
}

// Routes `n` leads and counts them by variant.
std::map<std::string, int> Split(Router& router, int n) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) ++counts[VariantOf(router, LeadId(i))];
  return counts;
}

std::vector<ConfigError> Errors(const std::string& json) {
  Result<RuleSet> rules = RuleSet::FromJson(json);
  EXPECT_FALSE(rules.ok());
  if (rules.ok()) return {};
  auto errors = rules.status().errors();
  return {errors.begin(), errors.end()};
}

std::string TempPath(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "leadroute_experiment";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

constexpr int kLeads = 100000;

TEST(Experiment, FiftyFiftySplitIsWithinOnePointOver100kLeads) {
  Router router = MakeRouter(FiftyFifty());
  std::map<std::string, int> counts = Split(router, kLeads);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_NEAR(counts["rr-vs-ll/control"], kLeads * 0.50, kLeads * 0.01);
  EXPECT_NEAR(counts["rr-vs-ll/least_loaded"], kLeads * 0.50, kLeads * 0.01);
}

TEST(Experiment, SeventyTwentyTenSplitIsWithinOnePointOver100kLeads) {
  Router router = MakeRouter(Rules(Variant("a", "70", kArmA) + ", " +
                                   Variant("b", "20", kArmB) + ", " +
                                   Variant("c", "10", "")));
  std::map<std::string, int> counts = Split(router, kLeads);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_NEAR(counts["rr-vs-ll/a"], kLeads * 0.70, kLeads * 0.01);
  EXPECT_NEAR(counts["rr-vs-ll/b"], kLeads * 0.20, kLeads * 0.01);
  EXPECT_NEAR(counts["rr-vs-ll/c"], kLeads * 0.10, kLeads * 0.01);
}

TEST(Experiment, BucketsArePinned) {
  // The bucket depends only on the salt and the lead id; these values must
  // never change between releases, or running experiments would reshuffle.
  // (Checked against an independent implementation of the documented
  // formula.)
  const uint64_t seed = internal::ExperimentSeed("2026q4");
  std::vector<uint32_t> buckets;
  for (int i = 0; i < 5; ++i) {
    buckets.push_back(internal::ExperimentBucket(seed, LeadId(i)));
  }
  EXPECT_THAT(buckets, ElementsAre(6950u, 8038u, 8366u, 4157u, 2673u));
  // The salt matters: another salt is another split.
  EXPECT_NE(
      internal::ExperimentBucket(internal::ExperimentSeed("other"), "lead-0"),
      internal::ExperimentBucket(seed, "lead-0"));
}

TEST(Experiment, SameLeadSameVariantAcrossRoutersAndReloads) {
  const std::string json = FiftyFifty();
  Router first = MakeRouter(json);
  Router second = MakeRouter(json);
  Router reloaded = MakeRouter(json);
  ASSERT_TRUE(reloaded.Reload(json).ok());
  Router updated = MakeRouter(json);
  ASSERT_TRUE(updated.Update(*RuleSet::FromJson(json)).ok());
  for (int i = 0; i < 2000; ++i) {
    const std::string id = LeadId(i);
    const std::string variant = VariantOf(first, id);
    ASSERT_FALSE(variant.empty()) << id;
    EXPECT_EQ(VariantOf(second, id), variant) << id;
    EXPECT_EQ(VariantOf(reloaded, id), variant) << id;
    EXPECT_EQ(VariantOf(updated, id), variant) << id;
  }
  // A reload of the same config, then a fresh decision for a released lead:
  // the variant is computed again, and is the same.
  const std::string before = VariantOf(first, "lead-7");
  ASSERT_TRUE(first.Reload(json).ok());
  ASSERT_TRUE(first.Release("lead-7").ok());
  Result<Assignment> again = first.Route(MakeLead("lead-7", {}));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->repeated);
  EXPECT_EQ(again->variant, before);
}

TEST(Experiment, EachVariantsOwnStepsDecide) {
  Router router = MakeRouter(FiftyFifty());
  std::map<std::string, std::map<std::string, int>> owners;  // by variant
  for (int i = 0; i < 400; ++i) {
    Result<Assignment> a = router.Route(MakeLead(LeadId(i), {}));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->rule_id, "split");
    ++owners[a->variant][a->owner.id];
    if (a->variant == "rr-vs-ll/control") {
      EXPECT_EQ(a->decided_by, "round_robin");  // the implicit picker
    } else {
      EXPECT_EQ(a->decided_by, "least_loaded");
    }
  }
  ASSERT_EQ(owners.size(), 2u);
  // c1 is removed by the shared step before the experiment in both arms.
  EXPECT_THAT(owners["rr-vs-ll/control"],
              ElementsAre(::testing::Key("a1"), ::testing::Key("a2")));
  EXPECT_THAT(owners["rr-vs-ll/least_loaded"],
              ElementsAre(::testing::Key("b1"), ::testing::Key("b2")));
}

TEST(Experiment, ChangingSharesMovesOnlyLeadsBetweenTheBoundaries) {
  Router fifty = MakeRouter(Rules(Variant("control", "50", kArmA) + ", " +
                                  Variant("treatment", "50", kArmB)));
  Router sixty = MakeRouter(Rules(Variant("control", "60", kArmA) + ", " +
                                  Variant("treatment", "40", kArmB)));
  int moved = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string id = LeadId(i);
    const std::string was = VariantOf(fifty, id);
    const std::string now = VariantOf(sixty, id);
    if (was == now) continue;
    ++moved;
    // Only treatment leads in buckets 5000-5999 move, and only to control.
    EXPECT_EQ(was, "rr-vs-ll/treatment") << id;
    EXPECT_EQ(now, "rr-vs-ll/control") << id;
  }
  EXPECT_NEAR(moved, 2000, 200);
}

TEST(Experiment, FallbackKeepsTheVariantButTheNextRuleDoesNot) {
  // Variant "closed" keeps nobody (no rep has arm 9).
  const std::string variants =
      Variant("open", "50", kArmA) + ", " +
      Variant("closed", "50",
              R"({"strategy": "match", "attribute": "arm", "op": "gte", )"
              R"("value": 9})");
  Router to_fallback = MakeRouter(Rules(variants, "fallback"));
  Router to_next = MakeRouter(Rules(variants, "next_rule"));
  int closed = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string id = LeadId(i);
    Result<Assignment> f = to_fallback.Route(MakeLead(id, {}));
    Result<Assignment> n = to_next.Route(MakeLead(id, {}));
    ASSERT_TRUE(f.ok() && n.ok());
    if (f->variant != "rr-vs-ll/closed") {
      EXPECT_EQ(f->variant, "rr-vs-ll/open");
      EXPECT_EQ(n->variant, "rr-vs-ll/open");
      continue;
    }
    ++closed;
    EXPECT_TRUE(f->fallback);
    EXPECT_EQ(f->owner.id, "triage");
    EXPECT_EQ(f->rule_id, "split");
    EXPECT_EQ(n->rule_id, "rest");  // not decided by the experiment
    EXPECT_EQ(n->variant, "");
    EXPECT_THAT(n->ToJson(), ::testing::Not(HasSubstr("variant")));
  }
  EXPECT_GT(closed, 50);
}

TEST(Experiment, RelaxWorksOnTheVariantsSteps) {
  // Variant "closed" keeps nobody; `relax` undoes its filter (the latest),
  // and the shared step before the experiment still removes c1.
  Router router = MakeRouter(
      Rules(Variant("open", "50", kArmA) + ", " +
                Variant("closed", "50",
                        R"({"strategy": "match", "attribute": "arm", )"
                        R"("op": "gte", "value": 9})"),
            "relax"));
  int closed = 0;
  for (int i = 0; i < 100; ++i) {
    Result<Assignment> a =
        router.Route(MakeLead(LeadId(i), {}), {.explain = true});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->rule_id, "split");
    EXPECT_FALSE(a->fallback);
    if (a->variant != "rr-vs-ll/closed") continue;
    ++closed;
    EXPECT_NE(a->owner.id, "c1");
    std::vector<std::string> relaxed;
    for (const TraceStep& step : a->trace->rules.front().steps) {
      if (step.action == "relax") relaxed.push_back(step.path);
    }
    EXPECT_THAT(relaxed, ElementsAre("/rules/0/steps/1/variants/1/steps/0"));
  }
  EXPECT_GT(closed, 25);
}

TEST(Experiment, ReassignAndTransferKeepTheVariant) {
  Router router = MakeRouter(FiftyFifty());
  for (int i = 0; i < 20; ++i) {
    const std::string id = LeadId(i);
    const std::string variant = VariantOf(router, id);
    Result<Assignment> reassigned =
        router.Reassign(id, ChangeReason::kDeclined);
    ASSERT_TRUE(reassigned.ok()) << reassigned.status().ToString();
    EXPECT_EQ(reassigned->variant, variant) << id;
    Result<Assignment> transferred = router.Transfer(id, "c1");
    ASSERT_TRUE(transferred.ok()) << transferred.status().ToString();
    EXPECT_EQ(transferred->decided_by, "transfer");
    EXPECT_EQ(transferred->variant, variant) << id;
  }
}

TEST(Experiment, VariantIsInTheAssignmentJsonAndExplain) {
  Router router = MakeRouter(FiftyFifty());
  Result<Assignment> a =
      router.Route(MakeLead("lead-1", {}), {.explain = true});
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(a->variant.empty());
  EXPECT_THAT(a->ToJson(), HasSubstr("\"variant\":\"" + a->variant + "\""));
  ASSERT_NE(a->trace, nullptr);
  EXPECT_EQ(a->trace->variant, a->variant);
  ASSERT_FALSE(a->trace->rules.empty());
  const TraceRule& rule = a->trace->rules.front();
  EXPECT_EQ(rule.variant, a->variant);
  EXPECT_EQ(rule.bucket, internal::ExperimentBucket(
                             internal::ExperimentSeed("2026q4"), "lead-1"));
  // The variant's own step is traced with its path.
  std::vector<std::string> paths;
  for (const TraceStep& step : rule.steps) paths.push_back(step.path);
  const size_t v = a->variant == "rr-vs-ll/control" ? 0 : 1;
  EXPECT_THAT(paths, Contains("/rules/0/steps/1/variants/" + std::to_string(v) +
                              "/steps/0"));
  const std::string json = a->trace->ToJson();
  EXPECT_THAT(json, HasSubstr("\"variant\":\"" + a->variant + "\""));
  EXPECT_THAT(json, HasSubstr("\"bucket\":" + std::to_string(rule.bucket)));

  // Explain of the decided lead: the existing decision shows it too.
  Result<Trace> explained = router.Explain(MakeLead("lead-1", {}));
  ASSERT_TRUE(explained.ok());
  EXPECT_EQ(explained->variant, a->variant);
  ASSERT_TRUE(explained->existing.has_value());
  EXPECT_EQ(explained->existing->variant, a->variant);
}

TEST(Experiment, VariantSurvivesSaveAndLoadState) {
  const std::string json = FiftyFifty();
  Router original = MakeRouter(json);
  std::map<std::string, std::string> variants;
  for (int i = 0; i < 50; ++i)
    variants[LeadId(i)] = VariantOf(original, LeadId(i));
  const std::string path = TempPath("state.json");
  ASSERT_TRUE(original.SaveState(path).ok());
  Router restored = MakeRouter(json);
  Status loaded = restored.LoadState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  for (const auto& [id, variant] : variants) {
    std::optional<Assignment> found = restored.Find(id);
    ASSERT_TRUE(found.has_value()) << id;
    EXPECT_EQ(found->variant, variant) << id;
    Result<Assignment> again = restored.Route(MakeLead(id, {}));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->repeated);
    EXPECT_EQ(again->variant, variant);
  }
}

TEST(ExperimentConfig, SharesMustSumToExactly100) {
  auto errors = Errors(
      Rules(Variant("a", "50", kArmA) + ", " + Variant("b", "40.5", kArmB)));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "/rules/0/steps/1/variants");
  EXPECT_THAT(errors[0].message,
              HasSubstr("sum to 90.5, expected exactly 100"));
}

TEST(ExperimentConfig, SharesHaveAtMostTwoDecimalsAndStayIn0To100) {
  auto errors = Errors(Rules(Variant("a", "33.333", kArmA) + ", " +
                             Variant("b", "-1", kArmB) + ", " +
                             Variant("c", "\"50\"", "")));
  EXPECT_THAT(testing::Paths(errors),
              ElementsAre("/rules/0/steps/1/variants/0/share",
                          "/rules/0/steps/1/variants/1/share",
                          "/rules/0/steps/1/variants/2/share"));
  EXPECT_THAT(errors[0].message, HasSubstr("at most 2 decimals"));
  EXPECT_THAT(errors[1].message, HasSubstr("from 0 to 100"));
}

TEST(ExperimentConfig, VariantNamesAreUniqueAndNonEmpty) {
  auto errors =
      Errors(Rules(Variant("a", "50", kArmA) + ", " +
                   Variant("a", "25", kArmB) + ", " + Variant("", "25", "")));
  EXPECT_THAT(testing::Paths(errors),
              ElementsAre("/rules/0/steps/1/variants/1/name",
                          "/rules/0/steps/1/variants/2/name"));
  EXPECT_THAT(errors[0].message,
              HasSubstr("duplicate variant name \"a\" (also at "
                        "/rules/0/steps/1/variants/0/name)"));
}

TEST(ExperimentConfig, ExperimentsDoNotNest) {
  auto errors = Errors(
      Rules(Variant("a", "50", R"({"strategy": "experiment", "id": "inner"})") +
            ", " + Variant("b", "50", kArmB)));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "/rules/0/steps/1/variants/0/steps/0/strategy");
  EXPECT_THAT(errors[0].message, HasSubstr("cannot be nested"));
}

TEST(ExperimentConfig, AtMostOneExperimentPerRuleAndIdsRequiredAndUnique) {
  const std::string experiment =
      R"({"strategy": "experiment", "id": "x", "variants": [)" +
      Variant("only", "100", "") + "]}";
  const std::string no_id = R"({"strategy": "experiment", "variants": [)" +
                            Variant("only", "100", "") + "]}";
  auto errors = Errors(std::string(R"({"reps": )") + kReps + R"(,
    "rules": [
      {"id": "two", "steps": [)" +
                       experiment + ", " + experiment + R"(]},
      {"id": "again", "steps": [)" +
                       experiment + R"(]},
      {"id": "anonymous", "steps": [)" +
                       no_id + R"(]}
    ],
    "fallback": {"queue": "triage"}})");
  EXPECT_THAT(testing::Paths(errors),
              ElementsAre("/rules/0/steps/1", "/rules/1/steps/0/id",
                          "/rules/2/steps/0/id"));
  EXPECT_THAT(errors[0].message, HasSubstr("at most one per rule"));
  EXPECT_THAT(errors[1].message, HasSubstr("duplicate experiment id \"x\""));
  EXPECT_THAT(errors[2].message, HasSubstr("missing required key \"id\""));
}

TEST(ExperimentConfig, StepErrorsHaveVariantPathsAndSharedOnesComeOnce) {
  // A typo in a variant's step, and an unknown strategy after the
  // experiment, which every variant's step list contains.
  const std::string json = std::string(R"({"reps": )") + kReps + R"(,
    "rules": [{"id": "r", "steps": [
      {"strategy": "experiment", "id": "x", "variants": [)" +
                           Variant("a", "50", "") + ", " +
                           Variant("b", "50",
                                   R"({"strategy": "round_robin", )"
                                   R"("weigthed": true})") +
                           R"(]},
      {"strategy": "nope"}]}],
    "fallback": {"queue": "triage"}})";
  auto errors = Errors(json);
  EXPECT_THAT(testing::Paths(errors),
              ElementsAre("/rules/0/steps/1/strategy",
                          "/rules/0/steps/0/variants/1/steps/0/weigthed"));
}

}  // namespace
}  // namespace leadroute
