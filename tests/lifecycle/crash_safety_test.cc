// Router::SaveState is atomic on disk: a process killed at any moment while
// saving leaves either the previous file or the new one, never a mix or a
// truncated file (docs/lifecycle.md, "Saved state").
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

using testing::MakeRep;

Router RouterWithLeads(int leads) {
  Router router = testing::MakeRouter(testing::OneStepRules(
      {MakeRep("a"), MakeRep("b"), MakeRep("c")}, {"round_robin", "{}"}));
  for (int i = 0; i < leads; ++i) {
    // Long fields make each file big enough to be caught half-written.
    Lead lead = testing::MakeLead(
        "L" + std::to_string(i),
        {{"note", std::string(200, static_cast<char>('a' + i % 26))}});
    EXPECT_TRUE(router.Route(lead).ok());
  }
  return router;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CrashSafety, AKilledSaveLeavesTheOldOrTheNewFileWhole) {
  Router first = RouterWithLeads(20);
  Router second = RouterWithLeads(30);
  const std::string text_first = first.state().SaveSnapshot().value();
  const std::string text_second = second.state().SaveSnapshot().value();
  ASSERT_NE(text_first, text_second);

  // A kill tests what a process crash leaves, which the file system's
  // rename decides; tmpfs (when there is one) keeps fsync from making each
  // save take tens of milliseconds on a busy disk.
  std::filesystem::path base =
      std::filesystem::is_directory("/dev/shm")
          ? std::filesystem::path("/dev/shm")
          : std::filesystem::path(::testing::TempDir());
  std::filesystem::path dir =
      base / ("leadroute_crash_safety." + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "state.json").string();
  ASSERT_TRUE(first.SaveState(path).ok());

  // Kill moments spread over about four saves, whatever a save costs on
  // this file system (fsync dominates).
  const auto timing_start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(second.SaveState(path).ok());
    ASSERT_TRUE(first.SaveState(path).ok());
  }
  const int64_t save_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - timing_start)
                              .count() /
                          6;
  const int spread_us =
      static_cast<int>(std::clamp<int64_t>(4 * save_us, 2000, 20000));

  testing::Rng rng(424242);
  constexpr int kKills = 200;
  int saw_first = 0;
  int saw_second = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int kill = 0; kill < kKills; ++kill) {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The child says it runs, then saves the two states in turn until it
      // is killed.
      ::close(ready[0]);
      char byte = 1;
      (void)!::write(ready[1], &byte, 1);
      while (true) {
        (void)second.SaveState(path);
        (void)first.SaveState(path);
      }
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);  // the child is running
    ::close(ready[0]);
    std::this_thread::sleep_for(
        std::chrono::microseconds(rng.Below(spread_us)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));

    const std::string on_disk = ReadAll(path);
    ASSERT_TRUE(on_disk == text_first || on_disk == text_second)
        << "kill " << kill << ": the file is neither snapshot ("
        << on_disk.size() << " bytes)";
    saw_first += on_disk == text_first;
    saw_second += on_disk == text_second;
    if (kill % 50 == 0) {
      Router fresh = testing::MakeRouter(testing::OneStepRules(
          {MakeRep("a"), MakeRep("b"), MakeRep("c")}, {"round_robin", "{}"}));
      ASSERT_TRUE(fresh.LoadState(path).ok());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "only " << kill + 1 << " kills in the time allowed";
      break;
    }
  }
  // The kills landed at different moments: both snapshots were seen.
  EXPECT_GT(saw_first, 0) << "a save takes ~" << save_us << " us";
  EXPECT_GT(saw_second, 0) << "a save takes ~" << save_us << " us";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace leadroute
