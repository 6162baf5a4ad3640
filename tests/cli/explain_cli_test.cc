// `leadroute explain` run as a user would: golden trees and JSON on the
// shipped example data, and its command-line errors. Regenerate the golden
// files after an intended change with
//   LEADROUTE_UPDATE_GOLDEN=1 build/<dir>/tests/leadroute_tests
//   --gtest_filter='ExplainCli.*'
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_harness.h"

namespace {

using ::testing::HasSubstr;

using leadroute::testing::CliRun;
using leadroute::testing::ExpectGolden;
using leadroute::testing::kDemo;

class ExplainCli : public leadroute::testing::CliTest {
 protected:
  CliRun Explain(const std::string& args) {
    return Leadroute("explain " + args);
  }
};

// smb-inbound, the fifth rule, decides at once.
TEST_F(ExplainCli, EarlyRuleMatchesGolden) {
  CliRun run = Explain(std::string(kDemo) + " --lead-id L-000003");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("smb-inbound              matched -> owner"));
  ExpectGolden("explain_early.txt", run.out);
}

// na-west empties (next_rule), na-east relaxes its score band.
TEST_F(ExplainCli, FallThroughAndRelaxMatchGolden) {
  CliRun text = Explain(std::string(kDemo) + " --lead-id L-000150");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("matched -> next_rule"));
  EXPECT_THAT(text.out, HasSubstr("relax steps/3 score"));
  ExpectGolden("explain_relax.txt", text.out);

  CliRun json = Explain(std::string(kDemo) + " --lead-id L-000150 --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json trace = nlohmann::json::parse(json.out);
  EXPECT_EQ(trace["decision"]["owner"], "sarah.mitchell");
  EXPECT_EQ(trace["decision"]["rule"], "na-east");
  ExpectGolden("explain_relax.json", json.out);
}

// No rule's condition holds: the fallback queue.
TEST_F(ExplainCli, FallbackMatchesGolden) {
  CliRun run = Explain(std::string(kDemo) + " --lead-id L-000073");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("decision: queue marketing-nurture "
                                 "(fallback: no_rule_yielded)"));
  ExpectGolden("explain_fallback.txt", run.out);
}

TEST_F(ExplainCli, ReadsOneLeadFileAndUsesAt) {
  std::string lead = Write("lead.json", R"({"id": "X1", "score": 90})");
  CliRun run = Explain("--rules examples/data/rules.json --lead '" + lead +
                       "' --at 2026-11-23T10:00:00Z --json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json trace = nlohmann::json::parse(run.out);
  EXPECT_EQ(trace["lead_id"], "X1");
  EXPECT_EQ(trace["at"], "2026-11-23T10:00:00Z");
  EXPECT_EQ(trace["dry_run"], true);
}

TEST_F(ExplainCli, CommandLineErrors) {
  EXPECT_EQ(Explain("--rules examples/data/rules.json").exit_code, 2);
  EXPECT_EQ(
      Explain(std::string(kDemo) + " --lead x.json --lead-id L-1").exit_code,
      2);
  EXPECT_EQ(Explain(std::string(kDemo)).exit_code, 2);  // no --lead-id
  CliRun missing = Explain(std::string(kDemo) + " --lead-id L-999999999");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no lead with id \"L-999999999\""));
  std::string lead = Write("lead.json", R"({"id": "X1"})");
  EXPECT_EQ(Explain("--rules examples/data/rules.json --lead '" + lead +
                    "' --at yesterday")
                .exit_code,
            2);
  CliRun help = Explain("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Example:"));
  EXPECT_THAT(help.out, HasSubstr("--lead-id"));
}

}  // namespace
