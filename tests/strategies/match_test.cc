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

std::vector<std::string> ErrorPaths(const std::vector<Rep>& reps, Step step) {
  return Paths(CompileErrors(OneStepConfig(reps, std::move(step))));
}

// ana and cat are technical, bob is not; dan's level is text and eve has
// none, so neither ever passes a numeric comparison.
std::vector<Rep> Reps() {
  return {
      MakeRep("ana")
          .Tier("senior")
          .Industries({"SaaS", "Fintech"})
          .Products({"crm"})
          .Languages({"de", "en"})
          .Attribute("skills.technical", 3)
          .Attribute("region", 2),
      MakeRep("bob")
          .Tier("junior")
          .Industries({"Retail"})
          .Products({"billing"})
          .Languages({"en"})
          .Attribute("skills.technical", 1.5)
          .Attribute("region", 2.0),
      MakeRep("cat")
          .Tier("mid")
          .Industries({"*"})
          .Products({"CPQ"})
          .Languages({"fr"})
          .Attribute("skills.technical", 5)
          .Attribute("region", 7),
      MakeRep("dan").Tier("").Attribute("skills.technical", "high"),
      MakeRep("eve"),
  };
}

steps::MatchOptions Options(
    std::string field, std::string attribute, std::string op = "overlap",
    steps::IfMissing if_missing = steps::IfMissing::kNoMatch) {
  steps::MatchOptions options;
  options.field = std::move(field);
  options.attribute = std::move(attribute);
  options.op = std::move(op);
  options.if_missing = if_missing;
  return options;
}

Step MatchStep(const std::string& params) { return Step{"match", params}; }

TEST(MatchStrategy, IndustryOverlapIsCaseless) {
  auto harness = MakeHarness(Reps(), steps::Industry());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"industry", "saas"}})).ids(),
              ElementsAre("ana", "cat"));
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"industry", "retail"}})).ids(),
              ElementsAre("bob", "cat"));
}

TEST(MatchStrategy, WildcardMatchesEveryValue) {
  auto harness = MakeHarness(Reps(), steps::Industry());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"industry", "Mining"}})).ids(),
              ElementsAre("cat"));
}

TEST(MatchStrategy, ProductListOverlapsRepList) {
  auto harness = MakeHarness(Reps(), steps::Product());
  std::vector<std::string> products = {"CRM", "cpq", "unknown"};
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"products", products}})).ids(),
              ElementsAre("ana", "cat"));
  std::vector<std::string> one = {"Billing"};
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"products", one}})).ids(),
              ElementsAre("bob"));
  EXPECT_THAT(harness.Apply(MakeLead("L3", {{"products", "crm"}})).ids(),
              ElementsAre("ana"));
}

TEST(MatchStrategy, LanguageUsesLanguageDefaults) {
  auto harness = MakeHarness(Reps(), steps::Language());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"language", "EN"}})).ids(),
              ElementsAre("ana", "bob"));
}

TEST(MatchStrategy, ShorthandAcceptsFieldOverride) {
  auto harness = MakeHarness(
      Reps(), Step{"language", R"({"field":"preferred_language"})"});
  EXPECT_THAT(
      harness.Apply(MakeLead("L1", {{"preferred_language", "fr"}})).ids(),
      ElementsAre("cat"));
}

TEST(MatchStrategy, EqComparesStringAttributes) {
  auto harness =
      MakeHarness(Reps(), steps::Match(Options("level", "tier", "eq")));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"level", "Senior"}})).ids(),
              ElementsAre("ana"));
  // eq wants one value: a list is the wrong type.
  std::vector<std::string> levels = {"senior", "mid"};
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"level", levels}})).ids(),
              IsEmpty());
}

TEST(MatchStrategy, OverlapAcceptsListAgainstStringAttribute) {
  auto harness = MakeHarness(Reps(), steps::Match(Options("level", "tier")));
  std::vector<std::string> levels = {"senior", "MID"};
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"level", levels}})).ids(),
              ElementsAre("ana", "cat"));
}

TEST(MatchStrategy, EqComparesNumbersNumerically) {
  auto harness = MakeHarness(
      Reps(),
      MatchStep(R"({"field":"region","attribute":"region","op":"eq"})"));
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"region", 2.0}})).ids(),
              ElementsAre("ana", "bob"));
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"region", 7}})).ids(),
              ElementsAre("cat"));
  EXPECT_THAT(harness.Apply(MakeLead("L3", {{"region", 3}})).ids(), IsEmpty());
  // Text never equals a number; no rep has a text region, so it is the
  // wrong type.
  EXPECT_THAT(harness.Apply(MakeLead("L4", {{"region", "2"}})).ids(),
              IsEmpty());
}

TEST(MatchStrategy, ConstantGteKeepsRepsAtOrAboveValue) {
  auto harness =
      MakeHarness(Reps(), steps::MatchConstant("skills.technical", "gte", 3));
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), ElementsAre("ana", "cat"));
}

TEST(MatchStrategy, ConstantComparisonsForEachOp) {
  struct Case {
    const char* op;
    double value;
    std::vector<std::string> ids;
  };
  const std::vector<Case> cases = {
      {"gt", 3, {"cat"}}, {"gte", 1.5, {"ana", "bob", "cat"}},
      {"lt", 3, {"bob"}}, {"lte", 3, {"ana", "bob"}},
      {"gt", 5, {}},      {"lt", 1.5, {}},
  };
  for (const auto& c : cases) {
    auto harness = MakeHarness(
        Reps(), steps::MatchConstant("skills.technical", c.op, c.value));
    EXPECT_EQ(harness.Apply(MakeLead("L1")).ids(), c.ids)
        << c.op << " " << c.value;
  }
}

TEST(MatchStrategy, FieldGteKeepsRepsAtOrAboveLeadValue) {
  auto harness = MakeHarness(
      Reps(), steps::Match(Options("complexity", "skills.technical", "gte")));
  auto lead = [](Value v) { return MakeLead("L", {{"complexity", v}}); };
  EXPECT_THAT(harness.Apply(lead(4)).ids(), ElementsAre("cat"));
  EXPECT_THAT(harness.Apply(lead(3)).ids(), ElementsAre("ana", "cat"));
  EXPECT_THAT(harness.Apply(lead(0)).ids(), ElementsAre("ana", "bob", "cat"));
  EXPECT_THAT(harness.Apply(lead(5.5)).ids(), IsEmpty());
}

TEST(MatchStrategy, FieldComparisonsForEachOp) {
  struct Case {
    const char* op;
    double lead;
    std::vector<std::string> ids;
  };
  const std::vector<Case> cases = {
      {"gt", 3, {"cat"}},
      {"gt", 2, {"ana", "cat"}},
      {"gt", 5, {}},
      {"gte", 1.5, {"ana", "bob", "cat"}},
      {"lt", 3, {"bob"}},
      {"lt", 1.5, {}},
      {"lt", 100, {"ana", "bob", "cat"}},
      {"lte", 3, {"ana", "bob"}},
      {"lte", 1, {}},
      {"lte", 5, {"ana", "bob", "cat"}},
  };
  for (const auto& c : cases) {
    auto harness = MakeHarness(
        Reps(), steps::Match(Options("complexity", "skills.technical", c.op)));
    EXPECT_EQ(harness.Apply(MakeLead("L", {{"complexity", c.lead}})).ids(),
              c.ids)
        << c.op << " " << c.lead;
  }
}

TEST(MatchStrategy, RepsLackingANumberNeverMatch) {
  auto harness = MakeHarness(
      Reps(), steps::MatchConstant("skills.technical", "lte", 1000));
  // dan's level is text and eve has none.
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(),
              ElementsAre("ana", "bob", "cat"));
}

TEST(MatchStrategy, MissingFieldEmptiesByDefault) {
  auto harness = MakeHarness(Reps(), steps::Industry());
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), IsEmpty());
  std::vector<std::string> none;
  EXPECT_THAT(harness.Apply(MakeLead("L2", {{"industry", none}})).ids(),
              IsEmpty());
}

TEST(MatchStrategy, MissingFieldKeepsCandidatesWithKeep) {
  auto harness = MakeHarness(Reps(), steps::Industry(steps::IfMissing::kKeep));
  EXPECT_EQ(harness.Apply(MakeLead("L1")).ids().size(), Reps().size());
}

TEST(MatchStrategy, WrongTypeIsMissing) {
  auto empties = MakeHarness(Reps(), steps::Industry());
  EXPECT_THAT(empties.Apply(MakeLead("L1", {{"industry", 42}})).ids(),
              IsEmpty());
  auto keeps = MakeHarness(Reps(), steps::Industry(steps::IfMissing::kKeep));
  EXPECT_EQ(keeps.Apply(MakeLead("L2", {{"industry", true}})).ids().size(),
            Reps().size());
  auto numeric = MakeHarness(
      Reps(), steps::Match(Options("complexity", "skills.technical", "gte",
                                   steps::IfMissing::kKeep)));
  EXPECT_EQ(numeric.Apply(MakeLead("L3", {{"complexity", "4"}})).ids().size(),
            Reps().size());
}

TEST(MatchStrategy, MatchesBuiltInRepFields) {
  auto by_team =
      MakeHarness({MakeRep("ana", {"emea"}), MakeRep("bob", {"na", "latam"})},
                  steps::Match(Options("team", "teams")));
  EXPECT_THAT(by_team.Apply(MakeLead("L1", {{"team", "LATAM"}})).ids(),
              ElementsAre("bob"));
  auto by_email = MakeHarness(
      {MakeRep("ana").Email("ana@x.io"), MakeRep("bob").Email("bob@x.io")},
      steps::Match(Options("owner_email", "email", "eq")));
  EXPECT_THAT(
      by_email.Apply(MakeLead("L2", {{"owner_email", "Ana@X.io"}})).ids(),
      ElementsAre("ana"));
}

TEST(MatchStrategy, EmptyCandidatesStayEmpty) {
  auto harness = MakeHarness(Reps(), steps::Industry(steps::IfMissing::kKeep));
  CandidateSet none(harness.roster().size());
  EXPECT_THAT(
      harness.Apply(MakeLead("L1", {{"industry", "saas"}}), 0, 0, none).ids(),
      IsEmpty());
  EXPECT_THAT(harness.Apply(MakeLead("L2"), 0, 0, none).ids(), IsEmpty());
}

TEST(MatchStrategy, AllInactivePoolStaysEmpty) {
  auto harness = MakeHarness({MakeRep("ana").Industries({"*"}).Inactive(),
                              MakeRep("bob").Industries({"saas"}).Inactive()},
                             steps::Industry());
  EXPECT_THAT(harness.Apply(MakeLead("L1", {{"industry", "saas"}})).ids(),
              IsEmpty());
}

TEST(MatchStrategy, NamesAndKinds) {
  const std::vector<std::pair<Step, std::string>> cases = {
      {steps::Industry(), "industry"},
      {steps::Product(), "product"},
      {steps::Language(), "language"},
      {steps::MatchConstant("skills.technical", "gt", 1), "match"},
  };
  for (const auto& [step, name] : cases) {
    auto harness = MakeHarness(Reps(), step);
    EXPECT_EQ(harness.strategy().Name(), name);
    EXPECT_EQ(harness.strategy().Kind(), StrategyKind::kFilter);
    EXPECT_TRUE(harness.strategy().Relaxable());
  }
}

TEST(MatchStrategy, ConfigErrorsHavePaths) {
  struct Case {
    Step step;
    std::string path;
  };
  const std::vector<Case> cases = {
      {MatchStep(R"({"field":"f","attribute":"a","op":"like"})"),
       "/rules/0/steps/0/op"},
      {MatchStep(R"({"field":"f","attribute":"a","value":3})"),
       "/rules/0/steps/0/value"},
      {MatchStep(R"({"field":"f","attribute":"a","op":"gt","value":3})"),
       "/rules/0/steps/0/value"},
      {MatchStep(R"({"attribute":"a","op":"gt"})"), "/rules/0/steps/0"},
      {MatchStep(R"({"field":"f"})"), "/rules/0/steps/0/attribute"},
      {MatchStep(R"({"attribute":"a"})"), "/rules/0/steps/0/field"},
      {MatchStep(R"({"field":"f","attribute":""})"),
       "/rules/0/steps/0/attribute"},
      {MatchStep(R"({"field":"","attribute":"a"})"), "/rules/0/steps/0/field"},
      {MatchStep(R"({"attribute":"industries","op":"gte","value":1})"),
       "/rules/0/steps/0/attribute"},
      {MatchStep(R"({"attribute":"a","op":"gte","value":"3"})"),
       "/rules/0/steps/0/value"},
      {MatchStep(R"({"field":"f","attribute":"a","if_missing":"drop"})"),
       "/rules/0/steps/0/if_missing"},
      {MatchStep(R"({"attribute":"a","op":"gte","valeu":3})"),
       "/rules/0/steps/0/valeu"},
      {Step{"industry", R"({"op":"eq"})"}, "/rules/0/steps/0/op"},
      {Step{"product", R"({"if_mising":"keep"})"},
       "/rules/0/steps/0/if_mising"},
      {Step{"language", R"({"attribute":7})"}, "/rules/0/steps/0/attribute"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(ErrorPaths(Reps(), c.step), ::testing::Contains(c.path))
        << c.step.strategy << " " << c.step.params;
  }
}

}  // namespace
}  // namespace leadroute
