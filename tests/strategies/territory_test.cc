#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

constexpr char kStepPath[] = "/rules/0/steps/0";

// The compile errors of a RuleSet that must not compile.
std::vector<ConfigError> Errors(const std::vector<Rep>& reps, Step step) {
  return CompileErrors(OneStepConfig(reps, std::move(step)));
}

// ana: a country, bob: another country, cat: a state, dan/eve: postal
// prefixes of different lengths, hal: one exact postal code, fay: anywhere,
// gus: a UK postal district.
std::vector<Rep> Territories() {
  return {
      MakeRep("ana").Territories({"DE"}),
      MakeRep("bob").Territories({"US"}),
      MakeRep("cat").Territories({"US-CA"}),
      MakeRep("dan").Territories({"US:94*"}),
      MakeRep("eve").Territories({"US:941*"}),
      MakeRep("hal").Territories({"US:94107"}),
      MakeRep("fay").Territories({"*"}),
      MakeRep("gus").Territories({"GB:SW1A*"}),
  };
}

Step TerritoryStep(const std::string& params = "{}") {
  return Step{"territory", params};
}

TEST(TerritoryStrategy, MatchesCountryCaselessly) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"country", "de"}})).ids(),
              ElementsAre("ana"));
}

TEST(TerritoryStrategy, StateBeatsCountry) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "US"}, {"state", "ca"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("cat"));
  auto other_state = MakeLead("L2", {{"country", "US"}, {"state", "NY"}});
  EXPECT_THAT(harness.Apply(other_state).ids(), ElementsAre("bob"));
}

TEST(TerritoryStrategy, AcceptsIsoStateCodes) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "US"}, {"state", "US-CA"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("cat"));
  // "US-CA" also names the country when the lead has none.
  auto no_country = MakeLead("L2", {{"state", "us-ca"}});
  EXPECT_THAT(harness.Apply(no_country).ids(), ElementsAre("cat"));
}

TEST(TerritoryStrategy, IgnoresStateOfAnotherCountry) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "US"}, {"state", "MX-CA"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("bob"));
}

TEST(TerritoryStrategy, LongestPostalPrefixWins) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = [](const char* postal) {
    return MakeLead(
        "L", {{"country", "US"}, {"state", "CA"}, {"postal_code", postal}});
  };
  EXPECT_THAT(harness.Apply(lead("94107")).ids(), ElementsAre("hal"));
  EXPECT_THAT(harness.Apply(lead("94110")).ids(), ElementsAre("eve"));
  EXPECT_THAT(harness.Apply(lead("94010")).ids(), ElementsAre("dan"));
  // No postal entry covers 90001: the state decides.
  EXPECT_THAT(harness.Apply(lead("90001")).ids(), ElementsAre("cat"));
}

TEST(TerritoryStrategy, ExactPostalCodeMatchesOnlyThatCode) {
  auto harness = MakeHarness({MakeRep("dan").Territories({"US:94*"}),
                              MakeRep("hal").Territories({"US:94107"})},
                             TerritoryStep());
  auto lead = [](const char* postal) {
    return MakeLead("L", {{"country", "US"}, {"postal_code", postal}});
  };
  EXPECT_THAT(harness.Apply(lead("94107")).ids(), ElementsAre("hal"));
  EXPECT_THAT(harness.Apply(lead("94 107")).ids(), ElementsAre("hal"));
  EXPECT_THAT(harness.Apply(lead("941070")).ids(), ElementsAre("dan"));
  EXPECT_THAT(harness.Apply(lead("9410")).ids(), ElementsAre("dan"));
}

TEST(TerritoryStrategy, MostSpecificAmongCurrentCandidates) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead(
      "L1", {{"country", "US"}, {"state", "CA"}, {"postal_code", "94107"}});
  EXPECT_THAT(
      harness.Apply(lead, 0, 0, harness.Only({"bob", "cat", "dan"})).ids(),
      ElementsAre("dan"));
  EXPECT_THAT(harness.Apply(lead, 0, 0, harness.Only({"bob", "cat"})).ids(),
              ElementsAre("cat"));
  EXPECT_THAT(harness.Apply(lead, 0, 0, harness.Only({"ana", "bob"})).ids(),
              ElementsAre("bob"));
  EXPECT_THAT(harness.Apply(lead, 0, 0, harness.Only({"ana", "fay"})).ids(),
              ElementsAre("fay"));
  EXPECT_THAT(harness.Apply(lead, 0, 0, harness.Only({"ana", "gus"})).ids(),
              IsEmpty());
}

TEST(TerritoryStrategy, PostalCodesIgnoreSpacesAndCase) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "GB"}, {"postal_code", "sw1a 1aa"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("gus"));
  auto other = MakeLead("L2", {{"country", "GB"}, {"postal_code", "EC1A 1BB"}});
  EXPECT_THAT(harness.Apply(other).ids(), ElementsAre("fay"));
}

TEST(TerritoryStrategy, PostalPrefixNeedsTheSameCountry) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "DE"}, {"postal_code", "94107"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("ana"));
}

TEST(TerritoryStrategy, WildcardCatchesEveryCountry) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"country", "FR"}})).ids(),
              ElementsAre("fay"));
}

TEST(TerritoryStrategy, NoMatchEmptiesCandidates) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead("L1", {{"country", "FR"}});
  EXPECT_THAT(harness.Apply(lead, 0, 0, harness.Only({"ana", "bob"})).ids(),
              IsEmpty());
}

TEST(TerritoryStrategy, MissingCountryEmptiesByDefault) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"state", "CA"}})).ids(),
              IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L2")).ids(), IsEmpty());
}

TEST(TerritoryStrategy, MissingCountryKeepsCandidatesWithKeep) {
  auto harness =
      MakeHarness(Territories(), steps::Territory(steps::IfMissing::kKeep));
  EXPECT_EQ(harness.Apply(MakeLead("L1")).ids().size(), Territories().size());
}

TEST(TerritoryStrategy, WrongTypeCountryIsMissing) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"country", 49}})).ids(),
              IsEmpty());
  auto keep =
      MakeHarness(Territories(), TerritoryStep(R"({"if_missing":"keep"})"));
  auto list = MakeLead("L2", {{"country", std::vector<std::string>{"DE"}}});
  EXPECT_EQ(keep.Apply(list).ids().size(), Territories().size());
}

TEST(TerritoryStrategy, WrongTypePostalCodeFallsBackToState) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  auto lead = MakeLead(
      "L1", {{"country", "US"}, {"state", "CA"}, {"postal_code", 94107}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("cat"));
}

TEST(TerritoryStrategy, ReadsConfiguredFieldNames) {
  auto harness = MakeHarness(
      Territories(),
      TerritoryStep(R"({"country_field":"hq_country","state_field":"hq_state",
                        "postal_field":"hq_zip"})"));
  auto lead = MakeLead("L1", {{"country", "DE"},
                              {"hq_country", "US"},
                              {"hq_state", "CA"},
                              {"hq_zip", "94110"}});
  EXPECT_THAT(harness.Apply(lead).ids(), ElementsAre("eve"));
}

TEST(TerritoryStrategy, RepWithSeveralTerritoriesMatchesEach) {
  auto harness = MakeHarness({MakeRep("ana").Territories({"DE", "AT", "ch"}),
                              MakeRep("bob").Territories({"CH-ZH"})},
                             TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"country", "CH"}})).ids(),
              ElementsAre("ana"));
  EXPECT_THAT(
      harness.Apply(MakeLead("L2", {{"country", "CH"}, {"state", "ZH"}})).ids(),
      ElementsAre("bob"));
}

TEST(TerritoryStrategy, EmptyCandidatesStayEmpty) {
  auto harness = MakeHarness(Territories(), TerritoryStep());
  CandidateSet none(harness.roster().size());
  EXPECT_THAT(
      harness.Apply(MakeLead("L1", {{"country", "DE"}}), 0, 0, none).ids(),
      IsEmpty());
  auto keep =
      MakeHarness(Territories(), TerritoryStep(R"({"if_missing":"keep"})"));
  EXPECT_THAT(keep.Apply(MakeLead("L2"), 0, 0, none).ids(), IsEmpty());
}

TEST(TerritoryStrategy, AllInactivePoolStaysEmpty) {
  auto harness = MakeHarness({MakeRep("ana").Territories({"*"}).Inactive(),
                              MakeRep("bob").Territories({"DE"}).Inactive()},
                             TerritoryStep());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"country", "DE"}})).ids(),
              IsEmpty());
}

TEST(TerritoryStrategy, IsARelaxableFilter) {
  auto harness = MakeHarness(Territories(), steps::Territory());
  EXPECT_EQ(harness.strategy().Name(), "territory");
  EXPECT_EQ(harness.strategy().Kind(), StrategyKind::kFilter);
  EXPECT_TRUE(harness.strategy().Relaxable());
}

TEST(TerritoryStrategy, MalformedTerritoriesAreErrorsAtTheStep) {
  const std::vector<std::string> bad = {
      "US-", "-CA", ":94*", "US:", "US:*", "U S", "US:9*4", ""};
  auto errors = Errors(
      {MakeRep("ana").Territories({"DE"}), MakeRep("bob").Territories(bad)},
      TerritoryStep());
  ASSERT_EQ(errors.size(), bad.size());
  for (size_t j = 0; j < bad.size(); ++j) {
    EXPECT_EQ(errors[j].path, kStepPath);
    EXPECT_THAT(
        errors[j].message,
        ::testing::HasSubstr("rep \"bob\" territory \"" + bad[j] +
                             "\" at /reps/1/territories/" + std::to_string(j)));
  }
}

TEST(TerritoryStrategy, UnknownKeyIsAnError) {
  auto errors = Errors(Territories(), TerritoryStep(R"({"if_mising":"keep"})"));
  EXPECT_THAT(Paths(errors), ElementsAre("/rules/0/steps/0/if_mising"));
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr("if_missing"));
}

TEST(TerritoryStrategy, BadIfMissingIsAnError) {
  auto errors =
      Errors(Territories(), TerritoryStep(R"({"if_missing":"skip"})"));
  EXPECT_THAT(Paths(errors), ElementsAre("/rules/0/steps/0/if_missing"));
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr("\"skip\""));
}

TEST(TerritoryStrategy, BadFieldNamesAreErrors) {
  auto errors = Errors(
      Territories(), TerritoryStep(R"({"country_field":3,"state_field":""})"));
  EXPECT_THAT(Paths(errors),
              ::testing::UnorderedElementsAre("/rules/0/steps/0/country_field",
                                              "/rules/0/steps/0/state_field"));
}

}  // namespace
}  // namespace leadroute
