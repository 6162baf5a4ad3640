// `leadroute explain` run as a user would: golden trees and JSON on the
// shipped example data, and its command-line errors. Regenerate the golden
// files after an intended change with
//   LEADROUTE_UPDATE_GOLDEN=1 build/<dir>/tests/leadroute_tests
//   --gtest_filter='ExplainCli.*'
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class ExplainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = fs::path(LEADROUTE_BINARY_DIR) / "tools/leadroute/leadroute";
    if (!fs::exists(binary_)) {
      GTEST_SKIP() << "no leadroute program at " << binary_;
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(LEADROUTE_BINARY_DIR) / "explain_cli_test" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  // Runs `leadroute explain <args>` in the source directory, so outputs
  // name no machine-specific paths.
  Outcome Explain(const std::string& args) {
    fs::path out = dir_ / "stdout.txt";
    fs::path err = dir_ / "stderr.txt";
    std::string command = "cd '" + std::string(LEADROUTE_SOURCE_DIR) +
                          "' && '" + binary_.string() + "' explain " + args +
                          " >'" + out.string() + "' 2>'" + err.string() + "'";
    int status = std::system(command.c_str());
    Outcome run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadText(out);
    run.err = ReadText(err);
    return run;
  }

  std::string Write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  fs::path binary_;
  fs::path dir_;
};

void ExpectGolden(const std::string& name, const std::string& actual) {
  fs::path path = fs::path(LEADROUTE_SOURCE_DIR) / "tests/cli/golden" / name;
  if (std::getenv("LEADROUTE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path;
  EXPECT_EQ(actual, ReadText(path))
      << "differs from " << path
      << "; set LEADROUTE_UPDATE_GOLDEN=1 to accept the new output";
}

constexpr const char* kDemo =
    "--rules examples/data/rules.json --accounts examples/data/accounts.json "
    "--leads examples/data/leads.jsonl";

// smb-inbound, the fifth rule, decides at once.
TEST_F(ExplainCli, EarlyRuleMatchesGolden) {
  Outcome run = Explain(std::string(kDemo) + " --lead-id L-000003");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("smb-inbound              matched -> owner"));
  ExpectGolden("explain_early.txt", run.out);
}

// na-west empties (next_rule), na-east relaxes its score band.
TEST_F(ExplainCli, FallThroughAndRelaxMatchGolden) {
  Outcome text = Explain(std::string(kDemo) + " --lead-id L-000150");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("matched -> next_rule"));
  EXPECT_THAT(text.out, HasSubstr("relax steps/3 score"));
  ExpectGolden("explain_relax.txt", text.out);

  Outcome json = Explain(std::string(kDemo) + " --lead-id L-000150 --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json trace = nlohmann::json::parse(json.out);
  EXPECT_EQ(trace["decision"]["owner"], "sarah.mitchell");
  EXPECT_EQ(trace["decision"]["rule"], "na-east");
  ExpectGolden("explain_relax.json", json.out);
}

// No rule's condition holds: the fallback queue.
TEST_F(ExplainCli, FallbackMatchesGolden) {
  Outcome run = Explain(std::string(kDemo) + " --lead-id L-000073");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("decision: queue marketing-nurture "
                                 "(fallback: no_rule_yielded)"));
  ExpectGolden("explain_fallback.txt", run.out);
}

TEST_F(ExplainCli, ReadsOneLeadFileAndUsesAt) {
  std::string lead = Write("lead.json", R"({"id": "X1", "score": 90})");
  Outcome run = Explain("--rules examples/data/rules.json --lead '" + lead +
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
  Outcome missing = Explain(std::string(kDemo) + " --lead-id L-999999999");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no lead with id \"L-999999999\""));
  std::string lead = Write("lead.json", R"({"id": "X1"})");
  EXPECT_EQ(Explain("--rules examples/data/rules.json --lead '" + lead +
                    "' --at yesterday")
                .exit_code,
            2);
  Outcome help = Explain("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Example:"));
  EXPECT_THAT(help.out, HasSubstr("--lead-id"));
}

}  // namespace
