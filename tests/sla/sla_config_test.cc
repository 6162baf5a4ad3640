// SLA configuration: durations, escalation steps and team leads are read
// from JSON with errors at their JSON Pointer paths, validated when compiled
// (references, order, a lead for every team_lead owner) and written back by
// the canonical form.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/rule_set_json.h"
#include "leadroute/rule_set.h"
#include "sla.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using internal::DurationText;
using internal::ParseDuration;
using internal::ParseRuleSetJson;
using internal::RuleSetConfigToJson;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Paths;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;
using std::chrono::seconds;

// A valid ruleset with a rule SLA and a default SLA; tests break one thing.
Json Base() {
  return Json::parse(R"({
    "settings": {"sla": {"respond_within": "1h"}},
    "teams": [{"id": "emea", "lead": "lea"}, {"id": "na"}],
    "reps": [
      {"id": "ana", "teams": ["emea"]},
      {"id": "ben", "teams": ["emea"]},
      {"id": "lea", "teams": ["emea"]},
      {"id": "cy", "teams": ["na"]}
    ],
    "rules": [
      {"id": "emea", "pool": {"teams": ["emea"]},
       "sla": {"respond_within": "15m", "escalate": [
         {"after": "15m", "action": "reassign"},
         {"after": "60m", "action": "team_lead"},
         {"after": "2h", "action": "transfer", "to": "cy"},
         {"after": "1d", "action": "fallback"}]}},
      {"id": "na", "pool": {"teams": ["na"]}}
    ],
    "fallback": {"queue": "triage"}
  })");
}

Status LoadStatus(const Json& doc) {
  Result<RuleSet> r = RuleSet::FromJson(doc.dump());
  return r.ok() ? Status() : r.status();
}

std::string MessageAt(const Status& status, const std::string& path) {
  for (const ConfigError& e : status.errors()) {
    if (e.path == path) return e.message;
  }
  return "<no error at " + path + ">";
}

TEST(SlaDuration, ParsesEachUnit) {
  EXPECT_EQ(ParseDuration("90s"), seconds{90});
  EXPECT_EQ(ParseDuration("15m"), seconds{900});
  EXPECT_EQ(ParseDuration("2h"), seconds{7200});
  EXPECT_EQ(ParseDuration("1d"), seconds{86400});
}

TEST(SlaDuration, RejectsMalformedText) {
  for (const char* bad :
       {"", "m", "15", "0m", "-5m", "+5m", "1.5h", "15 m", "15M", "15min",
        "h15", "99999999999999999999s", "36501d"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(SlaDuration, TextUsesTheLargestExactUnit) {
  EXPECT_EQ(DurationText(seconds{90}), "90s");
  EXPECT_EQ(DurationText(seconds{3600}), "1h");
  EXPECT_EQ(DurationText(seconds{5400}), "90m");
  EXPECT_EQ(DurationText(seconds{172800}), "2d");
}

TEST(SlaConfig, LoadsRuleAndDefaultSlas) {
  Result<RuleSet> r = RuleSet::FromJson(Base().dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RuleSetConfig& config = r.value().config();
  ASSERT_TRUE(config.settings.sla.has_value());
  EXPECT_EQ(config.settings.sla->respond_within, seconds{3600});
  ASSERT_TRUE(config.rules[0].sla.has_value());
  const Sla& sla = *config.rules[0].sla;
  EXPECT_EQ(sla.respond_within, seconds{900});
  ASSERT_EQ(sla.escalate.size(), 4u);
  EXPECT_EQ(sla.escalate[1].after, seconds{3600});
  EXPECT_EQ(sla.escalate[1].action, EscalationAction::kTeamLead);
  EXPECT_EQ(sla.escalate[2].to, "cy");
  EXPECT_EQ(sla.escalate[3].action, EscalationAction::kFallback);
  EXPECT_FALSE(config.rules[1].sla.has_value());
  EXPECT_EQ(config.teams[0].lead, "lea");
}

TEST(SlaConfig, StructuralErrorsHaveTheirPaths) {
  Json doc = Base();
  Json& sla = doc["rules"][0]["sla"];
  sla["respond_within"] = 15;
  sla["escalate"][0]["action"] = "reasign";
  sla["escalate"][1]["afterr"] = "1h";
  sla["escalate"][1].erase("after");
  sla["escalate"][2]["after"] = "2 hours";
  doc["settings"]["sla"] = "1h";
  doc["teams"][1]["lead"] = 7;
  Status status = LoadStatus(doc);
  EXPECT_THAT(
      Paths(status),
      UnorderedElementsAre(
          "/rules/0/sla/respond_within", "/rules/0/sla/escalate/0/action",
          "/rules/0/sla/escalate/1/afterr", "/rules/0/sla/escalate/1/after",
          "/rules/0/sla/escalate/2/after", "/settings/sla", "/teams/1/lead"));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/respond_within"),
              HasSubstr("expected a duration"));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/0/action"),
              HasSubstr("\"team_lead\""));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/1/afterr"),
              HasSubstr("did you mean \"after\""));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/1/after"),
              HasSubstr("missing required key \"after\""));
}

TEST(SlaConfig, UnknownSlaKeysAreSuggested) {
  Json doc = Base();
  doc["rules"][0]["sla"]["respond_whithin"] = "5m";
  doc["rules"][0]["sla"].erase("respond_within");
  Status status = LoadStatus(doc);
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/respond_whithin"),
              HasSubstr("did you mean \"respond_within\""));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/respond_within"),
              HasSubstr("missing required key"));
}

TEST(SlaConfig, EscalationsMustIncreaseAndStartAfterTheResponseTime) {
  Json doc = Base();
  Json& escalate = doc["rules"][0]["sla"]["escalate"];
  escalate[0]["after"] = "10m";  // before respond_within (15m)
  escalate[2]["after"] = "60m";  // equal to the previous step
  Status status = LoadStatus(doc);
  EXPECT_THAT(Paths(status), ElementsAre("/rules/0/sla/escalate/0/after",
                                         "/rules/0/sla/escalate/2/after"));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/0/after"),
              HasSubstr("at least respond_within"));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/2/after"),
              HasSubstr("more than the previous step's \"1h\""));
}

TEST(SlaConfig, ReferencesAreChecked) {
  Json doc = Base();
  doc["teams"][0]["lead"] = "lee";                              // unknown rep
  doc["rules"][0]["sla"]["escalate"][2]["to"] = "nobody";       // unknown rep
  doc["rules"][0]["sla"]["escalate"][0]["to"] = "cy";           // not transfer
  doc["rules"][1]["sla"] = Json::parse(R"({"respond_within": "5m",
      "escalate": [{"after": "5m", "action": "transfer"}]})");  // no "to"
  Status status = LoadStatus(doc);
  EXPECT_THAT(Paths(status),
              UnorderedElementsAre(
                  "/teams/0/lead", "/rules/0/sla/escalate/0/to",
                  "/rules/0/sla/escalate/2/to", "/rules/1/sla/escalate/0/to"));
  EXPECT_THAT(MessageAt(status, "/teams/0/lead"), HasSubstr("unknown rep"));
  EXPECT_THAT(MessageAt(status, "/rules/0/sla/escalate/0/to"),
              HasSubstr("only with the \"transfer\" action"));
  EXPECT_THAT(MessageAt(status, "/rules/1/sla/escalate/0/to"),
              HasSubstr("missing required key \"to\""));
}

TEST(SlaConfig, TeamLeadNeedsALeadForEveryOwner) {
  Json doc = Base();
  // The default SLA applies to rule "na", whose rep "cy" has no team lead.
  doc["settings"]["sla"] = Json::parse(R"({"respond_within": "1h",
      "escalate": [{"after": "2h", "action": "team_lead"}]})");
  Status status = LoadStatus(doc);
  EXPECT_THAT(Paths(status), ElementsAre("/settings/sla/escalate/0/action"));
  EXPECT_THAT(MessageAt(status, "/settings/sla/escalate/0/action"),
              HasSubstr("rep \"cy\""));
  doc["teams"][1]["lead"] = "ana";  // a lead from another team is fine
  EXPECT_TRUE(LoadStatus(doc).ok()) << LoadStatus(doc).ToString();
}

TEST(SlaConfig, InactiveTeamLeadIsRejected) {
  Json doc = Base();
  doc["reps"][2]["active"] = false;
  Status status = LoadStatus(doc);
  EXPECT_THAT(MessageAt(status, "/teams/0/lead"), HasSubstr("inactive"));
}

TEST(SlaConfig, CodeBuiltConfigGetsTheSamePaths) {
  std::vector<ConfigError> errors;
  RuleSetConfig config = ParseRuleSetJson(Base().dump(), errors);
  ASSERT_TRUE(errors.empty());
  config.rules[0].sla->respond_within = seconds{0};
  config.rules[0].sla->escalate[3].after = seconds{-1};
  EXPECT_THAT(Paths(testing::CompileErrors(config)),
              ElementsAre("/rules/0/sla/respond_within",
                          "/rules/0/sla/escalate/3/after"));
}

TEST(SlaConfig, CanonicalJsonRoundTripsAndChangesTheHash) {
  std::vector<ConfigError> errors;
  RuleSetConfig config = ParseRuleSetJson(Base().dump(), errors);
  ASSERT_TRUE(errors.empty());
  std::string canonical = RuleSetConfigToJson(config);
  Json out = Json::parse(canonical);
  EXPECT_EQ(out["rules"][0]["sla"]["escalate"][1],
            Json::parse(R"({"after": "1h", "action": "team_lead"})"));
  EXPECT_EQ(out["settings"]["sla"], Json::parse(R"({"respond_within": "1h"})"));
  EXPECT_EQ(out["teams"][0]["lead"], "lea");
  RuleSetConfig again = ParseRuleSetJson(canonical, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(RuleSetConfigToJson(again), canonical);

  Result<RuleSet> with = RuleSet::Compile(config);
  config.rules[0].sla->escalate.pop_back();
  Result<RuleSet> without = RuleSet::Compile(config);
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_NE(with.value().hash(), without.value().hash());
}

}  // namespace
}  // namespace leadroute
