// Router::RouteBatch (issue 3): each lead of a batch is decided exactly as
// Route would decide it, in order; a batch reads one RuleSet snapshot; bad
// sizes route nothing; a bad lead fails alone and is named by its index; a
// reused `out` array keeps nothing of the previous batch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench/workload.h"
#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using ::testing::HasSubstr;
using testing::MakeLead;

const Instant kStart = *ParseInstant("2026-01-05T10:00:00Z");

// DE: an experiment with a 15-minute SLA; FR: offered to a shortlist (left
// pending); everything else: round robin, no SLA, no experiment.
constexpr char kRules[] = R"({
  "reps": [{"id": "ana"}, {"id": "ben"}, {"id": "cy"}],
  "rules": [
    {"id": "de", "when": {"field": "country", "eq": "DE"},
     "sla": {"respond_within": "15m"},
     "steps": [{"strategy": "experiment", "id": "rr-vs-ll", "salt": "s1",
                "variants": [
                  {"name": "control", "share": 50,
                   "steps": [{"strategy": "round_robin"}]},
                  {"name": "least_loaded", "share": 50,
                   "steps": [{"strategy": "least_loaded"}]}]}]},
    {"id": "fr", "when": {"field": "country", "eq": "FR"}, "mode": "offer",
     "offer": {"size": 2, "expires_after": "10m", "on_expiry": "push"},
     "steps": [{"strategy": "least_loaded"}]},
    {"id": "rest", "steps": [{"strategy": "round_robin"}]}
  ],
  "fallback": {"queue": "triage"}
})";

Lead Country(const std::string& id, const std::string& country) {
  return MakeLead(id, {{"country", country}});
}

struct Counters {
  std::atomic<int> assigned{0};
  std::atomic<int> fallback{0};
  std::atomic<int> offered{0};
};

// A router on kRules with a fake clock; `counters` (may be null) counts the
// callbacks.
Router MakeSmall(std::shared_ptr<const Clock> clock,
                 Counters* counters = nullptr) {
  RouterOptions options;
  options.clock = std::move(clock);
  if (counters != nullptr) {
    options.on_assigned = [counters](const Assignment&) {
      ++counters->assigned;
    };
    options.on_fallback = [counters](const Assignment&) {
      ++counters->fallback;
    };
    options.on_offered = [counters](const Assignment&) { ++counters->offered; };
  }
  return std::move(
      Router::Create(RuleSet::FromJson(kRules).value(), std::move(options))
          .value());
}

int OpenOf(Router& router, const std::string& rep) {
  return router.state().Get(rep).open;
}

// Every field the Router decides, the trace aside (compared on its own).
// `same_clock`: both routers read one fake clock, so `routed_at` (and the
// JSON) must match too; the workload's routers read the system clock.
void ExpectSameDecision(const Assignment& batch, const Assignment& single,
                        size_t i, bool same_clock = true) {
  EXPECT_EQ(batch.lead_id, single.lead_id) << i;
  EXPECT_EQ(batch.owner, single.owner) << i;
  EXPECT_EQ(batch.rule_id, single.rule_id) << i;
  EXPECT_EQ(batch.decided_by, single.decided_by) << i;
  EXPECT_EQ(batch.fallback, single.fallback) << i;
  EXPECT_EQ(batch.repeated, single.repeated) << i;
  EXPECT_EQ(batch.generation, single.generation) << i;
  EXPECT_EQ(batch.due.has_value(), single.due.has_value()) << i;
  EXPECT_EQ(batch.variant, single.variant) << i;
  EXPECT_EQ(batch.offer.has_value(), single.offer.has_value()) << i;
  if (!same_clock) return;
  EXPECT_EQ(batch.routed_at, single.routed_at) << i;
  EXPECT_EQ(batch.due, single.due) << i;
  EXPECT_EQ(batch.ToJson(), single.ToJson()) << i;
}

// Two identical routers on the seeded benchmark workload: one routes in
// batches, the other lead by lead. Every decision, the order and the loads
// must agree, while batches of decisions are released in between.
TEST(RouteBatch, DecidesAsALoopOfRouteOnTheSeededWorkload) {
  using bench::MakeWorkload;
  bench::Workload w =
      MakeWorkload({.rules = 10, .reps = 50, .leads = 4096, .seed = 7});
  Router batched = bench::MakeRouter(w);
  Router single = bench::MakeRouter(w);
  constexpr size_t kBatch = 256;
  std::vector<Assignment> out(kBatch);
  std::set<std::string> rules_seen;
  for (size_t from = 0; from < w.leads.size(); from += kBatch) {
    std::span<const Lead> leads(w.leads.data() + from, kBatch);
    ASSERT_TRUE(batched.RouteBatch(leads, out).ok());
    for (size_t i = 0; i < kBatch; ++i) {
      Result<Assignment> a = single.Route(leads[i]);
      ASSERT_TRUE(a.ok());
      ExpectSameDecision(out[i], *a, from + i, /*same_clock=*/false);
      EXPECT_FALSE(out[i].repeated);
      rules_seen.insert(out[i].rule_id);
    }
    // Every other batch is closed again, so loads go up and down.
    if ((from / kBatch) % 2 == 1) {
      for (const Lead& lead : leads) {
        ASSERT_TRUE(batched.Release(lead.id()).ok());
        ASSERT_TRUE(single.Release(lead.id()).ok());
      }
    }
  }
  for (const bench::RepPlan& rep : w.reps) {
    EXPECT_EQ(batched.state().Get(rep.id).open, single.state().Get(rep.id).open)
        << rep.id;
  }
  // The workload exercised several rules, not one path.
  EXPECT_GT(rules_seen.size(), 3u);
  // A second pass over decided leads: every one comes back repeated.
  std::span<const Lead> first(w.leads.data(), kBatch);
  ASSERT_TRUE(batched.RouteBatch(first, out).ok());
  for (size_t i = 0; i < kBatch; ++i) {
    Result<Assignment> a = single.Route(first[i]);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(out[i].repeated) << i;
    ExpectSameDecision(out[i], *a, i, /*same_clock=*/false);
  }
}

TEST(RouteBatch, ARepeatedIdInOneBatchCountsOnce) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Counters counters;
  Router router = MakeSmall(clock, &counters);
  const std::vector<Lead> leads = {Country("L1", "US"), Country("L2", "US"),
                                   Country("L1", "US")};
  std::vector<Assignment> out(leads.size());
  ASSERT_TRUE(router.RouteBatch(leads, out).ok());
  EXPECT_FALSE(out[0].repeated);
  EXPECT_FALSE(out[1].repeated);
  EXPECT_TRUE(out[2].repeated);
  EXPECT_EQ(out[2].owner, out[0].owner);
  EXPECT_NE(out[1].owner, out[0].owner);  // round robin moved on once
  EXPECT_EQ(OpenOf(router, out[0].owner.id), 1);
  EXPECT_EQ(OpenOf(router, out[1].owner.id), 1);
  EXPECT_EQ(counters.assigned, 2);
}

TEST(RouteBatch, MismatchedSizesRouteNothing) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Counters counters;
  Router router = MakeSmall(clock, &counters);
  const std::vector<Lead> leads = {Country("L1", "US"), Country("L2", "US"),
                                   Country("L3", "DE")};
  std::vector<Assignment> short_out(2);
  Status s = router.RouteBatch(leads, short_out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("out has 2 elements"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("for 3 leads"));

  std::vector<Assignment> out(3);
  std::vector<Status> errors(1);
  s = router.RouteBatch(leads, out, {}, errors);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("errors has 1 elements"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("for 3 leads"));

  // Nothing routed: no load, no decision, no callback, `out` untouched.
  for (const char* rep : {"ana", "ben", "cy"})
    EXPECT_EQ(OpenOf(router, rep), 0);
  for (const Lead& lead : leads) EXPECT_FALSE(router.Find(lead.id()));
  for (const Assignment& a : out) EXPECT_TRUE(a.lead_id.empty());
  EXPECT_EQ(counters.assigned, 0);
}

TEST(RouteBatch, ALeadWithoutIdFailsAloneAndIsNamedByItsIndex) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Router router = MakeSmall(clock);
  const std::vector<Lead> leads = {Country("L1", "US"), Country("", "US"),
                                   Country("L3", "US"), Country("", "US")};
  std::vector<Assignment> out(leads.size());
  // Left over from an earlier use of the arrays: must not survive.
  out[1].lead_id = "stale";
  out[1].owner = Owner::Rep("ana");
  std::vector<Status> errors(leads.size(), Status::Internal("stale"));
  Status s = router.RouteBatch(leads, out, {}, errors);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  // The first failure, with its index.
  EXPECT_EQ(s.message(), "leads[1]: the lead has no id");
  EXPECT_TRUE(errors[0].ok());
  EXPECT_EQ(errors[1].code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(errors[1].message(), "the lead has no id");
  EXPECT_TRUE(errors[2].ok());
  EXPECT_EQ(errors[3].code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out[0].lead_id, "L1");
  EXPECT_EQ(out[2].lead_id, "L3");
  EXPECT_FALSE(out[0].owner.id.empty());
  EXPECT_FALSE(out[2].owner.id.empty());
  EXPECT_TRUE(out[1].lead_id.empty());
  EXPECT_TRUE(out[1].owner.id.empty());
  EXPECT_TRUE(out[3].lead_id.empty());
  EXPECT_EQ(
      OpenOf(router, "ana") + OpenOf(router, "ben") + OpenOf(router, "cy"), 2);
  // Without `errors` the return still names the first failure.
  out.assign(leads.size(), Assignment{});
  s = router.RouteBatch(leads, out);
  EXPECT_EQ(s.message(), "leads[1]: the lead has no id");
  EXPECT_TRUE(out[0].repeated);
}

// A callback updates the rules after the batch's first decision: the rest
// of the batch still decides with the batch's snapshot, and the next batch
// with the new one. The callback also routes through Route, which moves
// this thread's snapshot cache to the new generation meanwhile.
TEST(RouteBatch, UpdateFromACallbackAppliesToTheNextBatch) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Router* self = nullptr;
  int updates_left = 1;
  std::vector<uint64_t> seen_by_route;
  RouterOptions options;
  options.clock = clock;
  options.on_assigned = [&](const Assignment& a) {
    if (updates_left == 0 || a.lead_id != "B1") return;
    --updates_left;
    ASSERT_TRUE(self->Update(RuleSet::FromJson(kRules).value()).ok());
    Result<Assignment> inside = self->Route(Country("inside", "US"));
    ASSERT_TRUE(inside.ok());
    seen_by_route.push_back(inside->generation);
  };
  Router router = std::move(
      Router::Create(RuleSet::FromJson(kRules).value(), std::move(options))
          .value());
  self = &router;
  std::vector<Lead> leads;
  for (int i = 1; i <= 8; ++i) {
    leads.push_back(Country("B" + std::to_string(i), "US"));
  }
  std::vector<Assignment> out(leads.size());
  ASSERT_TRUE(router.RouteBatch(leads, out).ok());
  EXPECT_EQ(seen_by_route, std::vector<uint64_t>{2});
  for (const Assignment& a : out) EXPECT_EQ(a.generation, 1u) << a.lead_id;
  for (Lead& lead : leads) lead.set_id("N" + lead.id());
  ASSERT_TRUE(router.RouteBatch(leads, out).ok());
  for (const Assignment& a : out) EXPECT_EQ(a.generation, 2u) << a.lead_id;
}

// Another thread calls Update in a loop: each batch still carries one
// generation, and the batches see several.
TEST(RouteBatch, OneGenerationPerBatchUnderConcurrentUpdates) {
  bench::Workload w =
      bench::MakeWorkload({.rules = 10, .reps = 50, .leads = 8192, .seed = 3});
  Router router = bench::MakeRouter(w);
  const RuleSet rules = router.rules();
  std::atomic<bool> stop{false};
  std::thread updater([&] {
    while (!stop.load()) {
      if (!router.Update(rules).ok()) ADD_FAILURE() << "Update failed";
    }
  });
  constexpr size_t kBatch = 512;
  std::vector<Assignment> out(kBatch);
  std::set<uint64_t> generations;
  for (size_t from = 0; from + kBatch <= w.leads.size(); from += kBatch) {
    std::span<const Lead> leads(w.leads.data() + from, kBatch);
    ASSERT_TRUE(router.RouteBatch(leads, out).ok());
    for (const Assignment& a : out) {
      ASSERT_EQ(a.generation, out[0].generation) << "batch at " << from;
    }
    generations.insert(out[0].generation);
    for (const Lead& lead : leads) ASSERT_TRUE(router.Release(lead.id()).ok());
  }
  stop = true;
  updater.join();
  EXPECT_GT(generations.size(), 1u);
}

TEST(RouteBatch, CallbacksCountTheNewDecisions) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Counters counters;
  Router router = MakeSmall(clock, &counters);
  std::vector<Lead> leads;
  for (int i = 0; i < 30; ++i) {
    const char* country = i % 3 == 0 ? "DE" : i % 3 == 1 ? "FR" : "US";
    leads.push_back(Country("L" + std::to_string(i % 20), country));
  }
  std::vector<Assignment> out(leads.size());
  ASSERT_TRUE(router.RouteBatch(leads, out).ok());
  int new_assigned = 0;
  int new_pending = 0;
  for (const Assignment& a : out) {
    if (a.repeated) continue;
    (a.offer ? new_pending : new_assigned) += 1;
  }
  EXPECT_EQ(new_assigned + new_pending, 20);  // ids L0..L19
  EXPECT_GT(new_pending, 0);
  EXPECT_EQ(counters.assigned + counters.fallback, new_assigned);
  EXPECT_EQ(counters.offered, new_pending);
  // A batch of repeats calls nothing.
  ASSERT_TRUE(router.RouteBatch(leads, out).ok());
  for (const Assignment& a : out) EXPECT_TRUE(a.repeated);
  EXPECT_EQ(counters.assigned + counters.fallback, new_assigned);
  EXPECT_EQ(counters.offered, new_pending);
}

// Batch 1 fills `out` with SLA dues, experiment variants, offers and traces;
// batch 2 reuses the array for leads with none of those. Each batch matches
// a loop of Route on an identical router.
TEST(RouteBatch, AReusedOutArrayKeepsNothingOfTheLastBatch) {
  auto clock = std::make_shared<testing::FakeClock>(kStart);
  Router batched = MakeSmall(clock);
  Router single = MakeSmall(clock);
  std::vector<Lead> first;
  for (int i = 0; i < 6; ++i) {
    first.push_back(Country("A" + std::to_string(i), i < 4 ? "DE" : "FR"));
  }
  std::vector<Lead> second;
  for (int i = 0; i < 6; ++i) {
    second.push_back(Country("B" + std::to_string(i), "US"));
  }
  std::vector<Assignment> out(first.size());
  const RouteOptions explain{.explain = true};
  ASSERT_TRUE(batched.RouteBatch(first, out, explain).ok());
  for (size_t i = 0; i < first.size(); ++i) {
    Result<Assignment> a = single.Route(first[i], explain);
    ASSERT_TRUE(a.ok());
    ExpectSameDecision(out[i], *a, i);
    ASSERT_NE(out[i].trace, nullptr) << i;
    EXPECT_EQ(out[i].trace->lead_id, first[i].id());
    if (i < 4) {
      EXPECT_EQ(out[i].due, kStart + std::chrono::minutes(15)) << i;
      EXPECT_THAT(out[i].variant, HasSubstr("rr-vs-ll/")) << i;
    } else {
      EXPECT_TRUE(out[i].offer.has_value()) << i;
    }
  }
  clock->Advance(std::chrono::minutes(1));
  ASSERT_TRUE(batched.RouteBatch(second, out).ok());
  for (size_t i = 0; i < second.size(); ++i) {
    Result<Assignment> a = single.Route(second[i]);
    ASSERT_TRUE(a.ok());
    ExpectSameDecision(out[i], *a, i);
    EXPECT_EQ(out[i].rule_id, "rest");
    EXPECT_FALSE(out[i].due.has_value()) << i;
    EXPECT_TRUE(out[i].variant.empty()) << i;
    EXPECT_FALSE(out[i].offer.has_value()) << i;
    EXPECT_EQ(out[i].trace, nullptr) << i;
    EXPECT_FALSE(out[i].repeated) << i;
    EXPECT_EQ(out[i].routed_at, kStart + std::chrono::minutes(1)) << i;
  }
}

}  // namespace
}  // namespace leadroute
