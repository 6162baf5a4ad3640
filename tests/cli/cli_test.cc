// Runs the built `leadroute` program as a user would: exit codes, stdout,
// stderr and the files it writes. Each test works in its own directory under
// the build tree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using leadroute::testing::CliRun;
using leadroute::testing::ExpectGolden;
using leadroute::testing::kDemo;
using leadroute::testing::Lines;
using leadroute::testing::Quote;
using leadroute::testing::ReadText;
using ::testing::HasSubstr;
using ::testing::Not;

size_t NonEmptyLines(const std::string& text) {
  size_t n = 0;
  for (const std::string& line : Lines(text)) {
    n += line.find_first_not_of(" \t\r") != std::string::npos ? 1 : 0;
  }
  return n;
}

class LeadrouteCli : public leadroute::testing::CliTest {};

// A small, valid ruleset for the error-handling tests.
constexpr const char* kSmallRules = R"json({
  "teams": [{"id": "inbound"}],
  "reps": [{"id": "ana", "teams": ["inbound"]}, {"id": "ben", "teams": ["inbound"]}],
  "rules": [{"id": "all", "pool": {"teams": ["inbound"]}, "steps": [{"strategy": "round_robin"}]}],
  "fallback": {"queue": "triage"}
})json";

// Four mistakes the loader must report together, at documented paths.
constexpr const char* kBadRules = R"json({
  "teams": [{"id": "emea"}],
  "reps": [
    {"id": "ana", "teams": ["emea"], "weigth": 2},
    {"id": "ben", "teams": ["emea"], "weight": 0}
  ],
  "rules": [{"id": "r", "steps": [{"strategy": "round_robbin"}]}]
})json";

TEST_F(LeadrouteCli, ValidateAcceptsTheDemoRules) {
  CliRun run = Leadroute("validate " + Quote(Data("rules.json")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("valid"));
  EXPECT_THAT(run.out, HasSubstr("reps"));
  EXPECT_THAT(run.out, HasSubstr("teams"));
  EXPECT_THAT(run.out, HasSubstr("rules"));
  EXPECT_THAT(run.out, HasSubstr("fallback queue"));
  EXPECT_EQ(Lines(run.out).size(), 1u) << run.out;
  EXPECT_EQ(run.err, "");
}

TEST_F(LeadrouteCli, ValidateReportsEveryErrorWithItsPath) {
  std::string bad = Write("bad.json", kBadRules);
  CliRun run = Leadroute("validate " + Quote(bad));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(bad + ": /reps/0/weigth: "));
  EXPECT_THAT(run.err, HasSubstr(bad + ": /reps/1/weight: "));
  EXPECT_THAT(run.err, HasSubstr(bad + ": /rules/0/steps/0/strategy: "));
  EXPECT_THAT(run.err, HasSubstr(bad + ": /fallback: "));
  EXPECT_THAT(run.out, Not(HasSubstr("valid:")));
}

TEST_F(LeadrouteCli, ValidateShowsTheDocumentRootAsSlash) {
  std::string bad = Write("broken.json", "{\"reps\": [\n");
  CliRun run = Leadroute("validate " + Quote(bad));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(": /: invalid JSON"));
}

TEST_F(LeadrouteCli, ValidateShowsLineAndColumnOfBrokenJson) {
  std::string bad = Write("broken.json",
                          "{\n  \"reps\": [\n    {\"id\": \"a\",, }\n  ]\n}\n");
  CliRun run = Leadroute("validate " + Quote(bad));
  EXPECT_EQ(run.exit_code, 1);
  // FILE:LINE:COLUMN: first, as compilers print it.
  EXPECT_THAT(run.err, HasSubstr(bad + ":3:16: /: invalid JSON at line 3, "
                                       "column 16"));

  CliRun json = Leadroute("validate --json " + Quote(bad));
  EXPECT_EQ(json.exit_code, 1);
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["errors"].size(), 1u) << json.out;
  EXPECT_EQ(doc["errors"][0]["path"], "");
  EXPECT_EQ(doc["errors"][0]["line"], 3);
  EXPECT_EQ(doc["errors"][0]["column"], 16);
}

TEST_F(LeadrouteCli, ValidateUnreadableFileFailsToLoad) {
  CliRun run = Leadroute("validate " + Quote(Path("missing.json")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(Path("missing.json") + ": /: "));
}

TEST_F(LeadrouteCli, ValidateJsonPrintsValidityAndErrors) {
  CliRun good = Leadroute("validate --json " + Quote(Data("rules.json")));
  EXPECT_EQ(good.exit_code, 0);
  auto doc = nlohmann::json::parse(good.out);
  EXPECT_EQ(doc["valid"], true);
  EXPECT_TRUE(doc["errors"].is_array());
  EXPECT_TRUE(doc["errors"].empty());

  CliRun bad =
      Leadroute("validate --json " + Quote(Write("bad.json", kBadRules)));
  EXPECT_EQ(bad.exit_code, 1);
  doc = nlohmann::json::parse(bad.out);
  EXPECT_EQ(doc["valid"], false);
  ASSERT_GE(doc["errors"].size(), 4u);
  std::set<std::string> paths;
  for (const auto& error : doc["errors"]) {
    ASSERT_TRUE(error.contains("path"));
    ASSERT_TRUE(error.contains("message"));
    EXPECT_FALSE(error["message"].get<std::string>().empty());
    paths.insert(error["path"].get<std::string>());
  }
  EXPECT_TRUE(paths.count("/reps/0/weigth")) << doc.dump();
  EXPECT_TRUE(paths.count("/fallback")) << doc.dump();
}

TEST_F(LeadrouteCli, RouteWritesOneDecisionPerLead) {
  std::string out = Path("routed.jsonl");
  CliRun run =
      Leadroute("route --rules " + Quote(Data("rules.json")) + " --accounts " +
                Quote(Data("accounts.json")) + " --leads " +
                Quote(Data("leads.jsonl")) + " --out " + Quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");

  std::vector<std::string> inputs;
  for (const std::string& line : Lines(ReadText(Data("leads.jsonl")))) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      inputs.push_back(line);
    }
  }
  std::vector<std::string> outputs = Lines(ReadText(out));
  ASSERT_EQ(outputs.size(), inputs.size());
  const std::set<std::string> keys = {"lead_id", "owner",      "owner_kind",
                                      "rule",    "decided_by", "fallback"};
  for (size_t i = 0; i < outputs.size(); ++i) {
    auto decision = nlohmann::json::parse(outputs[i]);
    // The six documented keys, plus `"repeated": true` on a retried lead id.
    std::set<std::string> seen;
    for (const auto& [key, value] : decision.items()) seen.insert(key);
    if (decision.contains("repeated")) {
      EXPECT_EQ(decision["repeated"], true) << outputs[i];
      seen.erase("repeated");
    }
    ASSERT_EQ(seen, keys) << outputs[i];
    ASSERT_TRUE(decision["owner"].is_string()) << outputs[i];
    ASSERT_FALSE(decision["owner"].get<std::string>().empty()) << outputs[i];
    ASSERT_TRUE(decision["fallback"].is_boolean()) << outputs[i];
    // Decisions come out in input order.
    ASSERT_EQ(decision["lead_id"], nlohmann::json::parse(inputs[i])["id"])
        << "line " << i + 1;
  }
}

TEST_F(LeadrouteCli, RouteReportsBadLinesAndGoesOn) {
  std::string rules = Write("rules.json", kSmallRules);
  std::string leads = Write("leads.jsonl",
                            "{\"id\": \"L-1\", \"country\": \"DE\"}\n"  // 1
                            "\n"                                        // 2
                            "{not json\n"                               // 3
                            "{\"id\": \"L-2\"}\n"                       // 4
                            "{\"country\": \"DE\"}\n"                   // 5
                            "   \n"                                     // 6
                            "[1, 2]\n"                                  // 7
                            "{\"id\": \"L-3\", \"score\": 40}\n"        // 8
                            "{\"id\": \"\"}\n"                          // 9
                            "{\"id\": \"L-4\"}");                       // 10
  CliRun run =
      Leadroute("route --rules " + Quote(rules) + " --leads " + Quote(leads));
  EXPECT_EQ(run.exit_code, 3);

  std::vector<std::string> decisions = Lines(run.out);
  std::vector<std::string> errors = Lines(run.err);
  EXPECT_EQ(decisions.size() + errors.size(), NonEmptyLines(ReadText(leads)));
  ASSERT_EQ(decisions.size(), 4u) << run.out;
  std::vector<int64_t> error_lines;
  for (const std::string& line : errors) {
    auto record = nlohmann::json::parse(line);
    ASSERT_TRUE(record["line"].is_number_integer()) << line;
    ASSERT_TRUE(record["error"].is_string()) << line;
    EXPECT_FALSE(record["error"].get<std::string>().empty()) << line;
    error_lines.push_back(record["line"].get<int64_t>());
  }
  EXPECT_EQ(error_lines, (std::vector<int64_t>{3, 5, 7, 9}));
  for (const std::string& line : decisions) {
    EXPECT_FALSE(
        nlohmann::json::parse(line)["owner"].get<std::string>().empty());
  }
}

TEST_F(LeadrouteCli, RouteSummaryHasRepAndRuleSections) {
  CliRun run = Leadroute("route --rules " + Quote(Data("rules.json")) +
                         " --accounts " + Quote(Data("accounts.json")) +
                         " --leads " + Quote(Data("leads.jsonl")) + " --out " +
                         Quote(Path("routed.jsonl")) + " --summary");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Decisions went to a file, so the summary is on stdout.
  EXPECT_THAT(run.out, HasSubstr("Leads per rep"));
  EXPECT_THAT(run.out, HasSubstr("expected"));
  EXPECT_THAT(run.out, HasSubstr("deviation"));
  EXPECT_THAT(run.out, HasSubstr("lena.fischer"));
  EXPECT_THAT(run.out, HasSubstr("Leads per rule"));
  EXPECT_THAT(run.out, HasSubstr("named-accounts"));
  EXPECT_THAT(run.out, HasSubstr("fallback"));
  EXPECT_THAT(run.out, HasSubstr("leads/s"));
  EXPECT_EQ(run.err, "");
}

TEST_F(LeadrouteCli, RouteSummaryGoesToStderrWhenDecisionsUseStdout) {
  std::string head;
  std::vector<std::string> lines = Lines(ReadText(Data("leads.jsonl")));
  for (size_t i = 0; i < 200 && i < lines.size(); ++i) head += lines[i] + "\n";
  std::string leads = Write("leads.jsonl", head);
  // --leads - reads standard input.
  CliRun run = Leadroute("route --rules " + Quote(Data("rules.json")) +
                         " --leads - --summary <" + Quote(leads));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Lines(run.out).size(), 200u);
  EXPECT_THAT(run.out, Not(HasSubstr("Leads per rep")));
  EXPECT_THAT(run.err, HasSubstr("Leads per rep"));
  EXPECT_THAT(run.err, HasSubstr("Leads per rule"));
}

TEST_F(LeadrouteCli, RouteStateCarriesAcrossRuns) {
  // The first 1,000 demo leads, in one run and in two halves with --state.
  std::vector<std::string> leads;
  for (const std::string& line : Lines(ReadText(Data("leads.jsonl")))) {
    if (leads.size() == 1000) break;
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      leads.push_back(line);
    }
  }
  std::string first, second, all;
  for (size_t i = 0; i < leads.size(); ++i) {
    (i < 500 ? first : second) += leads[i] + "\n";
    all += leads[i] + "\n";
  }
  const std::string rules = " --rules " + Quote(Data("rules.json")) +
                            " --accounts " + Quote(Data("accounts.json"));
  auto route = [&](const std::string& leads_file, const std::string& extra) {
    CliRun run =
        Leadroute("route" + rules + " --leads " + Quote(leads_file) + extra);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out;
  };
  std::string one_run = route(Write("all.jsonl", all), "");
  std::string state = Path("state.json");
  ASSERT_FALSE(fs::exists(state));  // the first run starts from nothing
  std::string halves =
      route(Write("first.jsonl", first), " --state " + Quote(state));
  ASSERT_TRUE(fs::exists(state));
  halves += route(Write("second.jsonl", second), " --state " + Quote(state));
  EXPECT_EQ(halves, one_run);

  // A lead decided in an earlier run comes back as repeated.
  std::string again =
      route(Write("again.jsonl", leads[0] + "\n"), " --state " + Quote(state));
  EXPECT_EQ(nlohmann::json::parse(again)["repeated"], true) << again;
  EXPECT_EQ(nlohmann::json::parse(again)["owner"],
            nlohmann::json::parse(Lines(one_run)[0])["owner"]);

  // simulate starts from the saved state and leaves it untouched.
  std::string before = ReadText(state);
  CliRun sim =
      Leadroute("simulate" + rules + " --leads " + Quote(Path("second.jsonl")) +
                " --state " + Quote(state) + " --json");
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  // Every lead of the second half is already decided in that state.
  EXPECT_EQ(nlohmann::json::parse(sim.out)["decisions"], 0) << sim.out;
  EXPECT_EQ(ReadText(state), before);

  // A state file that does not load: exit 1, the file stays as it was.
  std::string bad =
      Write("bad_state.json", R"({"format":"leadroute-state","version":2})");
  CliRun rejected =
      Leadroute("route" + rules + " --leads " + Quote(Path("first.jsonl")) +
                " --state " + Quote(bad));
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_THAT(rejected.err, HasSubstr("cannot load state"));
  EXPECT_THAT(rejected.err, HasSubstr("version 2"));
  EXPECT_EQ(ReadText(bad), R"({"format":"leadroute-state","version":2})");
}

TEST_F(LeadrouteCli, RouteFailsWhenRulesOrAccountsDoNotLoad) {
  std::string leads = Write("leads.jsonl", "{\"id\": \"L-1\"}\n");
  std::string bad = Write("bad.json", kBadRules);
  CliRun run =
      Leadroute("route --rules " + Quote(bad) + " --leads " + Quote(leads));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(bad + ": /reps/0/weigth: "));
  EXPECT_EQ(run.out, "");

  std::string rules = Write("rules.json", kSmallRules);
  std::string accounts = Write(
      "accounts.json", R"({"accounts": [{"id": "a", "parent": "nope"}]})");
  run = Leadroute("route --rules " + Quote(rules) + " --accounts " +
                  Quote(accounts) + " --leads " + Quote(leads));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(accounts + ": /accounts/0"));
  EXPECT_EQ(run.out, "");
}

TEST_F(LeadrouteCli, UsageErrorsExitTwo) {
  EXPECT_EQ(Leadroute("").exit_code, 2);
  EXPECT_EQ(Leadroute("frobnicate").exit_code, 2);
  EXPECT_EQ(Leadroute("validate").exit_code, 2);
  EXPECT_EQ(Leadroute("route --leads x.jsonl").exit_code, 2);
  EXPECT_EQ(Leadroute("route --rules r.json --leads l.jsonl --bogus").exit_code,
            2);
}

TEST_F(LeadrouteCli, HelpShowsAnExampleForEachCommand) {
  CliRun validate = Leadroute("validate --help");
  EXPECT_EQ(validate.exit_code, 0);
  EXPECT_THAT(validate.out, HasSubstr("Example:"));
  EXPECT_THAT(validate.out, HasSubstr("leadroute validate "));
  CliRun route = Leadroute("route --help");
  EXPECT_EQ(route.exit_code, 0);
  EXPECT_THAT(route.out, HasSubstr("Example:"));
  EXPECT_THAT(route.out, HasSubstr("leadroute route --rules"));
  for (const char* verb : {"lint", "simulate", "diff"}) {
    CliRun help = Leadroute(std::string(verb) + " --help");
    EXPECT_EQ(help.exit_code, 0) << verb;
    EXPECT_THAT(help.out, HasSubstr("Example:")) << verb;
    EXPECT_THAT(help.out, HasSubstr(std::string("leadroute ") + verb + " "))
        << verb;
  }
}

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

TEST_F(LeadrouteCli, SimulateDemoMatchesGolden) {
  CliRun text = Leadroute(std::string("simulate ") + kDemo);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Leads per rep"));
  EXPECT_THAT(text.out, HasSubstr("Gini"));
  EXPECT_THAT(text.out, HasSubstr("reached max_open"));
  // Timing is on stderr only, so stdout is reproducible.
  EXPECT_THAT(text.out, Not(HasSubstr("leads/s")));
  EXPECT_THAT(text.err, HasSubstr("leads/s"));
  ExpectGolden("simulate.txt", text.out);

  CliRun json = Leadroute(std::string("simulate --json ") + kDemo);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  int64_t per_owner = 0;
  for (const auto& rep : doc["reps"]) per_owner += rep["leads"].get<int64_t>();
  for (const auto& queue : doc["queues"]) {
    per_owner += queue["leads"].get<int64_t>();
  }
  EXPECT_EQ(per_owner, doc["decisions"].get<int64_t>());
  EXPECT_GE(doc["fairness"]["gini"].get<double>(), 0.0);
  EXPECT_LE(doc["fairness"]["gini"].get<double>(), 1.0);
  ExpectGolden("simulate.json", json.out);
}

TEST_F(LeadrouteCli, SimulateHasNoSideEffects) {
  CliRun first = Leadroute(std::string("simulate --json ") + kDemo);
  CliRun second = Leadroute(std::string("simulate --json ") + kDemo);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
}

TEST_F(LeadrouteCli, SimulateHtmlReportIsStandalone) {
  std::string html_path = Path("report.html");
  CliRun run = Leadroute(std::string("simulate ") + kDemo + " --html " +
                         Quote(html_path));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string html = ReadText(html_path);
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* tag : {"html", "head", "body", "svg", "pre", "title"}) {
    EXPECT_EQ(Count(html, std::string("<") + tag),
              Count(html, std::string("</") + tag + ">"))
        << tag;
  }
  EXPECT_EQ(Count(html, "<html"), 1);
  EXPECT_EQ(Count(html, "<svg"), 1);
  // No network resources and no scripts.
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  // One bar per rep of the roster.
  auto rules = nlohmann::json::parse(ReadText(Data("rules.json")));
  EXPECT_EQ(Count(html, "<rect"), static_cast<int>(rules["reps"].size()));
  for (const auto& rep : rules["reps"]) {
    EXPECT_THAT(html, HasSubstr(">" + rep["id"].get<std::string>() + "<"));
  }
}

TEST_F(LeadrouteCli, DiffOfAConfigWithItselfChangesNothing) {
  std::string args =
      "--old examples/data/rules.json --new examples/data/rules.json "
      "--accounts examples/data/accounts.json "
      "--leads examples/data/leads.jsonl";
  CliRun text = Leadroute("diff " + args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("changed     0 of 10000 leads (0.0%)"));
  ExpectGolden("diff_self.txt", text.out);

  CliRun json = Leadroute("diff --json " + args);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["changed"], 0);
  EXPECT_TRUE(doc["changes"].empty());
  for (const auto& owner : doc["owners"]) EXPECT_EQ(owner["change"], 0);
  ExpectGolden("diff_self.json", json.out);
}

TEST_F(LeadrouteCli, DiffReportsLeadsThatChangeOwner) {
  // The proposal: lena.fischer leaves.
  auto rules = nlohmann::json::parse(ReadText(Data("rules.json")));
  for (auto& rep : rules["reps"]) {
    if (rep["id"] == "lena.fischer") rep["active"] = false;
  }
  std::string proposed = Write("proposed.json", rules.dump(2));
  CliRun run = Leadroute("diff --json --old examples/data/rules.json --new " +
                         Quote(proposed) +
                         " --accounts examples/data/accounts.json "
                         "--leads examples/data/leads.jsonl");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_GT(doc["changed"].get<int64_t>(), 0);
  int64_t moved = 0, net = 0;
  for (const auto& change : doc["changes"]) {
    EXPECT_NE(change["from"], change["to"]);
    moved += change["leads"].get<int64_t>();
  }
  EXPECT_EQ(moved, doc["changed"].get<int64_t>());
  for (const auto& owner : doc["owners"]) {
    net += owner["change"].get<int64_t>();
    if (owner["owner"] == "lena.fischer") {
      EXPECT_GT(owner["old"].get<int64_t>(), 0);
      EXPECT_EQ(owner["new"], 0);
    }
  }
  EXPECT_EQ(net, 0);  // every lead still has exactly one owner
}

TEST_F(LeadrouteCli, LintIsQuietOnTheDemoRules) {
  CliRun text = Leadroute("lint examples/data/rules.json");
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_THAT(text.out, Not(HasSubstr(": error: ")));
  ExpectGolden("lint_demo.txt", text.out);
  CliRun json = Leadroute("lint --json examples/data/rules.json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(json.out)["errors"], 0);
  ExpectGolden("lint_demo.json", json.out);
}

struct LintCase {
  const char* file;
  int exit_code;
  const char* severity;
  const char* path;
  const char* message;
};

TEST_F(LeadrouteCli, LintFindsEachKindOfProblem) {
  const LintCase cases[] = {
      {"lint_shadowed.json", 2, "error", "/rules/1",
       "can never fire: rule \"everyone\" (/rules/0) applies to every lead"},
      {"lint_same_when.json", 2, "error", "/rules/1",
       "can never fire: rule \"de-first\" (/rules/0) has the same when"},
      {"lint_contradiction.json", 2, "error", "/rules/0/when",
       "can never hold: score > 90 and score < 50"},
      {"lint_contradiction.json", 2, "error", "/rules/1/when/any/1",
       "country equals both \"DE\" and \"FR\""},
      {"lint_pools.json", 2, "error", "/rules/0/pool", "the pool has no reps"},
      {"lint_pools.json", 2, "error", "/rules/1/pool",
       "every rep of the pool is inactive"},
      {"lint_pools.json", 2, "warning", "/reps/1", "no lead can reach them"},
      {"lint_pools.json", 2, "warning", "/reps/3/capacity/max_open",
       "can never be met"},
      {"lint_bands.json", 0, "warning", "/rules/0/steps/0/bands",
       "gap: score in [40, 60)"},
      {"lint_types.json", 0, "warning", "/rules/2/when",
       "\"score\" is compared with strings here but with numbers"},
      {"lint_time.json", 0, "warning", "/reps/0/capacity/max_per_day",
       "max_per_day 0 can never be met"},
      {"lint_time.json", 0, "warning", "/reps/1/capacity/max_per_week",
       "max_per_week 60 can never be reached: at most 50 (max_per_day x 5 "
       "working days a week)"},
      {"lint_time.json", 0, "warning", "/reps/1/capacity/max_per_month",
       "max_per_month 400 can never be reached: at most 310"},
      {"lint_time.json", 0, "warning", "/reps/2/schedule/weekly",
       "the schedule has no working time"},
      {"lint_time.json", 0, "warning", "/reps/2/capacity/max_per_day",
       "max_per_day 20 can never be reached: at most 15 (max_per_week"},
      {"lint_time.json", 0, "warning", "/reps/3/schedule",
       "the schedule has no effect"},
  };
  for (const LintCase& c : cases) {
    std::string file = std::string("tests/cli/data/") + c.file;
    CliRun run = Leadroute("lint --json " + file);
    EXPECT_EQ(run.exit_code, c.exit_code) << c.file << run.err;
    auto doc = nlohmann::json::parse(run.out);
    bool found = false;
    for (const auto& f : doc["findings"]) {
      found = found || (f["severity"] == c.severity && f["path"] == c.path &&
                        f["message"].get<std::string>().find(c.message) !=
                            std::string::npos);
    }
    EXPECT_TRUE(found) << c.file << " " << c.path << "\n" << run.out;
  }
  // Only the intended findings: rules that can fall through shadow nothing,
  // and an exact range (score >= 50 and <= 50) holds.
  CliRun same = Leadroute("lint --json tests/cli/data/lint_same_when.json");
  EXPECT_EQ(nlohmann::json::parse(same.out)["findings"].size(), 1u) << same.out;
  // dora works Saturday 22:00-02:00 (two local days), so her weekly cap of
  // 10 = 5 x 2 is reachable; ben's daily cap is reachable too.
  CliRun time = Leadroute("lint --json tests/cli/data/lint_time.json");
  EXPECT_EQ(nlohmann::json::parse(time.out)["findings"].size(), 6u) << time.out;
  CliRun contra =
      Leadroute("lint --json tests/cli/data/lint_contradiction.json");
  EXPECT_EQ(nlohmann::json::parse(contra.out)["findings"].size(), 2u)
      << contra.out;
  // Text: `FILE: error: PATH: message`, then the totals.
  CliRun text = Leadroute("lint tests/cli/data/lint_shadowed.json");
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_THAT(
      text.out,
      HasSubstr("tests/cli/data/lint_shadowed.json: error: /rules/1: "));
  EXPECT_THAT(text.out, HasSubstr(": 1 error, 0 warnings"));
  ExpectGolden("lint_pools.txt",
               Leadroute("lint tests/cli/data/lint_pools.json").out);
}

TEST_F(LeadrouteCli, NewVerbsFailToLoadWithExitOne) {
  std::string bad = Write("bad.json", kBadRules);
  EXPECT_EQ(Leadroute("lint " + Quote(bad)).exit_code, 1);
  EXPECT_EQ(Leadroute("simulate --rules " + Quote(bad) +
                      " --leads examples/data/leads.jsonl")
                .exit_code,
            1);
  EXPECT_EQ(Leadroute("diff --old examples/data/rules.json --new " +
                      Quote(bad) + " --leads examples/data/leads.jsonl")
                .exit_code,
            1);
  EXPECT_EQ(Leadroute("simulate --rules examples/data/rules.json --leads " +
                      Quote(Path("missing.jsonl")))
                .exit_code,
            1);
  EXPECT_EQ(Leadroute("simulate --leads x.jsonl").exit_code, 2);
  EXPECT_EQ(Leadroute("diff --old a.json --leads x.jsonl").exit_code, 2);
}

}  // namespace
