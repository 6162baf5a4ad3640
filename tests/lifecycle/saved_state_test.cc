// Router::SaveState / LoadState: determinism across a save and a load, and
// rejected files leaving the state as it was (docs/lifecycle.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

using ::testing::HasSubstr;
using testing::MakeLead;

const Instant kNow = *ParseInstant("2026-03-02T09:00:00Z");

// Every kind of rotation state: plain and weighted round robin, seeded
// random, least loaded, with caps (max_open, per day) so that loads and claim
// history matter too.
constexpr char kRules[] = R"({
  "reps": [
    {"id": "ana", "weight": 2, "capacity": {"max_open": 30}},
    {"id": "ben", "weight": 0.5, "capacity": {"max_per_day": 200}},
    {"id": "cy", "weight": 1.25},
    {"id": "dee", "capacity": {"max_open": 25, "max_in_window": {"count": 90, "hours": 2}}}
  ],
  "rules": [
    {"id": "de", "when": {"field": "country", "eq": "DE"},
     "steps": [{"strategy": "round_robin", "weighted": true}]},
    {"id": "us", "when": {"field": "country", "eq": "US"},
     "steps": [{"strategy": "random", "seed": 42}]},
    {"id": "fr", "when": {"field": "country", "eq": "FR"},
     "steps": [{"strategy": "least_loaded"}]},
    {"id": "rest", "steps": [{"strategy": "round_robin"}]}
  ],
  "fallback": {"queue": "overflow"}
})";

struct Fixture {
  std::shared_ptr<testing::FakeClock> clock =
      std::make_shared<testing::FakeClock>(kNow);
  Router router = Make(clock);

  static Router Make(std::shared_ptr<testing::FakeClock> clock) {
    auto rules = RuleSet::FromJson(kRules);
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    RouterOptions options;
    options.clock = std::move(clock);
    return std::move(Router::Create(*rules, options)).value();
  }
};

Lead LeadNumber(int n) {
  static const char* const kCountries[] = {"DE", "US", "FR", "GB", "US"};
  return MakeLead("L" + std::to_string(n),
                  {{"country", kCountries[n % 5]}, {"score", 0.1 * n}});
}

// One step of a deterministic workload: routes lead n, and now and then
// releases or reassigns an earlier one. Returns what happened as text.
std::string Step(Fixture& f, int n, testing::Rng& rng) {
  f.clock->Advance(std::chrono::seconds(7));
  std::string out;
  auto a = f.router.Route(LeadNumber(n));
  out += a.ok() ? a->ToJson() : a.status().ToString();
  int action = rng.Below(10);
  std::string earlier = "L" + std::to_string(rng.Below(n + 1));
  if (action == 0) {
    out += " release " + f.router.Release(earlier).ToString();
  } else if (action == 1) {
    auto r = f.router.Reassign(earlier, ChangeReason::kDeclined);
    out += " reassign " + (r.ok() ? r->ToJson() : r.status().ToString());
  }
  return out;
}

std::string TempPath(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "leadroute_saved_state";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SavedState, TheNextThousandDecisionsAreTheSameAfterSaveAndLoad) {
  Fixture original;
  testing::Rng rng(2026);
  for (int n = 0; n < 400; ++n) Step(original, n, rng);

  const std::string path = TempPath("determinism.json");
  Status saved = original.router.SaveState(path);
  ASSERT_TRUE(saved.ok()) << saved.ToString();
  Fixture restored;
  restored.clock->Set(original.clock->Now());
  Status loaded = restored.router.LoadState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  EXPECT_EQ(restored.router.state().SaveSnapshot().value(), ReadAll(path));

  testing::Rng rng_a(99);
  testing::Rng rng_b(99);
  for (int n = 400; n < 1400; ++n) {
    ASSERT_EQ(Step(original, n, rng_a), Step(restored, n, rng_b))
        << "decision " << n;
  }
  EXPECT_EQ(original.router.state().SaveSnapshot().value(),
            restored.router.state().SaveSnapshot().value());
}

TEST(SavedState, RejectedFilesLeaveTheStateAsItWas) {
  Fixture f;
  testing::Rng rng(7);
  for (int n = 0; n < 50; ++n) Step(f, n, rng);
  const std::string good = f.router.state().SaveSnapshot().value();
  auto expect_rejected = [&](const std::string& text,
                             const std::string& message) {
    const std::string path = TempPath("rejected.json");
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    Status s = f.router.LoadState(path);
    EXPECT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.message()), HasSubstr(path));
    EXPECT_THAT(std::string(s.message()), HasSubstr(message));
    EXPECT_EQ(f.router.state().SaveSnapshot().value(), good);
  };
  std::string v2 = good;
  v2.replace(v2.find("\"version\":1"), 11, "\"version\":2");
  expect_rejected(v2,
                  "state format version 2 is newer than this leadroute "
                  "reads (1)");
  expect_rejected(R"({"format":"leadroute-rules","version":1})",
                  "not a leadroute state document");
  expect_rejected(good.substr(0, good.size() - 40), "invalid JSON");
  std::string deep = good;
  deep.replace(deep.find("\"presence\":\""), 12, "\"presence\":\"busy-");
  expect_rejected(deep, "/reps/0/presence: expected \"available\"");

  Status missing = f.router.LoadState(TempPath("missing.json"));
  EXPECT_THAT(std::string(missing.message()),
              HasSubstr("missing.json\": No such file or directory"));
  Status unwritable = f.router.SaveState("/nonexistent-dir/state.json");
  EXPECT_FALSE(unwritable.ok());
  EXPECT_THAT(std::string(unwritable.message()),
              HasSubstr("/nonexistent-dir/state.json"));
}

}  // namespace
}  // namespace leadroute
