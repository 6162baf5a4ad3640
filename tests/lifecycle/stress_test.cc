// Stress: 8 threads route, release, reassign and reload (alternating valid
// and invalid configs) at once, 200,000 operations in all (fewer under
// ThreadSanitizer, or LEADROUTE_STRESS_OPS). Afterwards every rep's load is
// what it was assigned minus what it lost, no rep is over `max_open`, every
// lead has one owner, and every decision's generation was active while its
// call ran.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "leadroute/router.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

constexpr int kThreads = 8;
constexpr int kReps = 12;
constexpr int kMaxOpen = 40;
constexpr char kQueue[] = "overflow";  // the fallback

int TotalOps() {
  if (const char* env = std::getenv("LEADROUTE_STRESS_OPS")) {
    return std::max(kThreads, std::atoi(env));
  }
#if defined(__SANITIZE_THREAD__)
  return 20000;
#else
  return 200000;
#endif
}

// Two valid configs over the same reps (so loads carry over by rep id) and
// one that fails to load.
std::string Config(bool alternate) {
  std::string reps;
  for (int i = 0; i < kReps; ++i) {
    reps += (i ? "," : "") + std::string(R"({"id": "r)") + std::to_string(i) +
            R"(", "capacity": {"max_open": )" + std::to_string(kMaxOpen) + "}}";
  }
  std::string rules =
      alternate ? R"([{"id": "ll", "steps": [{"strategy": "least_loaded"}]}])"
                : R"([{"id": "even", "when": {"field": "n", "lt": 50},
                 "steps": [{"strategy": "round_robin"}]},
                {"id": "rest", "steps": [{"strategy": "random"}]}])";
  // An SLA, so that Due and the `due` of every decision run concurrently
  // with the rest.
  return R"({"settings": {"sla": {"respond_within": "15m", "escalate": [
             {"after": "15m", "action": "reassign"}]}},
             "reps": [)" +
         reps + R"(], "rules": )" + rules +
         R"(, "fallback": {"queue": "overflow"}})";
}
constexpr char kInvalid[] = R"({"reps": [{"id": "r0", "weigth": 1}],
  "rules": [{"id": "x", "pool": {"reps": ["nobody"]}}]})";

// What one thread saw; its leads are its own, so no other thread changes
// them and a Find before a Release names the owner that loses the load.
struct Tally {
  std::map<std::string, int64_t> gained;    // rep id -> leads it got
  std::map<std::string, int64_t> lost;      // rep id -> released or taken
  std::map<std::string, std::string> open;  // lead id -> owner id
  std::vector<std::string> failures;
  int64_t ops = 0;
  int64_t reassigned = 0;
  int64_t reloads_rejected = 0;
};

void Gain(Tally& t, const Assignment& a) {
  if (a.owner.kind == OwnerKind::kRep) ++t.gained[a.owner.id];
  t.open[a.lead_id] = a.owner.id;
}
void Lose(Tally& t, const std::string& owner) {
  if (owner != kQueue) ++t.lost[owner];
}

void Work(Router& router, int thread, int ops, Tally& t) {
  testing::Rng rng(0x5eed0000u + static_cast<uint64_t>(thread));
  std::vector<std::string> leads;  // open, in routing order
  int next_lead = 0;
  bool valid_next = (thread % 2) == 0;
  for (t.ops = 0; t.ops < ops; ++t.ops) {
    int dice = rng.Below(1000);
    if (dice < 4) {  // reload, alternating valid and invalid
      Status s = valid_next ? router.Reload(Config(rng.Chance(50)))
                            : router.Reload(kInvalid);
      if (s.ok() != valid_next) {
        t.failures.push_back("reload: " + s.ToString());
      }
      if (!s.ok()) ++t.reloads_rejected;
      valid_next = !valid_next;
    } else if (dice < 6) {  // list what is due, far in the future: all
      std::vector<DueEscalation> due =
          router.Due(Instant{} + std::chrono::hours(24 * 365 * 100));
      for (size_t i = 1; i < due.size(); ++i) {
        if (due[i].due < due[i - 1].due) t.failures.push_back("Due order");
      }
    } else if (dice < 420 || leads.empty()) {  // route a new lead
      Lead lead("t" + std::to_string(thread) + "-" +
                std::to_string(next_lead++));
      lead.Set("n", static_cast<int64_t>(rng.Below(100)));
      uint64_t before = router.generation();
      Result<Assignment> a = router.Route(lead);
      uint64_t after = router.generation();
      if (!a.ok() || a->repeated) {
        t.failures.push_back("route " + lead.id());
        continue;
      }
      if (a->generation < before || a->generation > after) {
        t.failures.push_back("route " + lead.id() + ": generation " +
                             std::to_string(a->generation) + " outside [" +
                             std::to_string(before) + ", " +
                             std::to_string(after) + "]");
      }
      Gain(t, *a);
      leads.push_back(lead.id());
    } else {
      size_t i = static_cast<size_t>(rng.Below(static_cast<int>(leads.size())));
      std::string id = leads[i];
      std::string owner = t.open[id];
      if (dice < 840) {  // release
        if (!router.Release(id).ok()) t.failures.push_back("release " + id);
        Lose(t, owner);
        t.open.erase(id);
        leads[i] = leads.back();
        leads.pop_back();
      } else {  // reassign
        uint64_t before = router.generation();
        Result<Assignment> a = router.Reassign(id, ChangeReason::kDeclined);
        uint64_t after = router.generation();
        if (!a.ok() || a->repeated) {
          t.failures.push_back("reassign " + id);
          continue;
        }
        if (a->generation < before || a->generation > after) {
          t.failures.push_back("reassign " + id + ": generation outside");
        }
        Lose(t, owner);
        Gain(t, *a);
        ++t.reassigned;
      }
    }
  }
}

TEST(LifecycleStress, EightThreadsKeepLoadsOwnersAndGenerationsConsistent) {
  Result<RuleSet> rules = RuleSet::FromJson(Config(false));
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  Result<Router> created = Router::Create(std::move(rules).value());
  ASSERT_TRUE(created.ok());
  Router& router = created.value();

  const int total = TotalOps();
  std::vector<Tally> tallies(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(Work, std::ref(router), i,
                         total / kThreads + (i < total % kThreads ? 1 : 0),
                         std::ref(tallies[i]));
  }
  for (std::thread& thread : threads) thread.join();

  int64_t ops = 0, reassigned = 0, rejected = 0;
  std::map<std::string, int64_t> expected;  // rep -> gained - lost
  std::map<std::string, std::string> open;  // lead -> owner, all threads
  for (const Tally& t : tallies) {
    for (const std::string& f : t.failures) ADD_FAILURE() << f;
    ops += t.ops;
    reassigned += t.reassigned;
    rejected += t.reloads_rejected;
    for (const auto& [rep, n] : t.gained) expected[rep] += n;
    for (const auto& [rep, n] : t.lost) expected[rep] -= n;
    for (const auto& [lead, owner] : t.open) {
      EXPECT_TRUE(open.emplace(lead, owner).second) << lead;
    }
  }
  EXPECT_GE(ops, total);
  EXPECT_GT(reassigned, 0);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(router.generation(), 1u);

  // The store's records: one per open lead, each with the owner the
  // threads last saw, and per rep as many as its load.
  std::map<std::string, int64_t> owned;
  std::map<std::string, std::string> recorded;
  router.state().ForEachRecord([&](const LeadRecord& r) {
    recorded.emplace(r.decision.lead_id, r.decision.owner.id);
    if (r.decision.owner.kind == OwnerKind::kRep) ++owned[r.decision.owner.id];
  });
  EXPECT_EQ(recorded.size(), open.size());
  EXPECT_TRUE(recorded == open) << "store records differ from the decisions";
  for (int i = 0; i < kReps; ++i) {
    std::string rep = "r" + std::to_string(i);
    int32_t load = router.state().Get(rep).open;
    EXPECT_EQ(load, expected[rep]) << rep;
    EXPECT_EQ(load, owned[rep]) << rep;
    EXPECT_LE(load, kMaxOpen) << rep;
    EXPECT_GE(load, 0) << rep;
  }
}

}  // namespace
}  // namespace leadroute
