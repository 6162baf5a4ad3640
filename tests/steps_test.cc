// The step builders write the same parameters as the JSON format, leaving
// out defaults, and the built-in strategies accept what they write.
#include "leadroute/steps.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadroute/rule_set.h"

namespace leadroute {
namespace {

TEST(Steps, DefaultsWriteEmptyParameters) {
  for (const Step& step :
       {steps::RoundRobin(), steps::LeastLoaded(), steps::Random(),
        steps::Territory(), steps::Industry(), steps::Product(),
        steps::Language(), steps::Availability(), steps::Hierarchy()}) {
    EXPECT_EQ(step.params, "{}") << step.strategy;
  }
  EXPECT_EQ(steps::RoundRobin().strategy, "round_robin");
  EXPECT_EQ(steps::LeastLoaded().strategy, "least_loaded");
  EXPECT_EQ(steps::Random().strategy, "random");
  EXPECT_EQ(steps::Territory().strategy, "territory");
  EXPECT_EQ(steps::Industry().strategy, "industry");
  EXPECT_EQ(steps::Product().strategy, "product");
  EXPECT_EQ(steps::Language().strategy, "language");
  EXPECT_EQ(steps::Availability().strategy, "availability");
  EXPECT_EQ(steps::Hierarchy().strategy, "hierarchy");
}

TEST(Steps, NonDefaultsAreWritten) {
  EXPECT_EQ(steps::RoundRobin({.weighted = true}).params,
            R"({"weighted":true})");
  EXPECT_EQ(steps::LeastLoaded(true).params, R"({"relative":true})");
  EXPECT_EQ(steps::Random(42).params, R"({"seed":42})");
  EXPECT_EQ(steps::Territory(steps::IfMissing::kKeep).params,
            R"({"if_missing":"keep"})");
  EXPECT_EQ(steps::Language(steps::IfMissing::kKeep).params,
            R"({"if_missing":"keep"})");
  EXPECT_EQ(steps::Hierarchy("ultimate").params, R"({"walk":"ultimate"})");
  EXPECT_EQ(steps::FieldOwner("requested_rep").params,
            R"({"field":"requested_rep"})");
  EXPECT_EQ(steps::FieldOwner("requested_rep").strategy, "field_owner");
  EXPECT_EQ(
      steps::Availability({.presence = {Presence::kAvailable, Presence::kAway},
                           .capacity = false})
          .params,
      R"({"capacity":false,"presence":["available","away"]})");
  EXPECT_EQ(
      steps::Availability({.schedule = false, .when_nobody = "relax_to_away"})
          .params,
      R"({"schedule":false,"when_nobody":"relax_to_away"})");
}

TEST(Steps, MatchWritesFieldAttributeAndOp) {
  Step step = steps::Match({.field = "segment", .attribute = "segment"});
  EXPECT_EQ(step.strategy, "match");
  EXPECT_EQ(step.params, R"({"attribute":"segment","field":"segment"})");
  EXPECT_EQ(steps::Match({.field = "deal_value",
                          .attribute = "max_deal",
                          .op = "gte",
                          .if_missing = steps::IfMissing::kKeep})
                .params,
            R"({"attribute":"max_deal","field":"deal_value",)"
            R"("if_missing":"keep","op":"gte"})");
  EXPECT_EQ(steps::MatchConstant("skills.technical", "gte", 3).params,
            R"({"attribute":"skills.technical","op":"gte","value":3})");
  EXPECT_EQ(steps::MatchConstant("quota", "lt", 0.75).params,
            R"({"attribute":"quota","op":"lt","value":0.75})");
}

TEST(Steps, BandsWriteOpenEndsAsMissingKeys) {
  std::vector<steps::Band> bands = {{std::nullopt, 50, {"junior"}},
                                    {50, 80.5, {"senior"}},
                                    {80.5, std::nullopt, {"principal"}}};
  const std::string list =
      R"([{"max":50,"tiers":["junior"]},{"max":80.5,"min":50,)"
      R"("tiers":["senior"]},{"min":80.5,"tiers":["principal"]}])";
  EXPECT_EQ(steps::Score(bands).strategy, "score");
  EXPECT_EQ(steps::Score(bands).params, R"({"bands":)" + list + "}");
  EXPECT_EQ(steps::DealValue(bands).strategy, "deal_value");
  EXPECT_EQ(steps::DealValue(bands).params, R"({"bands":)" + list + "}");
  Step custom = steps::Bands("employees", bands, steps::IfMissing::kKeep);
  EXPECT_EQ(custom.strategy, "bands");
  EXPECT_EQ(custom.params, R"({"bands":)" + list +
                               R"(,"field":"employees","if_missing":"keep"})");
}

// A RuleSet built with every builder compiles against the built-ins, and
// hashes like the same RuleSet written in JSON.
TEST(Steps, BuiltRuleSetCompilesAndMatchesItsJson) {
  RuleSetConfig config;
  Rep ana;
  ana.id = "ana";
  ana.tier = "senior";
  ana.email = "ana@example.com";
  ana.territories = {"DE"};
  ana.industries = {"software"};
  ana.products = {"crm"};
  ana.languages = {"de"};
  ana.attributes = {{"skills.technical", Value(4)}, {"segment", Value("smb")}};
  config.reps = {ana};
  std::vector<steps::Band> bands = {{std::nullopt, 50, {"junior"}},
                                    {50, std::nullopt, {"senior"}}};
  Rule filters;
  filters.id = "filters";
  filters.steps = {
      steps::Territory(steps::IfMissing::kKeep),
      steps::Industry(),
      steps::Product(),
      steps::Language(),
      steps::Match({.field = "segment", .attribute = "segment"}),
      steps::MatchConstant("skills.technical", "gte", 3),
      steps::Score(bands),
      steps::DealValue(bands),
      steps::Bands("employees", bands, steps::IfMissing::kKeep),
      steps::Availability({.presence = {Presence::kAvailable, Presence::kAway},
                           .capacity = false}),
      steps::Hierarchy("ultimate"),
      steps::FieldOwner("requested_rep"),
      steps::RoundRobin({.weighted = true})};
  Rule least;
  least.id = "least";
  least.steps = {steps::LeastLoaded(true)};
  Rule random;
  random.id = "random";
  random.steps = {steps::Random(7)};
  config.rules = {filters, least, random};
  config.fallback = Owner::Queue("triage");

  Result<RuleSet> built = RuleSet::Compile(config);
  ASSERT_TRUE(built.ok()) << built.status().message();

  Result<RuleSet> parsed = RuleSet::FromJson(R"({
    "reps": [{"id": "ana", "email": "ana@example.com", "tier": "senior",
              "territories": ["DE"], "industries": ["software"],
              "products": ["crm"], "languages": ["de"],
              "attributes": {"skills": {"technical": 4}, "segment": "smb"}}],
    "rules": [
      {"id": "filters", "steps": [
        {"strategy": "territory", "if_missing": "keep"},
        {"strategy": "industry"},
        {"strategy": "product"},
        {"strategy": "language"},
        {"strategy": "match", "field": "segment", "attribute": "segment"},
        {"strategy": "match", "attribute": "skills.technical", "op": "gte",
         "value": 3},
        {"strategy": "score", "bands": [{"max": 50, "tiers": ["junior"]},
                                        {"min": 50, "tiers": ["senior"]}]},
        {"strategy": "deal_value", "bands": [{"max": 50, "tiers": ["junior"]},
                                             {"min": 50, "tiers": ["senior"]}]},
        {"strategy": "bands", "field": "employees", "if_missing": "keep",
         "bands": [{"max": 50, "tiers": ["junior"]},
                   {"min": 50, "tiers": ["senior"]}]},
        {"strategy": "availability", "presence": ["available", "away"],
         "capacity": false},
        {"strategy": "hierarchy", "walk": "ultimate"},
        {"strategy": "field_owner", "field": "requested_rep"},
        {"strategy": "round_robin", "weighted": true}]},
      {"id": "least", "steps": [{"strategy": "least_loaded",
                                 "relative": true}]},
      {"id": "random", "steps": [{"strategy": "random", "seed": 7}]}
    ],
    "fallback": {"queue": "triage"}
  })");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(built->hash(), parsed->hash());
}

}  // namespace
}  // namespace leadroute
