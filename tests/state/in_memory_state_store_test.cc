#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "leadroute/rule_set.h"
#include "leadroute/state_store.h"
#include "leadroute/testing.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using testing::MakeRep;
using Outcome = ClaimResult::Outcome;

RuleSet MakeRules(std::vector<Rep> reps) {
  return testing::MakeRules(
      testing::OneStepRules(std::move(reps), Step{"round_robin", "{}"}));
}

// Claims lead `lead_id` among `candidates` (every rep when omitted).
class Claimer {
 public:
  Claimer(StateStore& store, const Roster& roster)
      : store_(&store), roster_(&roster), all_(roster.size(), true) {}

  ClaimResult Claim(const std::string& lead_id, ClaimPolicy policy = {},
                    const CandidateSet* candidates = nullptr,
                    std::string_view rotation = "rot", uint64_t seed = 0) {
    Assignment draft;
    draft.lead_id = lead_id;
    draft.rule_id = "r";
    draft.decided_by = "round_robin";
    ClaimRequest request;
    request.roster = roster_;
    request.candidates = candidates != nullptr ? candidates : &all_;
    request.policy = policy;
    request.rotation = rotation;
    request.seed = seed;
    request.decision = &draft;
    return store_->Claim(request);
  }

  // The id of the claimed rep, "-" when nobody was claimed.
  std::string Owner(const std::string& lead_id, ClaimPolicy policy = {},
                    const CandidateSet* candidates = nullptr,
                    std::string_view rotation = "rot", uint64_t seed = 0) {
    ClaimResult r = Claim(lead_id, policy, candidates, rotation, seed);
    return r.outcome == Outcome::kClaimed ? roster_->id(r.rep) : "-";
  }

  // The id of the rep Claim would pick now, "-" for nobody.
  std::string Peek(ClaimPolicy policy = {}, std::string_view rotation = "rot") {
    Assignment draft;
    draft.lead_id = "peek";
    ClaimRequest request;
    request.roster = roster_;
    request.candidates = &all_;
    request.policy = policy;
    request.rotation = rotation;
    request.decision = &draft;
    RepIndex rep = store_->Peek(request);
    return rep == kNoRep ? "-" : std::string(roster_->id(rep));
  }

  std::vector<std::string> Owners(int n, ClaimPolicy policy = {},
                                  const std::string& prefix = "L") {
    std::vector<std::string> owners;
    for (int i = 0; i < n; ++i) {
      owners.push_back(Owner(prefix + std::to_string(next_++), policy));
    }
    return owners;
  }

 private:
  StateStore* store_;
  const Roster* roster_;
  CandidateSet all_;
  int next_ = 0;
};

ClaimPolicy Order(PickOrder order) {
  ClaimPolicy policy;
  policy.order = order;
  return policy;
}

Assignment FallbackDecision(const std::string& lead_id, Owner owner) {
  Assignment a;
  a.lead_id = lead_id;
  a.owner = std::move(owner);
  a.decided_by = "fallback";
  a.fallback = true;
  return a;
}

TEST(InMemoryStateStore, NameIsInMemory) {
  EXPECT_EQ(NewInMemoryStateStore()->Name(), "in_memory");
}

TEST(InMemoryStateStore, UnknownRepsAreAvailableWithNoLoad) {
  RuleSet rules = MakeRules({MakeRep("a")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  RepStatus status = store->Read(rules.roster(), 0);
  EXPECT_EQ(status.presence, Presence::kAvailable);
  EXPECT_EQ(status.open, 0);
  EXPECT_EQ(store->Get("nobody").open, 0);
  EXPECT_EQ(store->Get("nobody").presence, Presence::kAvailable);
}

TEST(InMemoryStateStore, LeastRecentGoesInRosterOrderThenRotates) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  EXPECT_THAT(claimer.Owners(7),
              ::testing::ElementsAre("a", "b", "c", "a", "b", "c", "a"));
}

TEST(InMemoryStateStore, ClaimRecordsTheDecisionWithItsOwner) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  ClaimResult r = claimer.Claim("L1");
  ASSERT_EQ(r.outcome, Outcome::kClaimed);
  EXPECT_EQ(r.rep, 0u);
  auto found = store->Find("L1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->owner, Owner::Rep("a"));
  EXPECT_EQ(found->rule_id, "r");
  EXPECT_EQ(found->decided_by, "round_robin");
  EXPECT_EQ(store->Read(rules.roster(), 0).open, 1);
  EXPECT_EQ(store->Get("a").open, 1);
  EXPECT_FALSE(store->Find("L2").has_value());
}

TEST(InMemoryStateStore, SameLeadIsAlreadyDecidedAndCountsOnce) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Claim("L1").outcome, Outcome::kClaimed);
  ClaimResult again = claimer.Claim("L1");
  EXPECT_EQ(again.outcome, Outcome::kAlreadyDecided);
  EXPECT_EQ(again.existing.owner, Owner::Rep("a"));
  EXPECT_EQ(again.existing.lead_id, "L1");
  EXPECT_EQ(store->Get("a").open, 1);
  EXPECT_EQ(store->Get("b").open, 0);
  // The retry did not move the rotation either.
  EXPECT_EQ(claimer.Owner("L2"), "b");
}

TEST(InMemoryStateStore, SkipsRepsAtMaxOpen) {
  RuleSet rules =
      MakeRules({MakeRep("a").MaxOpen(1), MakeRep("b"), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  EXPECT_THAT(claimer.Owners(5),
              ::testing::ElementsAre("a", "b", "c", "b", "c"));
  EXPECT_EQ(store->Get("a").open, 1);
}

TEST(InMemoryStateStore, NobodyWhenEveryoneIsAtCapacityChangesNothing) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(1), MakeRep("b").MaxOpen(0)});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Owner("L1"), "a");
  ClaimResult r = claimer.Claim("L2");
  EXPECT_EQ(r.outcome, Outcome::kNobody);
  EXPECT_EQ(r.rep, kNoRep);
  EXPECT_FALSE(store->Find("L2").has_value());
  EXPECT_EQ(store->Get("a").open, 1);
  EXPECT_EQ(store->Get("b").open, 0);
}

TEST(InMemoryStateStore, SkipsInactiveReps) {
  RuleSet rules =
      MakeRules({MakeRep("a").Inactive(), MakeRep("b"), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  EXPECT_THAT(claimer.Owners(3), ::testing::ElementsAre("b", "c", "b"));
}

TEST(InMemoryStateStore, OnlyCandidatesAreClaimed) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  CandidateSet bc(3);
  bc.set(1);
  bc.set(2);
  EXPECT_EQ(claimer.Owner("L1", {}, &bc), "b");
  EXPECT_EQ(claimer.Owner("L2", {}, &bc), "c");
  EXPECT_EQ(claimer.Owner("L3"), "a");
  EXPECT_EQ(claimer.Owner("L4", {}, &bc), "b");
  CandidateSet none(3);
  EXPECT_EQ(claimer.Claim("L5", {}, &none).outcome, Outcome::kNobody);
}

TEST(InMemoryStateStore, ReleaseForgetsTheLeadAndFreesLoad) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(1), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Owner("L1"), "a");
  auto released = store->Release("L1");
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(released->owner, Owner::Rep("a"));
  EXPECT_EQ(store->Get("a").open, 0);
  EXPECT_FALSE(store->Find("L1").has_value());
  // The same lead id may be decided afresh.
  EXPECT_EQ(claimer.Claim("L1").outcome, Outcome::kClaimed);
}

TEST(InMemoryStateStore, ReleaseOfUnknownLeadIsNotFound) {
  auto store = NewInMemoryStateStore();
  auto released = store->Release("nope");
  ASSERT_FALSE(released.ok());
  EXPECT_EQ(released.status().code(), StatusCode::kNotFound);
}

TEST(InMemoryStateStore, RecordCountsARepOwnerRegardlessOfCaps) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(1)});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Owner("L1"), "a");
  ClaimResult r = store->Record(FallbackDecision("L2", Owner::Rep("a")));
  EXPECT_EQ(r.outcome, Outcome::kClaimed);
  EXPECT_EQ(store->Get("a").open, 2);
  EXPECT_EQ(store->Read(rules.roster(), 0).open, 2);
  auto found = store->Find("L2");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->fallback);
}

TEST(InMemoryStateStore, RecordOfAQueueOwnerCountsNoLoad) {
  auto store = NewInMemoryStateStore();
  ClaimResult r = store->Record(FallbackDecision("L1", Owner::Queue("inbox")));
  EXPECT_EQ(r.outcome, Outcome::kClaimed);
  EXPECT_EQ(store->Get("inbox").open, 0);
  ASSERT_TRUE(store->Find("L1").has_value());
  EXPECT_EQ(store->Find("L1")->owner, Owner::Queue("inbox"));
  EXPECT_TRUE(store->Release("L1").ok());
  EXPECT_EQ(store->Get("inbox").open, 0);
}

TEST(InMemoryStateStore, RecordOfADecidedLeadIsAlreadyDecided) {
  auto store = NewInMemoryStateStore();
  ASSERT_EQ(store->Record(FallbackDecision("L1", Owner::Rep("a"))).outcome,
            Outcome::kClaimed);
  ClaimResult r = store->Record(FallbackDecision("L1", Owner::Rep("b")));
  EXPECT_EQ(r.outcome, Outcome::kAlreadyDecided);
  EXPECT_EQ(r.existing.owner, Owner::Rep("a"));
  EXPECT_EQ(store->Get("a").open, 1);
  EXPECT_EQ(store->Get("b").open, 0);
}

TEST(InMemoryStateStore, SetPresenceIsReadByRepId) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  ASSERT_TRUE(store->SetPresence("b", Presence::kOffline).ok());
  EXPECT_EQ(store->Read(rules.roster(), 1).presence, Presence::kOffline);
  EXPECT_EQ(store->Read(rules.roster(), 0).presence, Presence::kAvailable);
  EXPECT_EQ(store->Get("b").presence, Presence::kOffline);
  // Presence set before a roster is attached shows through it too.
  ASSERT_TRUE(store->SetPresence("a", Presence::kAway).ok());
  EXPECT_EQ(store->Read(rules.roster(), 0).presence, Presence::kAway);
}

TEST(InMemoryStateStore, ReadOfAnUnattachedRosterWorks) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_EQ(store->Record(FallbackDecision("L1", Owner::Rep("b"))).outcome,
            Outcome::kClaimed);
  EXPECT_EQ(store->Read(rules.roster(), 1).open, 1);
  EXPECT_EQ(store->Read(rules.roster(), 0).open, 0);
  EXPECT_EQ(store->Read(rules.roster(), 7).open, 0);  // out of range
}

TEST(InMemoryStateStore, StateIsKeyedByRepIdAcrossRosters) {
  RuleSet first = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  RuleSet second = MakeRules({MakeRep("c"), MakeRep("d"), MakeRep("a")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(first.roster()).ok());
  Claimer one(*store, first.roster());
  ASSERT_THAT(one.Owners(2, {}, "A"), ::testing::ElementsAre("a", "b"));

  ASSERT_TRUE(store->Attach(second.roster()).ok());
  EXPECT_EQ(store->Read(second.roster(), 2).open, 1);  // a
  EXPECT_EQ(store->Read(second.roster(), 0).open, 0);  // c
  // c and d were never assigned in the rotation (c first by roster order),
  // then a, assigned before.
  Claimer two(*store, second.roster());
  EXPECT_THAT(two.Owners(4, {}, "B"),
              ::testing::ElementsAre("c", "d", "a", "c"));
  // Back on the first roster, the rotation is the same one.
  EXPECT_EQ(one.Owner("A9"), "b");
}

TEST(InMemoryStateStore, RotationsAreIndependentByKey) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  EXPECT_EQ(claimer.Owner("L1", {}, nullptr, "x"), "a");
  EXPECT_EQ(claimer.Owner("L2", {}, nullptr, "y"), "a");
  EXPECT_EQ(claimer.Owner("L3", {}, nullptr, "x"), "b");
  EXPECT_EQ(claimer.Owner("L4", {}, nullptr, "y"), "b");
}

TEST(InMemoryStateStore, PeekShowsTheNextClaimAndChangesNothing) {
  RuleSet rules = MakeRules({MakeRep("a").Weight(2), MakeRep("b").Weight(1),
                             MakeRep("c").MaxOpen(0)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  for (PickOrder order : {PickOrder::kLeastRecent, PickOrder::kSmoothWeighted,
                          PickOrder::kLeastLoaded, PickOrder::kRandom}) {
    SCOPED_TRACE(static_cast<int>(order));
    std::string rotation = "peek" + std::to_string(static_cast<int>(order));
    for (int i = 0; i < 5; ++i) {
      std::string peeked = claimer.Peek(Order(order), rotation);
      EXPECT_EQ(claimer.Peek(Order(order), rotation), peeked);  // no change
      EXPECT_EQ(claimer.Owner(rotation + std::to_string(i), Order(order),
                              nullptr, rotation),
                peeked);
    }
  }
}

TEST(InMemoryStateStore, PeekIsNobodyWhenEveryoneIsFull) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(1)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  EXPECT_EQ(claimer.Peek(), "a");
  EXPECT_EQ(claimer.Owner("L1"), "a");
  EXPECT_EQ(claimer.Peek(), "-");
}

TEST(InMemoryStateStore, SmoothWeightedFollowsNginxSequence) {
  RuleSet rules = MakeRules(
      {MakeRep("a").Weight(5), MakeRep("b").Weight(1), MakeRep("c").Weight(1)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  EXPECT_THAT(claimer.Owners(14, Order(PickOrder::kSmoothWeighted)),
              ::testing::ElementsAre("a", "a", "b", "a", "c", "a", "a",  //
                                     "a", "a", "b", "a", "c", "a", "a"));
}

TEST(InMemoryStateStore, SmoothWeightedSkipsRepsAtCapacity) {
  RuleSet rules =
      MakeRules({MakeRep("a").Weight(3).MaxOpen(2), MakeRep("b").Weight(1)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  // a is full after two leads; b takes the rest.
  EXPECT_THAT(claimer.Owners(6, Order(PickOrder::kSmoothWeighted)),
              ::testing::ElementsAre("a", "a", "b", "b", "b", "b"));
  // While a was full only b took part: a's current weight stayed where it
  // was, so once freed a is back after one more lead to b.
  ASSERT_TRUE(store->Release("L0").ok());
  EXPECT_EQ(claimer.Owner("X1", Order(PickOrder::kSmoothWeighted)), "b");
  EXPECT_EQ(claimer.Owner("X2", Order(PickOrder::kSmoothWeighted)), "a");
}

TEST(InMemoryStateStore, LeastLoadedPicksFewestOpenThenLeastRecent) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  ASSERT_THAT(claimer.Owners(3), ::testing::ElementsAre("a", "b", "c"));
  ASSERT_TRUE(store->Release("L1").ok());  // b: 0 open
  ClaimPolicy least_loaded = Order(PickOrder::kLeastLoaded);
  EXPECT_EQ(claimer.Owner("X1", least_loaded), "b");
  // All at one: the least recently assigned (a) goes first.
  EXPECT_EQ(claimer.Owner("X2", least_loaded), "a");
}

TEST(InMemoryStateStore, LeastLoadedRatioDividesByMaxOpen) {
  RuleSet rules =
      MakeRules({MakeRep("a").MaxOpen(10), MakeRep("b").MaxOpen(2)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  // a: 1/10, b: 1/2, a up to 5/10, tie at 0.5 -> least recent (b), then b
  // is full.
  EXPECT_THAT(
      claimer.Owners(9, Order(PickOrder::kLeastLoadedRatio)),
      ::testing::ElementsAre("a", "b", "a", "a", "a", "a", "b", "a", "a"));
}

TEST(InMemoryStateStore, LeastLoadedRatioRanksUncappedRepsByOpenCount) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(4), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  // b (uncapped) ranks as open/1: a 0/4 vs b 0 -> a; a 1/4 vs b 0 -> b;
  // a 1/4 vs b 1 -> a; ... until a is full.
  EXPECT_THAT(claimer.Owners(7, Order(PickOrder::kLeastLoadedRatio)),
              ::testing::ElementsAre("a", "b", "a", "a", "a", "b", "b"));
}

TEST(InMemoryStateStore, RandomIsDeterministicForASeed) {
  RuleSet rules =
      MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c"), MakeRep("d")});
  auto owners = [&](uint64_t request_seed, uint64_t policy_seed) {
    auto store = NewInMemoryStateStore();
    Claimer claimer(*store, rules.roster());
    ClaimPolicy policy = Order(PickOrder::kRandom);
    policy.seed = policy_seed;
    std::vector<std::string> out;
    for (int i = 0; i < 64; ++i) {
      out.push_back(claimer.Owner("L" + std::to_string(i), policy, nullptr,
                                  "rot", request_seed));
    }
    return out;
  };
  EXPECT_EQ(owners(1, 0), owners(1, 0));
  EXPECT_NE(owners(1, 0), owners(2, 0));
  // A policy seed takes the place of the request seed.
  EXPECT_EQ(owners(1, 99), owners(2, 99));
  EXPECT_EQ(owners(99, 0), owners(5, 99));
}

TEST(InMemoryStateStore, PreferenceTakesTheFirstEligibleRep) {
  RuleSet rules =
      MakeRules({MakeRep("a"), MakeRep("b").MaxOpen(1), MakeRep("c")});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  std::vector<RepIndex> preference = {1, 2, 0};
  ClaimPolicy policy = Order(PickOrder::kPreference);
  policy.preference = preference;
  CandidateSet none(3);
  EXPECT_EQ(claimer.Owner("L1", policy, &none), "b");  // candidates ignored
  EXPECT_EQ(claimer.Owner("L2", policy, &none), "c");  // b is full
  ClaimPolicy empty = Order(PickOrder::kPreference);
  EXPECT_EQ(claimer.Claim("L3", empty).outcome, Outcome::kNobody);
}

TEST(InMemoryStateStore, ConcurrentClaimsOfDistinctLeads) {
  std::vector<Rep> reps;
  for (int i = 0; i < 10; ++i) {
    auto rep = MakeRep("r" + std::to_string(i));
    if (i % 2 == 0) rep.MaxOpen(1000);
    reps.push_back(rep);
  }
  RuleSet rules = MakeRules(reps);
  const Roster& roster = rules.roster();
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(roster).ok());
  constexpr int kThreads = 8;
  constexpr int kLeads = 5000;
  std::atomic<int> claimed{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Claimer claimer(*store, roster);
      start.arrive_and_wait();
      for (int i = 0; i < kLeads; ++i) {
        ClaimPolicy policy = Order(i % 2 == 0 ? PickOrder::kLeastRecent
                                              : PickOrder::kLeastLoaded);
        std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        if (claimer.Claim(id, policy).outcome == Outcome::kClaimed) ++claimed;
        // Lock-free reads race with the claims.
        (void)store->Read(roster, static_cast<RepIndex>(i % 10));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(claimed.load(), kThreads * kLeads);
  std::map<std::string, int> by_owner;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kLeads; ++i) {
      auto found =
          store->Find("T" + std::to_string(t) + "-" + std::to_string(i));
      ASSERT_TRUE(found.has_value());
      ++by_owner[found->owner.id];
    }
  }
  int total = 0;
  for (RepIndex i = 0; i < roster.size(); ++i) {
    int open = store->Read(roster, i).open;
    EXPECT_EQ(open, by_owner[roster.id(i)]) << roster.id(i);
    if (roster.rep(i).capacity.max_open) {
      EXPECT_LE(open, *roster.rep(i).capacity.max_open) << roster.id(i);
    }
    total += open;
  }
  EXPECT_EQ(total, kThreads * kLeads);
}

TEST(InMemoryStateStore, ConcurrentClaimsNeverExceedMaxOpen) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(50), MakeRep("b").MaxOpen(70),
                             MakeRep("c").MaxOpen(30)});
  const Roster& roster = rules.roster();
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(roster).ok());
  constexpr int kThreads = 8;
  std::atomic<int> claimed{0};
  std::atomic<int> nobody{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Claimer claimer(*store, roster);
      start.arrive_and_wait();
      for (int i = 0; i < 100; ++i) {
        std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        Outcome outcome = claimer.Claim(id).outcome;
        if (outcome == Outcome::kClaimed) ++claimed;
        if (outcome == Outcome::kNobody) ++nobody;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(claimed.load(), 150);
  EXPECT_EQ(nobody.load(), 8 * 100 - 150);
  EXPECT_EQ(store->Get("a").open, 50);
  EXPECT_EQ(store->Get("b").open, 70);
  EXPECT_EQ(store->Get("c").open, 30);
}

TEST(InMemoryStateStore, ReadsStayCorrectWhileManyRostersAttach) {
  // More rosters than the store publishes for lock-free reads, attached
  // while other threads read and claim through all of them.
  std::vector<RuleSet> generations;
  const std::vector<std::string> ids = {"a", "b", "c", "d"};
  for (int g = 0; g < 40; ++g) {
    std::vector<Rep> reps;
    for (size_t k = 0; k < ids.size(); ++k) {
      reps.push_back(MakeRep(ids[(k + static_cast<size_t>(g)) % ids.size()]));
    }
    generations.push_back(MakeRules(reps));
  }
  auto store = NewInMemoryStateStore();
  constexpr int kReaders = 4;
  std::latch start(kReaders + 1);
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    start.arrive_and_wait();
    for (int round = 0; round < 3; ++round) {
      for (const RuleSet& rules : generations) {
        EXPECT_TRUE(store->Attach(rules.roster()).ok());
      }
    }
  });
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 2000; ++i) {
        const Roster& roster =
            generations[static_cast<size_t>(i % 40)].roster();
        for (RepIndex k = 0; k < roster.size(); ++k) {
          EXPECT_GE(store->Read(roster, k).open, 0);
        }
        Claimer claimer(*store, roster);
        std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        if (claimer.Claim(id).outcome == Outcome::kClaimed) ++claimed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(claimed.load(), kReaders * 2000);
  int total = 0;
  for (const auto& id : ids) total += store->Get(id).open;
  EXPECT_EQ(total, kReaders * 2000);
  for (const RuleSet& rules : generations) {
    const Roster& roster = rules.roster();
    for (RepIndex k = 0; k < roster.size(); ++k) {
      ASSERT_EQ(store->Read(roster, k).open, store->Get(roster.id(k)).open);
    }
  }
  // One rotation over every roster: the reps stay within one of each other.
  int lo = store->Get("a").open;
  int hi = lo;
  for (const auto& id : ids) {
    lo = std::min(lo, store->Get(id).open);
    hi = std::max(hi, store->Get(id).open);
  }
  EXPECT_LE(hi - lo, 1);
}

TEST(InMemoryStateStore, ConcurrentClaimsOfOneLeadClaimOnce) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  const Roster& roster = rules.roster();
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(roster).ok());
  constexpr int kThreads = 8;
  for (int round = 0; round < 50; ++round) {
    std::string id = "L" + std::to_string(round);
    std::atomic<int> claimed{0};
    std::atomic<int> already{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        Claimer claimer(*store, roster);
        start.arrive_and_wait();
        ClaimResult r = claimer.Claim(id);
        if (r.outcome == Outcome::kClaimed) ++claimed;
        if (r.outcome == Outcome::kAlreadyDecided) ++already;
      });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(claimed.load(), 1) << id;
    ASSERT_EQ(already.load(), kThreads - 1) << id;
  }
  EXPECT_EQ(store->Get("a").open + store->Get("b").open + store->Get("c").open,
            50);
}

// Lifecycle: replacement, transfer, corrections, saved state.

// Claims `lead_id` among `candidates` replacing version `version`.
ClaimResult ClaimReplacing(StateStore& store, const Roster& roster,
                           const std::string& lead_id,
                           const CandidateSet& candidates, uint64_t version,
                           ChangeReason reason, Instant at) {
  Assignment draft;
  draft.lead_id = lead_id;
  draft.rule_id = "r";
  draft.decided_by = "round_robin";
  draft.routed_at = at;
  Replacement replace{version, reason};
  ClaimRequest request;
  request.roster = &roster;
  request.candidates = &candidates;
  request.rotation = "rot";
  request.decision = &draft;
  request.at = at;
  request.replace = &replace;
  return store.Claim(request);
}

CandidateSet Only(const Roster& roster, RepIndex rep) {
  CandidateSet set(roster.size());
  set.set(rep);
  return set;
}

const Instant kT0 = *ParseInstant("2026-03-02T09:00:00Z");

TEST(InMemoryStateStore, ChangeReasonNamesRoundTrip) {
  for (ChangeReason reason : {ChangeReason::kDeclined, ChangeReason::kSlaMissed,
                              ChangeReason::kOwnerLeft, ChangeReason::kManual,
                              ChangeReason::kTransferred}) {
    EXPECT_EQ(ParseChangeReason(ChangeReasonName(reason)), reason);
  }
  EXPECT_EQ(ChangeReasonName(ChangeReason::kSlaMissed), "sla_missed");
  EXPECT_FALSE(ParseChangeReason("Declined").has_value());
}

TEST(InMemoryStateStore, ClaimKeepsTheLeadInAVersionOneRecord) {
  RuleSet rules = MakeRules({MakeRep("a")});
  auto store = NewInMemoryStateStore();
  Lead lead = testing::MakeLead("L1", {{"country", Value("DE")}});
  Assignment draft;
  draft.lead_id = "L1";
  CandidateSet all(1, true);
  ClaimRequest request;
  request.roster = &rules.roster();
  request.candidates = &all;
  request.decision = &draft;
  request.lead = &lead;
  ASSERT_EQ(store->Claim(request).outcome, Outcome::kClaimed);
  std::optional<LeadRecord> record = store->FindRecord("L1");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->version, 1u);
  EXPECT_TRUE(record->history.empty());
  EXPECT_TRUE(record->excluded.empty());
  ASSERT_NE(record->lead, nullptr);
  EXPECT_EQ(record->lead->ToJson(), lead.ToJson());
  EXPECT_FALSE(store->FindRecord("L2").has_value());
}

TEST(InMemoryStateStore, ReplacementMovesTheLoadAndRecordsTheOldOwner) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  const Roster& roster = rules.roster();
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, roster);
  ASSERT_EQ(claimer.Owner("L1"), "a");
  ClaimResult r = ClaimReplacing(*store, roster, "L1", Only(roster, 1), 1,
                                 ChangeReason::kDeclined, kT0);
  ASSERT_EQ(r.outcome, Outcome::kClaimed);
  EXPECT_EQ(r.version, 2u);
  EXPECT_EQ(store->Get("a").open, 0);
  EXPECT_EQ(store->Get("b").open, 1);
  LeadRecord record = *store->FindRecord("L1");
  EXPECT_EQ(record.decision.owner, Owner::Rep("b"));
  EXPECT_EQ(record.version, 2u);
  ASSERT_EQ(record.history.size(), 1u);
  EXPECT_EQ(record.history[0],
            (OwnerChange{Owner::Rep("a"), ChangeReason::kDeclined, kT0}));
  EXPECT_THAT(record.excluded, ::testing::ElementsAre("a"));
}

TEST(InMemoryStateStore, StaleReplacementIsRefusedAndChangesNothing) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  const Roster& roster = rules.roster();
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, roster);
  ASSERT_EQ(claimer.Owner("L1"), "a");
  ASSERT_EQ(ClaimReplacing(*store, roster, "L1", Only(roster, 1), 1,
                           ChangeReason::kManual, kT0)
                .outcome,
            Outcome::kClaimed);
  // Version 1 is gone: the second replacement sees the current decision.
  ClaimResult r = ClaimReplacing(*store, roster, "L1", Only(roster, 2), 1,
                                 ChangeReason::kManual, kT0);
  EXPECT_EQ(r.outcome, Outcome::kAlreadyDecided);
  EXPECT_EQ(r.existing.owner, Owner::Rep("b"));
  EXPECT_EQ(r.version, 2u);
  EXPECT_EQ(store->Get("b").open, 1);
  EXPECT_EQ(store->Get("c").open, 0);
  // A released lead cannot be replaced either.
  ASSERT_TRUE(store->Release("L1").ok());
  r = ClaimReplacing(*store, roster, "L1", Only(roster, 2), 2,
                     ChangeReason::kManual, kT0);
  EXPECT_EQ(r.outcome, Outcome::kAlreadyDecided);
  EXPECT_TRUE(r.existing.lead_id.empty());
  EXPECT_FALSE(store->Find("L1").has_value());
}

TEST(InMemoryStateStore, RecordReplacesWithAFallbackOwner) {
  RuleSet rules = MakeRules({MakeRep("a")});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Owner("L1"), "a");
  Replacement replace{1, ChangeReason::kOwnerLeft};
  Assignment fallback = FallbackDecision("L1", Owner::Queue("inbox"));
  fallback.routed_at = kT0;
  ClaimResult r = store->Record(fallback, nullptr, &replace);
  ASSERT_EQ(r.outcome, Outcome::kClaimed);
  EXPECT_EQ(store->Get("a").open, 0);
  LeadRecord record = *store->FindRecord("L1");
  EXPECT_EQ(record.decision.owner, Owner::Queue("inbox"));
  EXPECT_EQ(record.history.at(0).reason, ChangeReason::kOwnerLeft);
  EXPECT_THAT(record.excluded, ::testing::ElementsAre("a"));
  // Version 1 again: refused.
  EXPECT_EQ(store->Record(fallback, nullptr, &replace).outcome,
            Outcome::kAlreadyDecided);
}

TEST(InMemoryStateStore, TransferMovesLoadsPastCapsWithoutExcluding) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b").MaxOpen(0)});
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, rules.roster());
  ASSERT_EQ(claimer.Owner("L1"), "a");
  Result<Assignment> moved = store->Transfer("L1", Owner::Rep("b"), kT0);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->owner, Owner::Rep("b"));
  EXPECT_EQ(moved->decided_by, "transfer");
  EXPECT_TRUE(moved->rule_id.empty());
  EXPECT_EQ(store->Get("a").open, 0);
  EXPECT_EQ(store->Get("b").open, 1);  // over max_open 0: the admin's call
  LeadRecord record = *store->FindRecord("L1");
  EXPECT_EQ(record.version, 2u);
  EXPECT_EQ(record.history.at(0),
            (OwnerChange{Owner::Rep("a"), ChangeReason::kTransferred, kT0}));
  EXPECT_TRUE(record.excluded.empty());
  // To the current owner: nothing changes.
  ASSERT_TRUE(store->Transfer("L1", Owner::Rep("b"), kT0).ok());
  EXPECT_EQ(store->FindRecord("L1")->version, 2u);
  EXPECT_EQ(store->Get("b").open, 1);
  EXPECT_EQ(store->Transfer("nope", Owner::Rep("a"), kT0).status().code(),
            StatusCode::kNotFound);
}

TEST(InMemoryStateStore, ReconcileReplacesTheOpenLoad) {
  RuleSet rules = MakeRules({MakeRep("a").MaxOpen(2), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Reconcile("a", 2).ok());
  EXPECT_EQ(store->Get("a").open, 2);
  Claimer claimer(*store, rules.roster());
  EXPECT_EQ(claimer.Owner("L1"), "b");  // a is at max_open by the CRM's count
  ASSERT_TRUE(store->Reconcile("a", 0).ok());
  EXPECT_EQ(claimer.Owner("L2"), "a");
  EXPECT_EQ(store->Reconcile("a", -1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Get("a").open, 1);
}

TEST(InMemoryStateStore, SetClaimHistoryIsWhatTimeCapsCount) {
  RuleSet rules = MakeRules({MakeRep("a").MaxPerDay(2)});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  EXPECT_TRUE(store->UnderTimeCaps(rules.roster(), 0, kT0));
  std::vector<Instant> claims = {kT0 - std::chrono::hours(1),
                                 kT0 - std::chrono::hours(2)};
  ASSERT_TRUE(store->SetClaimHistory("a", claims).ok());
  EXPECT_FALSE(store->UnderTimeCaps(rules.roster(), 0, kT0));
  ASSERT_TRUE(store->SetClaimHistory("a", {}).ok());
  EXPECT_TRUE(store->UnderTimeCaps(rules.roster(), 0, kT0));
}

// A store with some of everything: loads, presence, claim history, two
// rotations (one random), a reassigned lead and a fallback lead.
std::unique_ptr<StateStore> BusyStore(const Roster& roster) {
  auto store = NewInMemoryStateStore();
  Claimer claimer(*store, roster);
  for (int i = 0; i < 5; ++i) claimer.Owner("L" + std::to_string(i));
  claimer.Owner("R1", Order(PickOrder::kRandom), nullptr, "dice", 77);
  claimer.Owner("W1", Order(PickOrder::kSmoothWeighted), nullptr, "wrr");
  Lead lead = testing::MakeLead("F1", {{"score", Value(12.5)}});
  (void)ClaimReplacing(*store, roster, "L0", Only(roster, 2), 1,
                       ChangeReason::kSlaMissed, kT0);
  (void)store->Record(FallbackDecision("F1", Owner::Queue("inbox")), &lead,
                      nullptr);
  (void)store->SetPresence("b", Presence::kAway);
  std::vector<Instant> claims = {kT0, kT0 + std::chrono::milliseconds(1)};
  (void)store->SetClaimHistory("c", claims);
  return store;
}

TEST(InMemoryStateStore, SnapshotRoundTripsExactly) {
  RuleSet rules = MakeRules(
      {MakeRep("a").Weight(0.1), MakeRep("b").Weight(3), MakeRep("c")});
  auto store = BusyStore(rules.roster());
  Result<std::string> saved = store->SaveSnapshot();
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  auto copy = NewInMemoryStateStore();
  Status loaded = copy->LoadSnapshot(*saved);
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  EXPECT_EQ(copy->SaveSnapshot().value(), *saved);
  EXPECT_EQ(copy->Get("b").presence, Presence::kAway);
  EXPECT_EQ(copy->FindRecord("L0")->history.at(0).reason,
            ChangeReason::kSlaMissed);
  // The copy decides exactly as the original from here on.
  Claimer a(*store, rules.roster());
  Claimer b(*copy, rules.roster());
  for (int i = 0; i < 50; ++i) {
    std::string id = "N" + std::to_string(i);
    ASSERT_EQ(a.Owner(id), b.Owner(id)) << id;
    ASSERT_EQ(a.Owner(id + "r", Order(PickOrder::kRandom), nullptr, "dice"),
              b.Owner(id + "r", Order(PickOrder::kRandom), nullptr, "dice"));
    ASSERT_EQ(
        a.Owner(id + "w", Order(PickOrder::kSmoothWeighted), nullptr, "wrr"),
        b.Owner(id + "w", Order(PickOrder::kSmoothWeighted), nullptr, "wrr"));
  }
}

TEST(InMemoryStateStore, LargeCountersAreWrittenAsStrings) {
  auto store = NewInMemoryStateStore();
  std::string doc = R"({"format":"leadroute-state","version":1,
    "sequence":"18446744073709551615","reps":[],
    "rotations":[{"key":"k","rng":"9007199254740993","reps":[]}],"leads":[]})";
  ASSERT_TRUE(store->LoadSnapshot(doc).ok());
  std::string saved = store->SaveSnapshot().value();
  EXPECT_THAT(saved,
              ::testing::HasSubstr(R"("sequence":"18446744073709551615")"));
  EXPECT_THAT(saved, ::testing::HasSubstr(R"("rng":"9007199254740993")"));
}

TEST(InMemoryStateStore, RejectedSnapshotsLeaveTheStateAsItWas) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b"), MakeRep("c")});
  auto store = BusyStore(rules.roster());
  const std::string before = store->SaveSnapshot().value();
  auto expect_rejected = [&](const std::string& doc, const std::string& text) {
    Status s = store->LoadSnapshot(doc);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << doc;
    EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr(text));
    EXPECT_EQ(store->SaveSnapshot().value(), before);
  };
  std::string v2 = before;
  v2.replace(v2.find("\"version\":1"), 11, "\"version\":2");
  expect_rejected(v2,
                  "state format version 2 is newer than this leadroute "
                  "reads (1)");
  std::string format = before;
  format.replace(format.find("leadroute-state"), 15, "leadroute-rules");
  expect_rejected(format, "/format: not a leadroute state document");
  expect_rejected(before.substr(0, before.size() / 2), "invalid JSON");
  std::string deep = before;
  // The last lead (sorted by id: "W1", /leads/7) has a bad owner kind.
  size_t w1 = deep.find("\"lead_id\":\"W1\"");
  ASSERT_NE(w1, std::string::npos);
  deep.replace(deep.find("\"kind\":\"rep\"", w1), 12, "\"kind\":\"bot\"");
  expect_rejected(deep, "/leads/7/owner/kind: expected \"rep\" or \"queue\"");
  std::string reason = before;
  reason.replace(reason.find("sla_missed"), 10, "sla_mised");
  expect_rejected(reason, "/leads/1/history/0/reason: unknown reason");
}

// Find answers from a count of open ids per hash slot without the lock when
// the slot counts none. 40,000 ids over its 16,384 slots share slots, so
// every kind of change must keep the counts exact: claims, records,
// releases, outcomes, a snapshot load into a store with fewer open leads
// and one into a store with more.
TEST(InMemoryStateStore, FindSeesEveryOpenLeadAndNoClosedOne) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  Claimer claimer(*store, rules.roster());
  constexpr int kLeads = 40'000;
  auto id = [](int i) { return "lead-" + std::to_string(i); };
  for (int i = 0; i < kLeads; ++i) {
    if (i % 2 == 0) {
      ASSERT_EQ(claimer.Claim(id(i)).outcome, Outcome::kClaimed);
    } else {
      ASSERT_EQ(
          store->Record(FallbackDecision(id(i), Owner::Queue("q"))).outcome,
          Outcome::kClaimed);
    }
  }
  // Close three of every four: releases, and outcomes (which close too).
  for (int i = 0; i < kLeads; ++i) {
    if (i % 4 == 3) continue;
    if (i % 8 == 0) {
      ASSERT_TRUE(store->RecordOutcome(id(i), ::leadroute::Outcome{}, {}).ok());
    } else {
      ASSERT_TRUE(store->Release(id(i)).ok());
    }
  }
  auto expect_open_exactly_every_fourth = [&](const StateStore& s) {
    for (int i = 0; i < kLeads; ++i) {
      ASSERT_EQ(s.Find(id(i)).has_value(), i % 4 == 3) << id(i);
    }
  };
  expect_open_exactly_every_fourth(*store);
  // Ids never seen, including ones sharing slots with open leads.
  for (int i = kLeads; i < 2 * kLeads; ++i) {
    ASSERT_FALSE(store->Find(id(i)).has_value()) << id(i);
  }

  Result<std::string> saved = store->SaveSnapshot();
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  auto copy = NewInMemoryStateStore();
  // The copy had open leads of its own before the load replaced them.
  ASSERT_TRUE(copy->Attach(rules.roster()).ok());
  Claimer other(*copy, rules.roster());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(other.Claim("old-" + std::to_string(i)).outcome,
              Outcome::kClaimed);
  }
  ASSERT_TRUE(copy->LoadSnapshot(*saved).ok());
  expect_open_exactly_every_fourth(*copy);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(copy->Find("old-" + std::to_string(i)).has_value());
  }
  // The copy goes on growing after the load.
  for (int i = 0; i < kLeads; ++i) {
    ASSERT_EQ(other.Claim("more-" + std::to_string(i)).outcome,
              Outcome::kClaimed);
  }
  expect_open_exactly_every_fourth(*copy);
  for (int i = 0; i < kLeads; ++i) {
    ASSERT_TRUE(copy->Find("more-" + std::to_string(i)).has_value());
  }

  // The first store, with 50,000 open leads, loads its own 10,000 back.
  for (int i = 0; i < kLeads; ++i) {
    ASSERT_EQ(claimer.Claim("extra-" + std::to_string(i)).outcome,
              Outcome::kClaimed);
  }
  ASSERT_TRUE(store->LoadSnapshot(*saved).ok());
  expect_open_exactly_every_fourth(*store);
  for (int i = 0; i < kLeads; ++i) {
    ASSERT_FALSE(store->Find("extra-" + std::to_string(i)).has_value());
  }
}

// Find without the lock sees other threads' claims: two threads claim
// 20,000 leads each while two others look up every id a claimer has
// announced as claimed, and must find each one, and as many ids nobody
// claims, and must find none.
TEST(InMemoryStateStore, FindSeesOtherThreadsClaims) {
  RuleSet rules = MakeRules({MakeRep("a"), MakeRep("b")});
  auto store = NewInMemoryStateStore();
  ASSERT_TRUE(store->Attach(rules.roster()).ok());
  constexpr int kPerClaimer = 20'000;
  auto id = [](int claimer, int i) {
    return "c" + std::to_string(claimer) + "-" + std::to_string(i);
  };
  std::array<std::atomic<int>, 2> claimed{};  // per claimer: ids 0..n-1
  std::atomic<int> missed{0};
  std::atomic<int> phantom{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([&, c] {
      Claimer claimer(*store, rules.roster());
      for (int i = 0; i < kPerClaimer; ++i) {
        if (claimer.Claim(id(c, i)).outcome != Outcome::kClaimed) ++failed;
        claimed[c].store(i + 1, std::memory_order_release);
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      int checked = 0;
      while (checked < kPerClaimer) {
        const int upto = claimed[r].load(std::memory_order_acquire);
        for (; checked < upto; ++checked) {
          if (!store->Find(id(r, checked)).has_value()) ++missed;
          if (store->Find(id(1 - r, kPerClaimer + checked)).has_value()) {
            ++phantom;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(missed.load(), 0);
  EXPECT_EQ(phantom.load(), 0);
}

}  // namespace
}  // namespace leadroute
