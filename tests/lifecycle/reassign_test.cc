// Router::Reassign, Transfer, Reconcile and OrphanedLeads
// (docs/lifecycle.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using testing::MakeLead;
using testing::MakeRep;

const Instant kNow = *ParseInstant("2026-03-02T09:00:00Z");

testing::RuleSetBuilder SixReps() {
  return testing::OneStepRules({MakeRep("a"), MakeRep("b"), MakeRep("c"),
                                MakeRep("d"), MakeRep("e"), MakeRep("f")},
                               Step{"round_robin", "{}"});
}

Router RouterAt(const testing::RuleSetBuilder& builder,
                std::shared_ptr<testing::FakeClock> clock = nullptr) {
  RouterOptions options;
  options.clock =
      clock != nullptr ? clock : std::make_shared<testing::FakeClock>(kNow);
  auto router = Router::Create(testing::MakeRules(builder), options);
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

int TotalOpen(Router& router, const std::vector<std::string>& reps) {
  int total = 0;
  for (const auto& id : reps) total += router.state().Get(id).open;
  return total;
}

TEST(Reassign, NeverReturnsAPreviousOwnerWhileAnotherIsEligible) {
  const std::vector<std::string> reps = {"a", "b", "c", "d", "e", "f"};
  const ChangeReason reasons[] = {
      ChangeReason::kDeclined, ChangeReason::kSlaMissed,
      ChangeReason::kOwnerLeft, ChangeReason::kManual};
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Router router = RouterAt(SixReps());
    testing::Rng rng(seed);
    constexpr int kLeads = 8;
    std::map<std::string, std::set<std::string>> owners;  // lead -> all owners
    std::map<std::string, std::string> current;
    for (int i = 0; i < kLeads; ++i) {
      std::string id = "L" + std::to_string(i);
      auto a = router.Route(MakeLead(id));
      ASSERT_TRUE(a.ok());
      owners[id].insert(a->owner.id);
      current[id] = a->owner.id;
    }
    for (int step = 0; step < 60; ++step) {
      std::string id = "L" + std::to_string(rng.Below(kLeads));
      ChangeReason reason =
          reasons[rng.Below(static_cast<int>(std::size(reasons)))];
      std::string old_owner = current[id];
      int old_open =
          old_owner == "inbox" ? 0 : router.state().Get(old_owner).open;
      auto a = router.Reassign(id, reason);
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      ASSERT_FALSE(a->repeated);
      const bool anyone_left = owners[id].size() < reps.size();
      if (anyone_left && old_owner != "inbox") {
        ASSERT_EQ(a->owner.kind, OwnerKind::kRep) << "seed " << seed;
        ASSERT_FALSE(owners[id].count(a->owner.id))
            << "seed " << seed << ": " << id << " went back to " << a->owner.id;
        EXPECT_EQ(router.state().Get(old_owner).open, old_open - 1);
      } else if (!anyone_left) {
        ASSERT_EQ(a->owner, Owner::Queue("inbox")) << "seed " << seed;
        ASSERT_TRUE(a->fallback);
      }
      if (a->owner.kind == OwnerKind::kRep) owners[id].insert(a->owner.id);
      current[id] = a->owner.id;
      LeadRecord record = *router.state().FindRecord(id);
      ASSERT_EQ(record.history.back().reason, reason);
      ASSERT_EQ(record.version, record.history.size() + 1);
      // The route of the same id is the current decision, counted once.
      auto again = router.Route(MakeLead(id));
      ASSERT_TRUE(again.ok());
      EXPECT_TRUE(again->repeated);
      EXPECT_EQ(again->owner.id, current[id]);
      // Every lead counts exactly once, on its current owner.
      int rep_owned = 0;
      for (const auto& [lead, owner] : current) rep_owned += owner != "inbox";
      ASSERT_EQ(TotalOpen(router, reps), rep_owned);
      for (const auto& rep : reps) {
        int expected = 0;
        for (const auto& [lead, owner] : current) expected += owner == rep;
        ASSERT_EQ(router.state().Get(rep).open, expected) << rep;
      }
    }
  }
}

TEST(Reassign, FallsBackWhenEveryoneElseIsExcluded) {
  Router router = RouterAt(testing::OneStepRules({MakeRep("a"), MakeRep("b")},
                                                 {"round_robin", "{}"}));
  ASSERT_EQ(router.Route(MakeLead("L1"))->owner.id, "a");
  auto first = router.Reassign("L1", ChangeReason::kDeclined);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->owner, Owner::Rep("b"));
  EXPECT_EQ(first->rule_id, "r");
  auto second = router.Reassign("L1", ChangeReason::kDeclined);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->owner, Owner::Queue("inbox"));
  EXPECT_TRUE(second->fallback);
  EXPECT_EQ(router.state().Get("a").open, 0);
  EXPECT_EQ(router.state().Get("b").open, 0);
  LeadRecord record = *router.state().FindRecord("L1");
  EXPECT_THAT(record.excluded, ElementsAre("a", "b"));
  ASSERT_EQ(record.history.size(), 2u);
  EXPECT_EQ(record.history[1].from, Owner::Rep("b"));
  EXPECT_EQ(record.history[1].at, kNow);
}

TEST(Reassign, UnknownLeadIsNotFound) {
  Router router = RouterAt(SixReps());
  EXPECT_EQ(router.Reassign("nope", ChangeReason::kManual).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(router.Route(MakeLead("L1")).ok());
  ASSERT_TRUE(router.Release("L1").ok());
  EXPECT_EQ(router.Reassign("L1", ChangeReason::kManual).status().code(),
            StatusCode::kNotFound);
}

TEST(Reassign, RoutesTheStoredLeadWithTheCurrentRules) {
  // Rule "de" takes German leads to ana or ben; everyone else goes to cy.
  testing::RuleSetBuilder builder;
  builder.Rep(MakeRep("ana")).Rep(MakeRep("ben")).Rep(MakeRep("cy"));
  Rule de = testing::MakeRule("de", {Step{"round_robin", "{}"}},
                              Pool::Reps({"ana", "ben"}),
                              Condition::Eq("country", Value("DE")));
  builder.Rule(de)
      .Rule(testing::MakeRule("rest", {Step{"round_robin", "{}"}},
                              Pool::Reps({"cy"})))
      .FallbackQueue("inbox");
  Router router = RouterAt(builder);
  ASSERT_EQ(router.Route(MakeLead("L1", {{"country", "DE"}}))->owner.id, "ana");
  auto a = router.Reassign("L1", ChangeReason::kDeclined);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->owner.id, "ben");  // the lead's fields were kept
  EXPECT_EQ(a->rule_id, "de");
}

TEST(Reassign, TwoThreadsRacingOnOneLeadEachReplaceOnce) {
  const std::vector<std::string> reps = {"a", "b", "c", "d", "e", "f"};
  Router router = RouterAt(SixReps());
  for (int round = 0; round < 100; ++round) {
    std::string id = "L" + std::to_string(round);
    ASSERT_TRUE(router.Route(MakeLead(id)).ok());
    std::latch start(2);
    std::vector<std::thread> threads;
    std::vector<Result<Assignment>> results(2, Status::Internal("unset"));
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        results[t] = router.Reassign(id, ChangeReason::kSlaMissed);
      });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_TRUE(results[0].ok() && results[1].ok());
    LeadRecord record = *router.state().FindRecord(id);
    ASSERT_EQ(record.history.size(), 2u) << id;
    ASSERT_EQ(record.version, 3u);
    std::set<std::string> owners = {record.history[0].from.id,
                                    record.history[1].from.id,
                                    record.decision.owner.id};
    ASSERT_EQ(owners.size(), 3u) << id;  // three different reps
    ASSERT_EQ(record.history[1].from, results[0]->owner == record.decision.owner
                                          ? results[1]->owner
                                          : results[0]->owner);
    ASSERT_TRUE(router.Release(id).ok());
    ASSERT_EQ(TotalOpen(router, reps), 0) << id;
  }
}

TEST(Transfer, MovesTheLeadAndItsLoad) {
  testing::RuleSetBuilder builder = testing::OneStepRules(
      {MakeRep("a"), MakeRep("b").MaxOpen(0), MakeRep("c").Inactive()},
      {"round_robin", "{}"});
  auto clock = std::make_shared<testing::FakeClock>(kNow);
  Router router = RouterAt(builder, clock);
  ASSERT_EQ(router.Route(MakeLead("L1"))->owner.id, "a");
  clock->Advance(std::chrono::minutes(5));
  auto moved = router.Transfer("L1", "b");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->owner, Owner::Rep("b"));
  EXPECT_EQ(moved->decided_by, "transfer");
  EXPECT_EQ(router.state().Get("a").open, 0);
  EXPECT_EQ(router.state().Get("b").open, 1);
  LeadRecord record = *router.state().FindRecord("L1");
  EXPECT_EQ(record.history.at(0),
            (OwnerChange{Owner::Rep("a"), ChangeReason::kTransferred,
                         kNow + std::chrono::minutes(5)}));
  EXPECT_TRUE(record.excluded.empty());
  auto again = router.Route(MakeLead("L1"));
  EXPECT_EQ(again->owner.id, "b");
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(router.Transfer("L1", "zed").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(router.Transfer("L1", "c").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(router.Transfer("nope", "a").status().code(),
            StatusCode::kNotFound);
  // A transferred-away owner is not excluded from a later reassignment.
  auto back = router.Reassign("L1", ChangeReason::kDeclined);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->owner.id, "a");
}

TEST(Reconcile, IsTheLoadCapsSee) {
  Router router = RouterAt(testing::OneStepRules(
      {MakeRep("a").MaxOpen(1), MakeRep("b")}, {"least_loaded", "{}"}));
  ASSERT_TRUE(router.Reconcile("a", 1).ok());
  EXPECT_EQ(router.Route(MakeLead("L1"))->owner.id, "b");
  ASSERT_TRUE(router.Reconcile("b", 5).ok());
  ASSERT_TRUE(router.Reconcile("a", 0).ok());
  EXPECT_EQ(router.Route(MakeLead("L2"))->owner.id, "a");
  EXPECT_EQ(router.Reconcile("a", -3).code(), StatusCode::kInvalidArgument);
}

TEST(OrphanedLeads, AfterAnUpdateRemovesAndDeactivatesReps) {
  Router router = RouterAt(SixReps());
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(router.Route(MakeLead("L" + std::to_string(i))).ok());
  }
  EXPECT_THAT(router.OrphanedLeads("b"), ElementsAre("L1", "L7"));
  EXPECT_TRUE(router.OrphanedLeads().empty());
  // b removed, c deactivated.
  ASSERT_TRUE(router
                  .Update(testing::MakeRules(testing::OneStepRules(
                      {MakeRep("a"), MakeRep("c").Inactive(), MakeRep("d"),
                       MakeRep("e"), MakeRep("f")},
                      {"round_robin", "{}"})))
                  .ok());
  EXPECT_THAT(router.OrphanedLeads(), ElementsAre("L1", "L2", "L7", "L8"));
  for (const std::string& id : router.OrphanedLeads()) {
    auto a = router.Reassign(id, ChangeReason::kOwnerLeft);
    ASSERT_TRUE(a.ok());
    EXPECT_THAT(a->owner.id, ::testing::AnyOf("a", "d", "e", "f"));
  }
  EXPECT_TRUE(router.OrphanedLeads().empty());
  EXPECT_EQ(router.state().Get("b").open, 0);
  EXPECT_EQ(router.state().Get("c").open, 0);
}

}  // namespace
}  // namespace leadroute
