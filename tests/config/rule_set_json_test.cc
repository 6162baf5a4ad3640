// The RuleSet JSON format: every structural and semantic error is reported
// through RuleSet::FromJson with the JSON Pointer of the offending value, all
// of them at once; valid documents load; the canonical form round-trips.
#include "config/rule_set_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/docs_blocks.h"
#include "leadroute/rule_set.h"
#include "leadroute/steps.h"

namespace leadroute {
namespace {

using internal::ParseRuleSetJson;
using internal::RuleSetConfigToJson;
using Json = nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A valid ruleset; each test breaks one thing in it.
Json Base() {
  return Json::parse(R"({
    "teams": [{"id": "emea", "name": "EMEA"}, {"id": "na"}],
    "reps": [
      {"id": "ana", "teams": ["emea"], "territories": ["DE"]},
      {"id": "ben", "teams": ["emea"], "territories": ["FR"]},
      {"id": "cy", "teams": ["na"], "territories": ["US"]},
      {"id": "dee"}
    ],
    "rules": [
      {"id": "emea", "when": {"field": "region", "eq": "EMEA"},
       "pool": {"teams": ["emea"], "reps": ["ana", "ben"]},
       "steps": [{"strategy": "round_robin"}]},
      {"id": "world", "steps": [{"strategy": "territory"},
                                {"strategy": "round_robin"}]}
    ],
    "fallback": {"queue": "triage"}
  })");
}

std::vector<ConfigError> ErrorsOf(std::string_view json) {
  Result<RuleSet> r = RuleSet::FromJson(json);
  EXPECT_FALSE(r.ok()) << "loaded unexpectedly:\n" << json;
  if (r.ok()) return {};
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  auto errors = r.status().errors();
  return {errors.begin(), errors.end()};
}
std::vector<ConfigError> Errors(const Json& doc) {
  return ErrorsOf(doc.dump());
}

auto ErrorAt(const std::string& path) {
  return Contains(Field(&ConfigError::path, path));
}
auto ErrorAt(const std::string& path, const std::string& mention) {
  return Contains(AllOf(Field(&ConfigError::path, path),
                        Field(&ConfigError::message, HasSubstr(mention))));
}

// ---- Unknown keys at every level ------------------------------------------

TEST(RuleSetJson, UnknownTopLevelKeySuggestsTheClosest) {
  Json doc = Base();
  doc["rule"] = Json::array();
  EXPECT_THAT(Errors(doc), ErrorAt("/rule", "did you mean \"rules\""));
}

TEST(RuleSetJson, UnknownSettingsKey) {
  Json doc = Base();
  doc["settings"] = {{"sed", 3}};
  EXPECT_THAT(Errors(doc), ErrorAt("/settings/sed", "\"seed\""));
}

TEST(RuleSetJson, UnknownTeamKey) {
  Json doc = Base();
  doc["teams"][1]["nmae"] = "North America";
  EXPECT_THAT(Errors(doc), ErrorAt("/teams/1/nmae", "did you mean \"name\""));
}

TEST(RuleSetJson, TypoInRepKey) {
  Json doc = Base();
  doc["reps"][0]["weigth"] = 2;
  EXPECT_THAT(Errors(doc),
              ErrorAt("/reps/0/weigth", "did you mean \"weight\""));
}

TEST(RuleSetJson, UnknownCapacityKey) {
  Json doc = Base();
  doc["reps"][0]["capacity"] = {{"max_opn", 3}};
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/0/capacity/max_opn", "max_open"));
}

TEST(RuleSetJson, UnknownRuleKey) {
  Json doc = Base();
  doc["rules"][1]["onempty"] = "relax";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/1/onempty", "on_empty"));
}

TEST(RuleSetJson, UnknownPoolKey) {
  Json doc = Base();
  doc["rules"][0]["pool"]["team"] = Json::array({"emea"});
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/pool/team", "\"teams\""));
}

TEST(RuleSetJson, TypoInStepParameter) {
  Json doc = Base();
  doc["rules"][0]["steps"][0]["weigth"] = true;
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/steps/0/weigth", "weigth"));
}

TEST(RuleSetJson, UnknownFallbackKey) {
  Json doc = Base();
  doc["fallback"] = {{"queue", "triage"}, {"owner", "ana"}};
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback/owner", "unknown key"));
}

TEST(RuleSetJson, UnknownConditionKey) {
  Json doc = Base();
  doc["rules"][0]["when"]["flied"] = "x";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/flied", "\"field\""));
}

// ---- Wrong types and missing keys -------------------------------------------

TEST(RuleSetJson, RepsNotAnArray) {
  Json doc = Base();
  doc["reps"] = Json::object();
  EXPECT_THAT(Errors(doc), ErrorAt("/reps", "expected an array"));
}

TEST(RuleSetJson, RepNameNotAString) {
  Json doc = Base();
  doc["reps"][1]["name"] = 5;
  EXPECT_THAT(Errors(doc),
              ErrorAt("/reps/1/name", "found integer 5, expected a string"));
}

TEST(RuleSetJson, WeightNotANumber) {
  Json doc = Base();
  doc["reps"][0]["weight"] = "heavy";
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/0/weight", "expected a number"));
}

TEST(RuleSetJson, ActiveNotABoolean) {
  Json doc = Base();
  doc["reps"][2]["active"] = "yes";
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/2/active", "true or false"));
}

TEST(RuleSetJson, TerritoryElementNotAString) {
  Json doc = Base();
  doc["reps"][0]["territories"] = Json::array({"DE", 49});
  EXPECT_THAT(Errors(doc),
              ErrorAt("/reps/0/territories/1", "expected a string"));
}

TEST(RuleSetJson, MaxOpenNotAnInteger) {
  Json doc = Base();
  doc["reps"][0]["capacity"] = {{"max_open", 2.5}};
  EXPECT_THAT(Errors(doc),
              ErrorAt("/reps/0/capacity/max_open", "expected an integer"));
}

TEST(RuleSetJson, NullAttribute) {
  Json doc = Base();
  doc["reps"][0]["attributes"] = {{"skills", {{"technical", nullptr}}}};
  EXPECT_THAT(Errors(doc),
              ErrorAt("/reps/0/attributes/skills/technical", "found null"));
}

TEST(RuleSetJson, NegativeSeed) {
  Json doc = Base();
  doc["settings"] = {{"seed", -1}};
  EXPECT_THAT(Errors(doc),
              ErrorAt("/settings/seed", "expected a non-negative integer"));
}

TEST(RuleSetJson, MissingRepId) {
  Json doc = Base();
  doc["reps"][1].erase("id");
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/1/id", "missing required key"));
}

TEST(RuleSetJson, RuleIdNotAString) {
  Json doc = Base();
  doc["rules"][1]["id"] = 7;
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/1/id", "found integer 7"));
}

TEST(RuleSetJson, StepWithoutStrategy) {
  Json doc = Base();
  doc["rules"][0]["steps"][0] = {{"weighted", true}};
  EXPECT_THAT(Errors(doc),
              ErrorAt("/rules/0/steps/0/strategy", "missing required key"));
}

TEST(RuleSetJson, StepNotAnObject) {
  Json doc = Base();
  doc["rules"][1]["steps"][1] = "round_robin";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/1/steps/1", "expected an object"));
}

TEST(RuleSetJson, OnEmptyBadValue) {
  Json doc = Base();
  doc["rules"][0]["on_empty"] = "retry";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/on_empty", "\"relax\""));
}

TEST(RuleSetJson, RootNotAnObject) {
  EXPECT_THAT(ErrorsOf("[1, 2]"), ErrorAt("", "expected an object"));
}

TEST(RuleSetJson, MalformedJsonNamesLineAndColumn) {
  std::vector<ConfigError> errors =
      ErrorsOf("{\n  \"reps\": [\n    {\"id\": \"ana\",}\n  ]\n}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "");
  EXPECT_THAT(errors[0].message, HasSubstr("line 3, column"));
}

// ---- Fallback ---------------------------------------------------------------

TEST(RuleSetJson, MissingFallback) {
  Json doc = Base();
  doc.erase("fallback");
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback"));
}

TEST(RuleSetJson, FallbackWithBothQueueAndRep) {
  Json doc = Base();
  doc["fallback"] = {{"queue", "triage"}, {"rep", "ana"}};
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback", "exactly one"));
}

TEST(RuleSetJson, FallbackWithNeither) {
  Json doc = Base();
  doc["fallback"] = Json::object();
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback", "\"queue\""));
}

TEST(RuleSetJson, FallbackNotAnObject) {
  Json doc = Base();
  doc["fallback"] = "triage";
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback", "found string \"triage\""));
}

TEST(RuleSetJson, FallbackRepNotAString) {
  Json doc = Base();
  doc["fallback"] = {{"rep", 1}};
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback/rep", "found integer 1"));
}

TEST(RuleSetJson, FallbackRepUnknown) {
  Json doc = Base();
  doc["fallback"] = {{"rep", "zoe"}};
  EXPECT_THAT(Errors(doc), ErrorAt("/fallback/rep", "zoe"));
}

// ---- References, uniqueness, ranges (the compile stage) ---------------------

TEST(RuleSetJson, UnknownStrategy) {
  Json doc = Base();
  doc["rules"][1]["steps"][0]["strategy"] = "teritory";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/1/steps/0/strategy", "teritory"));
}

TEST(RuleSetJson, UnknownRepInPool) {
  Json doc = Base();
  doc["rules"][0]["pool"]["reps"][1] = "bne";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/pool/reps/1", "bne"));
}

TEST(RuleSetJson, UnknownTeamInPool) {
  Json doc = Base();
  doc["rules"][0]["pool"]["teams"][0] = "emae";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/pool/teams/0", "emae"));
}

TEST(RuleSetJson, UnknownTeamOnRep) {
  Json doc = Base();
  doc["reps"][2]["teams"][0] = "latam";
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/2/teams/0", "latam"));
}

TEST(RuleSetJson, DuplicateRepIdPointsAtTheSecond) {
  Json doc = Base();
  doc["reps"][3]["id"] = "ana";
  std::vector<ConfigError> errors = Errors(doc);
  EXPECT_THAT(errors, ErrorAt("/reps/3/id", "ana"));
  EXPECT_THAT(errors, Not(ErrorAt("/reps/0/id")));
}

TEST(RuleSetJson, DuplicateTeamId) {
  Json doc = Base();
  doc["teams"][1]["id"] = "emea";
  EXPECT_THAT(Errors(doc), ErrorAt("/teams/1/id", "emea"));
}

TEST(RuleSetJson, DuplicateRuleId) {
  Json doc = Base();
  doc["rules"][1]["id"] = "emea";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/1/id", "emea"));
}

TEST(RuleSetJson, BandsOutOfOrder) {
  Json doc = Base();
  doc["rules"][0]["steps"] = Json::parse(R"([{"strategy": "score", "bands": [
      {"min": 50, "tiers": ["senior"]}, {"max": 50, "tiers": ["junior"]}]}])");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/steps/0/bands/1"));
}

TEST(RuleSetJson, BandsOverlapping) {
  Json doc = Base();
  doc["rules"][0]["steps"] = Json::parse(R"([{"strategy": "score", "bands": [
      {"max": 60, "tiers": ["junior"]}, {"min": 50, "tiers": ["senior"]}]}])");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/steps/0/bands/1"));
}

TEST(RuleSetJson, NegativeMaxOpen) {
  Json doc = Base();
  doc["reps"][0]["capacity"] = {{"max_open", -1}};
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/0/capacity/max_open", "-1"));
}

TEST(RuleSetJson, WeightZero) {
  Json doc = Base();
  doc["reps"][0]["weight"] = 0;
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/0/weight"));
}

TEST(RuleSetJson, WeightNegative) {
  Json doc = Base();
  doc["reps"][1]["weight"] = -2.5;
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/1/weight"));
}

TEST(RuleSetJson, UnknownTimeZone) {
  Json doc = Base();
  doc["reps"][0]["time_zone"] = "Europe/Atlantis";
  EXPECT_THAT(Errors(doc), ErrorAt("/reps/0/time_zone", "Europe/Atlantis"));
}

// ---- Conditions
// --------------------------------------------------------------

TEST(RuleSetJson, BetweenLowAboveHigh) {
  Json doc = Base();
  doc["rules"][0]["when"] = {{"field", "score"}, {"between", {80, 20}}};
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/between"));
}

TEST(RuleSetJson, BetweenNeedsTwoBounds) {
  Json doc = Base();
  doc["rules"][0]["when"] = {{"field", "score"}, {"between", {1, 2, 3}}};
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/between", "[lo, hi]"));
}

TEST(RuleSetJson, InOperandNotAnArray) {
  Json doc = Base();
  doc["rules"][0]["when"] = Json::parse(R"({"all": [
      {"field": "region", "eq": "EMEA"}, {"field": "country", "in": "DE"}]})");
  EXPECT_THAT(Errors(doc),
              ErrorAt("/rules/0/when/all/1/in", "expected an array"));
}

TEST(RuleSetJson, InElementNotAScalar) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"field": "country", "not_in": ["DE", ["AT"]]})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/not_in/1"));
}

TEST(RuleSetJson, EqWithAnArray) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"field": "country", "eq": ["DE", "AT"]})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/eq", "use \"in\""));
}

TEST(RuleSetJson, GtWithAString) {
  Json doc = Base();
  doc["rules"][0]["when"] = Json::parse(R"({"field": "score", "gt": "high"})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/gt"));
}

TEST(RuleSetJson, UnknownOperatorKey) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"field": "country", "equals": "DE"})");
  std::vector<ConfigError> errors = Errors(doc);
  EXPECT_THAT(errors, ErrorAt("/rules/0/when/equals", "unknown key"));
  EXPECT_THAT(errors, ErrorAt("/rules/0/when", "no operator"));
}

TEST(RuleSetJson, TwoOperatorKeys) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"field": "country", "eq": "DE", "ne": "AT"})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when", "2 operators"));
}

TEST(RuleSetJson, FieldTestWithoutField) {
  Json doc = Base();
  doc["rules"][1]["when"] = Json::parse(R"({"any": [{"eq": "DE"}]})");
  EXPECT_THAT(Errors(doc),
              ErrorAt("/rules/1/when/any/0/field", "missing required key"));
}

TEST(RuleSetJson, FieldNotAString) {
  Json doc = Base();
  doc["rules"][0]["when"] = Json::parse(R"({"field": 3, "exists": true})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/field", "found integer 3"));
}

TEST(RuleSetJson, AllNotAnArray) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"all": {"field": "country", "eq": "DE"}})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/all", "expected an array"));
}

TEST(RuleSetJson, NotNotAnObject) {
  Json doc = Base();
  doc["rules"][0]["when"] = Json::parse(R"({"not": [{"field": "x",
                                                      "eq": 1}]})");
  EXPECT_THAT(Errors(doc),
              ErrorAt("/rules/0/when/not", "expected a condition"));
}

TEST(RuleSetJson, ErrorInsideNotHasTheChildPath) {
  Json doc = Base();
  doc["rules"][0]["when"] =
      Json::parse(R"({"not": {"field": "source", "prefix": {"a": 1}}})");
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when/not/prefix"));
}

TEST(RuleSetJson, ConditionNotAnObject) {
  Json doc = Base();
  doc["rules"][0]["when"] = "country == DE";
  EXPECT_THAT(Errors(doc), ErrorAt("/rules/0/when", "condition object"));
}

// ---- Many at once, no cascades
// -----------------------------------------------

TEST(RuleSetJson, OneBadConfigYieldsEveryError) {
  Json doc = Base();
  doc["reps"][0]["weigth"] = 2;                           // structural
  doc["reps"][1]["weight"] = 0;                           // range
  doc["rules"][0]["pool"]["reps"][1] = "bne";             // reference
  doc["rules"][1]["steps"][0]["strategy"] = "teritory";   // unknown strategy
  doc["rules"][1]["when"] = {{"field", "x"}, {"in", 1}};  // condition shape
  doc["fallback"] = {{"rep", "zoe"}};                     // reference
  std::vector<ConfigError> errors = Errors(doc);
  EXPECT_THAT(errors, ErrorAt("/reps/0/weigth"));
  EXPECT_THAT(errors, ErrorAt("/reps/1/weight"));
  EXPECT_THAT(errors, ErrorAt("/rules/0/pool/reps/1"));
  EXPECT_THAT(errors, ErrorAt("/rules/1/steps/0/strategy"));
  EXPECT_THAT(errors, ErrorAt("/rules/1/when/in"));
  EXPECT_THAT(errors, ErrorAt("/fallback/rep"));
  EXPECT_EQ(errors.size(), 6u)
      << RuleSet::FromJson(doc.dump()).status().message();
}

TEST(RuleSetJson, AnUnreadableIdKeepsLaterIndexesRight) {
  Json doc = Base();
  doc["reps"][3].erase("id");
  doc["reps"].push_back({{"id", "eve"}, {"weight", 0}});
  std::vector<ConfigError> errors = Errors(doc);
  EXPECT_THAT(errors, ErrorAt("/reps/3/id"));
  EXPECT_THAT(errors, ErrorAt("/reps/4/weight"));
  EXPECT_EQ(errors.size(), 2u);
}

TEST(RuleSetJson, MalformedFallbackIsNotAlsoReportedMissing) {
  Json doc = Base();
  doc["fallback"] = Json::array();
  std::vector<ConfigError> errors = Errors(doc);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors, ErrorAt("/fallback", "found an array"));
}

TEST(RuleSetJson, ParserReturnsThePartialConfig) {
  Json doc = Base();
  doc["reps"][1]["weight"] = "x";
  doc["reps"][2] = 5;
  std::vector<ConfigError> errors;
  RuleSetConfig config = ParseRuleSetJson(doc.dump(), errors);
  EXPECT_EQ(errors.size(), 2u);
  ASSERT_EQ(config.reps.size(), 4u);
  EXPECT_EQ(config.reps[1].id, "ben");
  EXPECT_EQ(config.reps[1].weight, 1);
  EXPECT_EQ(config.reps[2].id, "/reps/2");  // placeholder: indexes stay put
  EXPECT_EQ(config.rules.size(), 2u);
  ASSERT_TRUE(config.fallback.has_value());
}

// ---- Valid documents
// -----------------------------------------------------------

TEST(RuleSetJson, BaseLoads) {
  Result<RuleSet> r = RuleSet::FromJson(Base().dump());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config().reps.size(), 4u);
  EXPECT_EQ(r->config().rules[1].steps[0].strategy, "territory");
}

TEST(RuleSetJson, ReadsEveryKey) {
  Result<RuleSet> r = RuleSet::FromJson(R"({
    "$schema": "docs/schema/ruleset.schema.json",
    "name": "acme",
    "settings": {"seed": 18446744073709551615},
    "teams": [{"id": "emea", "name": "EMEA"}],
    "reps": [{
      "id": "ana", "name": "Ana", "email": "ana@example.com",
      "teams": ["emea"], "tier": "senior", "weight": 2.5,
      "territories": ["DE"], "industries": ["software"],
      "products": ["crm"], "languages": ["de"],
      "attributes": {"skills": {"technical": 4, "langs": ["de"]},
                     "certified": true, "segment": "smb"},
      "capacity": {"max_open": 20}, "time_zone": "Europe/Berlin",
      "active": false
    }, {"id": "ben"}],
    "rules": [{
      "id": "r", "description": "all of it",
      "when": {"not": {"field": "score", "lt": 10}},
      "pool": {"teams": ["emea"], "reps": ["ben"]},
      "steps": [{"strategy": "round_robin", "weighted": true}],
      "rotation": "shared", "on_empty": "relax"
    }],
    "fallback": {"rep": "ben"}
  })");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const RuleSetConfig& c = r->config();
  EXPECT_EQ(c.name, "acme");
  EXPECT_EQ(c.settings.seed, 18446744073709551615ULL);
  EXPECT_EQ(c.teams[0].name, "EMEA");
  const Rep& ana = c.reps[0];
  EXPECT_EQ(ana.email, "ana@example.com");
  EXPECT_EQ(ana.tier, "senior");
  EXPECT_EQ(ana.weight, 2.5);
  EXPECT_EQ(ana.attributes.at("skills.technical"), Value(4));
  EXPECT_EQ(ana.attributes.at("skills.langs"),
            Value(std::vector<std::string>{"de"}));
  EXPECT_EQ(ana.attributes.at("certified"), Value(true));
  EXPECT_EQ(ana.capacity.max_open, 20);
  EXPECT_EQ(ana.time_zone, "Europe/Berlin");
  EXPECT_FALSE(ana.active);
  const Rule& rule = c.rules[0];
  EXPECT_EQ(rule.description, "all of it");
  EXPECT_EQ(rule.when.op, ConditionOp::kNot);
  ASSERT_EQ(rule.when.children.size(), 1u);
  EXPECT_EQ(rule.when.children[0].op, ConditionOp::kLt);
  EXPECT_EQ(rule.when.children[0].values, std::vector<Value>{Value(10)});
  EXPECT_EQ(rule.pool.reps, std::vector<std::string>{"ben"});
  EXPECT_EQ(rule.steps[0].params, R"({"weighted":true})");
  EXPECT_EQ(rule.rotation, "shared");
  EXPECT_EQ(rule.on_empty, OnEmpty::kRelax);
  EXPECT_EQ(c.fallback, Owner::Rep("ben"));
}

TEST(RuleSetJson, ConditionOperandsBecomeValues) {
  std::vector<ConfigError> errors;
  RuleSetConfig c = ParseRuleSetJson(R"({"rules": [
      {"id": "a", "when": {"field": "country", "in": ["DE", 49, true]}},
      {"id": "b", "when": {"field": "score", "between": [1, 2.5]}},
      {"id": "c", "when": {"field": "email", "exists": false}}],
      "fallback": {"queue": "q"}})",
                                     errors);
  ASSERT_THAT(errors, IsEmpty());
  EXPECT_EQ(c.rules[0].when.op, ConditionOp::kIn);
  EXPECT_EQ(c.rules[0].when.field, "country");
  EXPECT_EQ(c.rules[0].when.values,
            (std::vector<Value>{Value("DE"), Value(49), Value(true)}));
  EXPECT_EQ(c.rules[1].when.values, (std::vector<Value>{Value(1), Value(2.5)}));
  EXPECT_EQ(c.rules[2].when.values, std::vector<Value>{Value(false)});
}

TEST(RuleSetJson, EquivalentDocumentsHaveTheSameHash) {
  Result<RuleSet> a = RuleSet::FromJson(Base().dump());
  Json reordered = Base();
  reordered["reps"][0] = Json::parse(
      R"({"territories": ["DE"], "weight": 1, "active": true,
          "teams": ["emea"], "id": "ana"})");
  reordered["rules"][1]["on_empty"] = "next_rule";
  reordered["rules"][1]["when"] = {{"all", Json::array()}};
  Result<RuleSet> b = RuleSet::FromJson(reordered.dump(2));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->hash(), b->hash());
  Json changed = Base();
  changed["reps"][0]["weight"] = 2;
  Result<RuleSet> c = RuleSet::FromJson(changed.dump());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->hash(), c->hash());
}

// ---- Canonical JSON round trip
// ---------------------------------------------------

bool SameRep(const Rep& a, const Rep& b) {
  return a.id == b.id && a.name == b.name && a.email == b.email &&
         a.teams == b.teams && a.tier == b.tier && a.weight == b.weight &&
         a.territories == b.territories && a.industries == b.industries &&
         a.products == b.products && a.languages == b.languages &&
         a.attributes == b.attributes &&
         a.capacity.max_open == b.capacity.max_open &&
         a.time_zone == b.time_zone && a.active == b.active;
}

bool SameRule(const Rule& a, const Rule& b) {
  if (a.id != b.id || a.description != b.description || a.when != b.when ||
      a.pool.teams != b.pool.teams || a.pool.reps != b.pool.reps ||
      a.rotation != b.rotation || a.on_empty != b.on_empty ||
      a.steps.size() != b.steps.size()) {
    return false;
  }
  for (size_t i = 0; i < a.steps.size(); ++i) {
    if (a.steps[i].strategy != b.steps[i].strategy ||
        a.steps[i].params != b.steps[i].params) {
      return false;
    }
  }
  return true;
}

bool SameConfig(const RuleSetConfig& a, const RuleSetConfig& b) {
  if (a.name != b.name || a.settings.seed != b.settings.seed ||
      a.fallback != b.fallback || a.teams.size() != b.teams.size() ||
      a.reps.size() != b.reps.size() || a.rules.size() != b.rules.size()) {
    return false;
  }
  for (size_t i = 0; i < a.teams.size(); ++i) {
    if (a.teams[i].id != b.teams[i].id || a.teams[i].name != b.teams[i].name) {
      return false;
    }
  }
  for (size_t i = 0; i < a.reps.size(); ++i) {
    if (!SameRep(a.reps[i], b.reps[i])) return false;
  }
  for (size_t i = 0; i < a.rules.size(); ++i) {
    if (!SameRule(a.rules[i], b.rules[i])) return false;
  }
  return true;
}

TEST(RuleSetJson, CanonicalJsonRoundTripsTheDocsExamples) {
  std::vector<testing_docs::JsonBlock> blocks = testing_docs::DocsJsonBlocks();
  size_t rulesets = 0;
  for (const auto& block : blocks) {
    if (block.kind != testing_docs::BlockKind::kRuleSet) continue;
    SCOPED_TRACE(block.where);
    ++rulesets;
    std::vector<ConfigError> errors;
    RuleSetConfig config = ParseRuleSetJson(block.text, errors);
    ASSERT_THAT(errors, IsEmpty());
    std::string canonical = RuleSetConfigToJson(config);
    RuleSetConfig again = ParseRuleSetJson(canonical, errors);
    ASSERT_THAT(errors, IsEmpty()) << canonical;
    EXPECT_TRUE(SameConfig(config, again)) << canonical;
    EXPECT_EQ(RuleSetConfigToJson(again), canonical);
  }
  EXPECT_GE(rulesets, 20u);
}

TEST(RuleSetJson, CanonicalJsonRoundTripsACodeBuiltConfig) {
  RuleSetConfig config;
  config.name = "built";
  config.settings.seed = 9;
  config.teams = {{"emea", "EMEA"}};
  Rep ana;
  ana.id = "ana";
  ana.teams = {"emea"};
  ana.weight = 0.5;
  ana.attributes = {{"skills.technical", Value(3)}, {"vip", Value(true)}};
  ana.capacity.max_open = 0;
  config.reps = {ana};
  Rule rule;
  rule.id = "r";
  rule.when = Condition::All(
      {Condition::Between("score", 1, 2), Condition::Exists("email", false),
       Condition::Not(Condition::In("country", {"DE", "AT"}))});
  rule.steps = {steps::Score({{std::nullopt, 50, {"junior"}},
                              {50, std::nullopt, {"senior"}}}),
                steps::RoundRobin({.weighted = true})};
  rule.on_empty = OnEmpty::kFallback;
  config.rules = {rule};
  config.fallback = Owner::Queue("q");

  std::vector<ConfigError> errors;
  std::string canonical = RuleSetConfigToJson(config);
  RuleSetConfig again = ParseRuleSetJson(canonical, errors);
  ASSERT_THAT(errors, IsEmpty()) << canonical;
  EXPECT_TRUE(SameConfig(config, again)) << canonical;
  EXPECT_EQ(canonical, R"({"name":"built","settings":{"seed":9},)"
                       R"("teams":[{"id":"emea","name":"EMEA"}],)"
                       R"("reps":[{"id":"ana","teams":["emea"],"weight":0.5,)"
                       R"("attributes":{"skills.technical":3,"vip":true},)"
                       R"("capacity":{"max_open":0}}],)"
                       R"("rules":[{"id":"r","when":{"all":[)"
                       R"({"field":"score","between":[1.0,2.0]},)"
                       R"({"field":"email","exists":false},)"
                       R"({"not":{"field":"country","in":["DE","AT"]}}]},)"
                       R"("steps":[{"strategy":"score","bands":[{"max":50,)"
                       R"("tiers":["junior"]},{"min":50,"tiers":["senior"]}]},)"
                       R"({"strategy":"round_robin","weighted":true}],)"
                       R"("on_empty":"fallback"}],"fallback":{"queue":"q"}})");
}

}  // namespace
}  // namespace leadroute
