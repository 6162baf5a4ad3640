#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/rule_set.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/strategy_harness.h"

namespace leadroute {
namespace {

using ::leadroute::testing::CompileErrors;
using ::leadroute::testing::MakeHarness;
using ::leadroute::testing::MakeLead;
using ::leadroute::testing::MakeRep;
using ::leadroute::testing::OneStepConfig;
using ::leadroute::testing::Paths;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<ConfigError> Errors(Step step) {
  return CompileErrors(
      OneStepConfig({MakeRep("ana").Tier("senior")}, std::move(step)));
}

// An open end of a band.
constexpr std::nullopt_t kOpen = std::nullopt;

steps::Band MakeBand(std::optional<double> min, std::optional<double> max,
                     std::vector<std::string> tiers) {
  steps::Band band;
  band.min = min;
  band.max = max;
  band.tiers = std::move(tiers);
  return band;
}

std::vector<Rep> Reps() {
  return {MakeRep("ana").Tier("senior"), MakeRep("bob").Tier("mid"),
          MakeRep("cat").Tier("junior"), MakeRep("dan")};
}

// Below 40: juniors; 40 to 80: mid and juniors; 80 and up: seniors.
std::vector<steps::Band> ScoreBands() {
  return {MakeBand(kOpen, 40, {"junior"}), MakeBand(40, 80, {"mid", "junior"}),
          MakeBand(80, kOpen, {"senior"})};
}

Step BandsStep(const std::string& params) { return Step{"bands", params}; }

TEST(BandsStrategy, ScorePicksItsBand) {
  auto harness = MakeHarness(Reps(), steps::Score(ScoreBands()));
  auto lead = [](Value v) { return MakeLead("L", {{"score", v}}); };
  EXPECT_THAT(harness.Apply(lead(90)).ids(), ElementsAre("ana"));
  EXPECT_THAT(harness.Apply(lead(79.5)).ids(), ElementsAre("bob", "cat"));
  EXPECT_THAT(harness.Apply(lead(-5)).ids(), ElementsAre("cat"));
}

TEST(BandsStrategy, MinIsInclusiveMaxIsExclusive) {
  auto harness = MakeHarness(Reps(), steps::Score(ScoreBands()));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 40}})).ids(),
              ElementsAre("bob", "cat"));
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"score", 80}})).ids(),
              ElementsAre("ana"));
}

TEST(BandsStrategy, ValueInAGapEmptiesCandidates) {
  auto harness =
      MakeHarness(Reps(), steps::Score({MakeBand(0, 10, {"junior"}),
                                        MakeBand(20, kOpen, {"senior"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 15}})).ids(), IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"score", -1}})).ids(), IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L3", {{"score", 10}})).ids(), IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L4", {{"score", 0}})).ids(),
              ElementsAre("cat"));
}

TEST(BandsStrategy, DealValueReadsDealValueField) {
  auto harness = MakeHarness(
      Reps(), steps::DealValue({MakeBand(kOpen, 10000, {"junior"}),
                                MakeBand(10000, kOpen, {"senior"})}));
  auto lead = MakeLead("L1", {{"score", 1}, {"deal_value", 25000}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("ana"));
  EXPECT_EQ(harness.strategy().Name(), "deal_value");
}

TEST(BandsStrategy, BandsReadsItsField) {
  auto harness = MakeHarness(
      Reps(), steps::Bands("employees", {MakeBand(kOpen, 50, {"junior"}),
                                         MakeBand(50, kOpen, {"senior"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"employees", 5000}})).ids(),
              ElementsAre("ana"));
  EXPECT_EQ(harness.strategy().Name(), "bands");
}

TEST(BandsStrategy, ScoreAcceptsFieldOverride) {
  auto harness = MakeHarness(
      Reps(), Step{"score", R"({"field":"fit","bands":[{"tiers":["mid"]}]})"});
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"fit", 1}})).ids(),
              ElementsAre("bob"));
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"score", 1}})).ids(), IsEmpty());
}

TEST(BandsStrategy, TiersCompareCaselessly) {
  auto harness = MakeHarness(
      Reps(), steps::Score({MakeBand(kOpen, kOpen, {"SENIOR", "Junior"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 1}})).ids(),
              ElementsAre("ana", "cat"));
}

TEST(BandsStrategy, WildcardTierAllowsEveryRep) {
  auto harness = MakeHarness(
      {MakeRep("ana").Tier("senior"), MakeRep("bob").Tier("*"), MakeRep("dan")},
      steps::Score(
          {MakeBand(kOpen, 50, {"*"}), MakeBand(50, kOpen, {"senior"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 10}})).ids(),
              ElementsAre("ana", "bob", "dan"));
  // A rep whose tier is "*" belongs to every band.
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"score", 90}})).ids(),
              ElementsAre("ana", "bob"));
}

TEST(BandsStrategy, TierNoRepHasIsNotAnError) {
  auto harness = MakeHarness(
      Reps(), steps::Score({MakeBand(kOpen, kOpen, {"principal"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 10}})).ids(), IsEmpty());
}

TEST(BandsStrategy, MissingFieldEmptiesByDefault) {
  auto harness = MakeHarness(Reps(), steps::Score(ScoreBands()));
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), IsEmpty());
}

TEST(BandsStrategy, MissingFieldKeepsCandidatesWithKeep) {
  auto harness = MakeHarness(
      Reps(), steps::Bands("score", ScoreBands(), steps::IfMissing::kKeep));
  EXPECT_EQ(harness.Apply(MakeLead("L1")).ids().size(), Reps().size());
}

TEST(BandsStrategy, NonNumericValueIsTheWrongType) {
  auto empties = MakeHarness(Reps(), steps::Score(ScoreBands()));
  EXPECT_THAT(empties.Apply(MakeLead("L1", {{"score", "80"}})).ids(),
              IsEmpty());
  auto keeps = MakeHarness(
      Reps(), steps::Bands("score", ScoreBands(), steps::IfMissing::kKeep));
  EXPECT_EQ(keeps.Apply(MakeLead("L2", {{"score", "80"}})).ids().size(),
            Reps().size());
  EXPECT_EQ(keeps.Apply(MakeLead("L3", {{"score", true}})).ids().size(),
            Reps().size());
}

TEST(BandsStrategy, EmptyCandidatesStayEmpty) {
  auto harness = MakeHarness(
      Reps(), steps::Bands("score", ScoreBands(), steps::IfMissing::kKeep));
  CandidateSet none(harness.roster().size());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 90}}), 0, 0, none).ids(),
              IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L2"), 0, 0, none).ids(), IsEmpty());
}

TEST(BandsStrategy, NarrowsOnlyTheCurrentCandidates) {
  auto harness = MakeHarness(Reps(), steps::Score(ScoreBands()));
  EXPECT_THAT(harness
                  .Apply(MakeLead("L1", {{"score", 50}}), 0, 0,
                         harness.Only({"ana", "cat"}))
                  .ids(),
              ElementsAre("cat"));
}

TEST(BandsStrategy, AllInactivePoolStaysEmpty) {
  auto harness = MakeHarness({MakeRep("ana").Tier("senior").Inactive()},
                             steps::Score({MakeBand(kOpen, kOpen, {"*"})}));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"score", 1}})).ids(), IsEmpty());
}

TEST(BandsStrategy, IsARelaxableFilter) {
  auto harness = MakeHarness(Reps(), steps::Score(ScoreBands()));
  EXPECT_EQ(harness.strategy().Name(), "score");
  EXPECT_EQ(harness.strategy().Kind(), StrategyKind::kFilter);
  EXPECT_TRUE(harness.strategy().Relaxable());
}

TEST(BandsStrategy, MissingOrEmptyBandsIsAnErrorAtBands) {
  EXPECT_THAT(Paths(Errors(Step{"score", "{}"})),
              ElementsAre("/rules/0/steps/0/bands"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[]})"})),
              ElementsAre("/rules/0/steps/0/bands"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":{"tiers":["a"]}})"})),
              ElementsAre("/rules/0/steps/0/bands"));
}

TEST(BandsStrategy, BandsWithoutFieldIsAnError) {
  EXPECT_THAT(Paths(Errors(BandsStep(R"({"bands":[{"tiers":["a"]}]})"))),
              ElementsAre("/rules/0/steps/0/field"));
  EXPECT_THAT(
      Paths(Errors(BandsStep(R"({"field":"","bands":[{"tiers":["a"]}]})"))),
      ElementsAre("/rules/0/steps/0/field"));
}

TEST(BandsStrategy, MinNotBelowMaxIsAnErrorAtTheBand) {
  auto errors = Errors(Step{
      "score",
      R"({"bands":[{"max":10,"tiers":["a"]},{"min":50,"max":50,"tiers":["a"]}]})"});
  EXPECT_THAT(Paths(errors), ElementsAre("/rules/0/steps/0/bands/1"));
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr("min 50 >= max 50"));
}

TEST(BandsStrategy, OverlappingBandsAreAnErrorAtTheLaterBand) {
  auto errors = Errors(Step{
      "score",
      R"({"bands":[{"max":50,"tiers":["a"]},{"min":40,"max":60,"tiers":["a"]}]})"});
  EXPECT_THAT(Paths(errors), ElementsAre("/rules/0/steps/0/bands/1"));
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr("starting at 40"));
}

TEST(BandsStrategy, OutOfOrderBandsAreAnError) {
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[
                  {"min":0,"max":10,"tiers":["a"]},
                  {"min":50,"max":60,"tiers":["a"]},
                  {"min":20,"max":30,"tiers":["a"]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/2"));
  // An open-ended band must come last (open max) or first (open min).
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[
                  {"min":0,"tiers":["a"]},
                  {"min":50,"tiers":["a"]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/1"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[
                  {"min":0,"max":10,"tiers":["a"]},
                  {"max":50,"tiers":["a"]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/1"));
}

TEST(BandsStrategy, MissingOrEmptyTiersIsAnErrorAtTiers) {
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[{"min":1}]})"})),
              ElementsAre("/rules/0/steps/0/bands/0/tiers"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[{"tiers":[]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/0/tiers"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[{"tiers":["a",""]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/0/tiers/1"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":[{"tiers":["a",3]}]})"})),
              ElementsAre("/rules/0/steps/0/bands/0/tiers/1"));
}

TEST(BandsStrategy, WrongTypesAndTyposAreErrors) {
  EXPECT_THAT(
      Paths(Errors(Step{"score", R"({"bands":[{"min":"1","tiers":["a"]}]})"})),
      ElementsAre("/rules/0/steps/0/bands/0/min"));
  EXPECT_THAT(
      Paths(Errors(Step{"score", R"({"bands":[{"maxx":1,"tiers":["a"]}]})"})),
      ElementsAre("/rules/0/steps/0/bands/0/maxx"));
  EXPECT_THAT(Paths(Errors(Step{"score", R"({"bands":["low"]})"})),
              ElementsAre("/rules/0/steps/0/bands/0"));
  EXPECT_THAT(
      Paths(Errors(
          Step{"score", R"({"bands":[{"tiers":["a"]}],"if_mising":"keep"})"})),
      ElementsAre("/rules/0/steps/0/if_mising"));
  EXPECT_THAT(
      Paths(Errors(
          Step{"score", R"({"bands":[{"tiers":["a"]}],"if_missing":"yes"})"})),
      ElementsAre("/rules/0/steps/0/if_missing"));
}

}  // namespace
}  // namespace leadroute
