// Runs the built `leadroute` program as a user would, for the CLI tests:
// exit code, stdout, stderr and the files it writes, each test in its own
// directory under the build tree; golden-file comparison.
//
// Golden outputs live in tests/cli/golden/. After an intended change of the
// output or of examples/data/, regenerate them with
//   LEADROUTE_UPDATE_GOLDEN=1 build/<dir>/tests/leadroute_tests
//     --gtest_filter='LeadrouteCli.*:ExplainCli.*'
// and review the diff.
#ifndef LEADROUTE_TESTS_CLI_CLI_HARNESS_H_
#define LEADROUTE_TESTS_CLI_CLI_HARNESS_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace leadroute::testing {

// What one run of the program did.
struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Single-quotes `s` for /bin/sh.
inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// Shipped example data, relative to the source directory the program runs
// in, so outputs hold no machine-specific paths.
inline constexpr const char* kDemo =
    "--rules examples/data/rules.json --accounts examples/data/accounts.json "
    "--leads examples/data/leads.jsonl";

// Compares `actual` with tests/cli/golden/<name>, or rewrites that file when
// LEADROUTE_UPDATE_GOLDEN is set.
inline void ExpectGolden(const std::string& name, const std::string& actual) {
  std::filesystem::path path =
      std::filesystem::path(LEADROUTE_SOURCE_DIR) / "tests/cli/golden" / name;
  if (std::getenv("LEADROUTE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  EXPECT_EQ(actual, ReadText(path))
      << "differs from " << path
      << "; set LEADROUTE_UPDATE_GOLDEN=1 to accept the new output";
}

// A fixture owning a fresh directory per test:
// <build>/cli_test/<suite>/<test>. Skips when the program was not built.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = std::filesystem::path(LEADROUTE_BINARY_DIR) /
              "tools/leadroute/leadroute";
    if (!std::filesystem::exists(binary_)) {
      GTEST_SKIP() << "no leadroute program at " << binary_
                   << " (LEADROUTE_BUILD_TOOLS=OFF?)";
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(LEADROUTE_BINARY_DIR) / "cli_test" /
           info->test_suite_name() / info->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  // Runs `leadroute <args>` in the source directory; `args` is shell text.
  CliRun Leadroute(const std::string& args) {
    std::filesystem::path out = dir_ / "stdout.txt";
    std::filesystem::path err = dir_ / "stderr.txt";
    std::string command = "cd " + Quote(LEADROUTE_SOURCE_DIR) + " && " +
                          Quote(binary_.string()) + " " + args + " >" +
                          Quote(out.string()) + " 2>" + Quote(err.string());
    int status = std::system(command.c_str());
    CliRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadText(out);
    run.err = ReadText(err);
    return run;
  }

  // Writes `content` to a file of this test's directory; returns its path.
  std::string Write(const std::string& name, const std::string& content) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }
  static std::string Data(const std::string& name) {
    return std::string(LEADROUTE_SOURCE_DIR) + "/examples/data/" + name;
  }

  std::filesystem::path binary_;
  std::filesystem::path dir_;
};

}  // namespace leadroute::testing

#endif  // LEADROUTE_TESTS_CLI_CLI_HARNESS_H_
