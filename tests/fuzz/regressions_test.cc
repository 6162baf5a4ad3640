// Replays every input under tests/fuzz/regressions/<target>/ (inputs the
// fuzzers once found, and hostile inputs written by hand) and the seed
// corpus through the fuzz bodies, in the normal g++ suite: each must load or
// be rejected cleanly, never crash or hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz/fuzz_bodies.h"
#include "fuzz/schedule_fuzz_body.h"

namespace leadroute {
namespace {

namespace fs = std::filesystem;

int ReplayDir(const fs::path& dir, void (*body)(std::string_view)) {
  int count = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    SCOPED_TRACE(entry.path().string());
    body(text.str());
    ++count;
  }
  return count;
}

void ReplayTarget(const std::string& target, void (*body)(std::string_view)) {
  fs::path root = fs::path(LEADROUTE_SOURCE_DIR) / "tests" / "fuzz";
  int corpus = ReplayDir(root / "corpus" / target, body);
  ReplayDir(root / "regressions" / target, body);
  EXPECT_GT(corpus, 0) << "no seed corpus for " << target;
}

TEST(FuzzRegressions, RuleSetLoaderInputs) {
  ReplayTarget("ruleset", fuzz::FuzzRuleSet);
}
TEST(FuzzRegressions, LeadReaderInputs) {
  ReplayTarget("lead", fuzz::FuzzLead);
}
TEST(FuzzRegressions, AccountsLoaderInputs) {
  ReplayTarget("accounts", fuzz::FuzzAccounts);
}
TEST(FuzzRegressions, ScheduleAndTimeInputs) {
  ReplayTarget("schedule", fuzz::FuzzSchedule);
}
TEST(FuzzRegressions, SavedStateInputs) {
  ReplayTarget("state", fuzz::FuzzState);
}

}  // namespace
}  // namespace leadroute
