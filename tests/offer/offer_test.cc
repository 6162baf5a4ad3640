// Offers and pools (leadroute/offer.h): shortlists list only eligible reps
// in the picker's order; the first claim wins; a claim re-checks the rep;
// expired offers follow on_expiry; pool leads are pulled oldest first; the
// pending state is idempotent, releasable, saved and loaded.
#include "leadroute/offer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/rule_set_json.h"
#include "leadroute/router.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// ana, ben, flo cover DE; cy covers DE with a cap of one open lead; dee
// covers FR only; eve covers DE and will be offline.
constexpr char kRules[] = R"({
  "reps": [
    {"id": "ana", "territories": ["DE"]},
    {"id": "ben", "territories": ["DE"]},
    {"id": "cy", "territories": ["DE"], "capacity": {"max_open": 1}},
    {"id": "dee", "territories": ["FR"]},
    {"id": "eve", "territories": ["DE"]},
    {"id": "flo", "territories": ["DE"]}
  ],
  "rules": [
    {"id": "pool", "when": {"field": "kind", "eq": "pool"}, "mode": "pool",
     "steps": [{"strategy": "availability"}, {"strategy": "territory"}]},
    {"id": "de", "when": {"field": "country", "eq": "DE"}, "mode": "offer",
     "offer": {"size": 3, "expires_after": "10m", "on_expiry": "push"},
     "steps": [{"strategy": "availability"}, {"strategy": "territory"},
               {"strategy": "least_loaded"}]},
    {"id": "fr", "when": {"field": "country", "eq": "FR"}, "mode": "offer",
     "offer": {"size": 2, "expires_after": "5m", "on_expiry": "fallback"},
     "steps": [{"strategy": "availability"}, {"strategy": "territory"}]},
    {"id": "rest", "steps": [{"strategy": "availability"},
                             {"strategy": "least_loaded"}]}
  ],
  "fallback": {"queue": "triage"}
})";

const Instant kStart = *ParseInstant("2026-01-05T10:00:00Z");

Lead German(const std::string& id) {
  return testing::MakeLead(id, {{"country", "DE"}});
}
Lead French(const std::string& id) {
  return testing::MakeLead(id, {{"country", "FR"}});
}
Lead PoolLead(const std::string& id, const std::string& country) {
  return testing::MakeLead(id, {{"kind", "pool"}, {"country", country}});
}

struct Fixture {
  std::shared_ptr<testing::FakeClock> clock =
      std::make_shared<testing::FakeClock>(kStart);
  std::shared_ptr<StateStore> state = NewInMemoryStateStore();
  // Callbacks of claims on different threads run at the same time (each
  // after its own commit), so the log they write is guarded.
  std::mutex events_mu;
  std::vector<std::string> events;
  Router router = Make();

  void Log(std::string event) {
    std::lock_guard<std::mutex> lock(events_mu);
    events.push_back(std::move(event));
  }

  Router Make() {
    RouterOptions options;
    options.clock = clock;
    options.state = state;
    options.on_offered = [this](const Assignment& a) {
      Log("offered " + a.lead_id);
    };
    options.on_assigned = [this](const Assignment& a) {
      Log("assigned " + a.lead_id + " " + a.owner.id);
    };
    options.on_fallback = [this](const Assignment& a) {
      Log("fallback " + a.lead_id + " " + a.owner.id);
    };
    return std::move(
        Router::Create(RuleSet::FromJson(kRules).value(), std::move(options))
            .value());
  }
};

TEST(Offer, ListsOnlyEligibleRepsRankedByThePicker) {
  Fixture f;
  ASSERT_TRUE(f.router.SetPresence("eve", Presence::kOffline).ok());
  ASSERT_TRUE(f.router.Reconcile("cy", 1).ok());   // at its max_open
  ASSERT_TRUE(f.router.Reconcile("ana", 2).ok());  // least_loaded ranks
  ASSERT_TRUE(f.router.Reconcile("flo", 1).ok());
  Result<OfferInfo> offer = f.router.Offer(German("L1"), 10);
  ASSERT_TRUE(offer.ok()) << offer.status().message();
  // Not cy (capacity), dee (territory), eve (offline); fewest open first.
  EXPECT_THAT(offer->reps, ElementsAre("ben", "flo", "ana"));
  EXPECT_EQ(offer->mode, Distribution::kOffer);
  EXPECT_EQ(offer->offer_id, "L1#1");
  EXPECT_EQ(offer->offered_at, kStart);
  EXPECT_EQ(offer->expires_at, kStart + minutes(10));  // the rule's setting
  // No load, no decision; pending and idempotent.
  EXPECT_EQ(f.state->Get("ben").open, 0);
  EXPECT_FALSE(f.router.Find("L1").has_value());
  Result<OfferInfo> again = f.router.Offer(German("L1"), 2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->offer_id, "L1#1");
  EXPECT_THAT(f.events, ElementsAre("offered L1"));
}

TEST(Offer, ShortlistIsCutAtKAndWorksForPushRules) {
  Fixture f;
  // "rest" is a push rule: Offer still builds a shortlist, 15 min expiry.
  Result<OfferInfo> offer = f.router.Offer(testing::MakeLead("L1"), 2);
  ASSERT_TRUE(offer.ok()) << offer.status().message();
  EXPECT_EQ(offer->reps.size(), 2u);
  EXPECT_EQ(offer->expires_at, kStart + minutes(15));
  Result<Assignment> claimed = f.router.Claim(offer->offer_id, offer->reps[1]);
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  EXPECT_EQ(claimed->owner.id, offer->reps[1]);
  EXPECT_EQ(claimed->rule_id, "rest");
  EXPECT_EQ(claimed->decided_by, "offer");
  EXPECT_FALSE(claimed->offer.has_value());
  EXPECT_EQ(f.state->Get(offer->reps[1]).open, 1);
}

TEST(Offer, NobodyEligibleIsNotFoundAndRecordsNothing) {
  Fixture f;
  for (const char* rep : {"ana", "ben", "cy", "dee", "eve", "flo"}) {
    ASSERT_TRUE(f.router.SetPresence(rep, Presence::kOffline).ok());
  }
  Result<OfferInfo> offer = f.router.Offer(German("L1"), 3);
  EXPECT_EQ(offer.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(f.router.Find("L1").has_value());
  EXPECT_TRUE(f.router.Pending().empty());
  EXPECT_EQ(f.router.Offer(German("L1"), 0).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(OfferRule, RouteLeavesTheLeadPendingAndRepeatsIt) {
  Fixture f;
  Result<Assignment> routed = f.router.Route(German("L1"));
  ASSERT_TRUE(routed.ok());
  EXPECT_TRUE(routed->owner.id.empty());
  EXPECT_EQ(routed->rule_id, "de");
  EXPECT_EQ(routed->decided_by, "offer");
  ASSERT_TRUE(routed->offer.has_value());
  // All at zero load: least_loaded falls back to roster order.
  EXPECT_THAT(routed->offer->reps, ElementsAre("ana", "ben", "cy"));
  EXPECT_THAT(routed->ToJson(), HasSubstr("\"offer\":{\"offer_id\":\"L1#1\""));
  EXPECT_EQ(f.state->Get("ana").open, 0);

  Result<Assignment> again = f.router.Route(German("L1"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->offer->offer_id, routed->offer->offer_id);
  EXPECT_THAT(f.events, ElementsAre("offered L1"));  // once
}

TEST(OfferRule, FirstClaimWinsTheSecondIsToldWho) {
  Fixture f;
  Result<Assignment> routed = f.router.Route(German("L1"));
  ASSERT_TRUE(routed.ok());
  Result<Assignment> won = f.router.Claim(routed->offer->offer_id, "ben");
  ASSERT_TRUE(won.ok()) << won.status().message();
  EXPECT_EQ(won->owner.id, "ben");
  EXPECT_EQ(won->decided_by, "offer");
  Result<Assignment> lost = f.router.Claim("L1", "ana");
  EXPECT_EQ(lost.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(lost.status().message(),
            "lead \"L1\" already claimed by rep \"ben\"");
  // By offer id too, once the offer is gone.
  EXPECT_THAT(f.router.Claim("L1#1", "ana").status().message(),
              HasSubstr("already claimed by rep \"ben\""));
  EXPECT_EQ(f.router.Claim("nope", "ana").status().code(),
            StatusCode::kNotFound);
  EXPECT_THAT(f.events, ElementsAre("offered L1", "assigned L1 ben"));
  // A route of the claimed lead is the claim, repeated.
  EXPECT_EQ(f.router.Route(German("L1"))->owner.id, "ben");
}

TEST(OfferRule, TwoThreadsClaimingExactlyOneWins) {
  Fixture f;
  constexpr int kLeads = 200;
  for (int i = 0; i < kLeads; ++i) {
    ASSERT_TRUE(f.router.Route(German("L" + std::to_string(i))).ok());
  }
  std::atomic<int> wins{0};
  std::atomic<int> told{0};
  std::vector<std::string> owners(kLeads);
  auto claimer = [&](const std::string& rep) {
    for (int i = 0; i < kLeads; ++i) {
      Result<Assignment> r = f.router.Claim("L" + std::to_string(i), rep);
      if (r.ok()) {
        ++wins;
      } else if (r.status().message().find("already claimed by rep") !=
                 std::string_view::npos) {
        ++told;
      }
    }
  };
  // ana and ben are on every shortlist (least_loaded with equal loads
  // keeps roster order for the first lead, and ranks by load after).
  std::thread a(claimer, "ana");
  std::thread b(claimer, "ben");
  a.join();
  b.join();
  // Every lead exactly once; every loser told who won.
  EXPECT_EQ(wins.load() + told.load(), 2 * kLeads);
  int decided = 0;
  for (int i = 0; i < kLeads; ++i) {
    std::optional<Assignment> d = f.router.Find("L" + std::to_string(i));
    if (d) ++decided;
  }
  EXPECT_EQ(decided, wins.load());
  EXPECT_EQ(f.state->Get("ana").open + f.state->Get("ben").open, wins.load());
  EXPECT_TRUE(f.router.Pending().size() ==
              static_cast<size_t>(kLeads - decided));
}

TEST(OfferRule, TwoThreadsOnOneOfferManyTimes) {
  // The race itself, many times: both claims start together.
  for (int round = 0; round < 50; ++round) {
    Fixture f;
    ASSERT_TRUE(f.router.Route(German("L1")).ok());
    std::atomic<bool> go{false};
    Result<Assignment> ra = Status::Internal("unset");
    Result<Assignment> rb = Status::Internal("unset");
    std::thread a([&] {
      while (!go.load()) {
      }
      ra = f.router.Claim("L1", "ana");
    });
    std::thread b([&] {
      while (!go.load()) {
      }
      rb = f.router.Claim("L1", "ben");
    });
    go.store(true);
    a.join();
    b.join();
    ASSERT_NE(ra.ok(), rb.ok()) << round;
    const Result<Assignment>& loser = ra.ok() ? rb : ra;
    const std::string winner = ra.ok() ? "ana" : "ben";
    EXPECT_EQ(loser.status().message(),
              "lead \"L1\" already claimed by rep \"" + winner + "\"");
    EXPECT_EQ(f.state->Get("ana").open + f.state->Get("ben").open, 1);
  }
}

TEST(OfferRule, ClaimChecksTheShortlistAndEligibilityNow) {
  Fixture f;
  Result<Assignment> routed = f.router.Route(German("L1"));
  ASSERT_TRUE(routed.ok());
  ASSERT_THAT(routed->offer->reps, ElementsAre("ana", "ben", "cy"));
  EXPECT_EQ(f.router.Claim("L1", "flo").status().message(),
            "rep \"flo\" is not on offer \"L1#1\"");
  EXPECT_EQ(f.router.Claim("L1", "zed").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(f.router.SetPresence("ana", Presence::kOffline).ok());
  EXPECT_EQ(f.router.Claim("L1", "ana").status().message(),
            "rep \"ana\" is not eligible now: offline");
  ASSERT_TRUE(f.router.Reconcile("cy", 1).ok());
  EXPECT_EQ(f.router.Claim("L1", "cy").status().message(),
            "rep \"cy\" is not eligible now: at_capacity");
  // Nothing changed: still pending, ben can take it.
  EXPECT_EQ(f.router.Pending().size(), 1u);
  EXPECT_TRUE(f.router.Claim("L1", "ben").ok());
  EXPECT_TRUE(f.router.Pending().empty());
}

TEST(OfferRule, ExpiredOfferIsPushedByItsRule) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(German("L1")).ok());
  ASSERT_TRUE(f.router.Reconcile("ana", 3).ok());
  EXPECT_TRUE(f.router.ExpireOffers(kStart + minutes(9)).empty());
  f.clock->Advance(minutes(10));
  EXPECT_EQ(f.router.Claim("L1", "ben").status().message(),
            "offer \"L1#1\" expired at 2026-01-05T10:10:00Z");
  std::vector<Assignment> pushed = f.router.ExpireOffers(f.clock->Now());
  ASSERT_EQ(pushed.size(), 1u);
  // A push of the whole rule: least_loaded over every eligible rep.
  EXPECT_EQ(pushed[0].owner.id, "ben");
  EXPECT_EQ(pushed[0].rule_id, "de");
  EXPECT_EQ(pushed[0].decided_by, "least_loaded");
  EXPECT_EQ(pushed[0].routed_at, kStart + minutes(10));
  EXPECT_TRUE(f.router.Pending().empty());
  EXPECT_EQ(f.router.Claim("L1", "ben").status().message(),
            "lead \"L1\" already claimed by rep \"ben\"");
  EXPECT_TRUE(f.router.ExpireOffers(f.clock->Now()).empty());
  EXPECT_THAT(f.events, ElementsAre("offered L1", "assigned L1 ben"));
}

TEST(OfferRule, ExpiredOfferGoesToTheFallbackWhenConfigured) {
  Fixture f;
  Result<Assignment> routed = f.router.Route(French("F1"));
  ASSERT_TRUE(routed.ok());
  EXPECT_THAT(routed->offer->reps, ElementsAre("dee"));
  std::vector<Assignment> expired = f.router.ExpireOffers(kStart + minutes(5));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].owner, Owner::Queue("triage"));
  EXPECT_TRUE(expired[0].fallback);
  EXPECT_EQ(expired[0].rule_id, "fr");
  EXPECT_EQ(f.router.Find("F1")->owner, Owner::Queue("triage"));
  EXPECT_THAT(f.events, ElementsAre("offered F1", "fallback F1 triage"));
}

TEST(OfferRule, EmptyShortlistActsAsAnEmptyCandidateSet) {
  Fixture f;
  ASSERT_TRUE(f.router.SetPresence("dee", Presence::kOffline).ok());
  // fr empties, on_empty next_rule: "rest" pushes to an available rep.
  Result<Assignment> routed = f.router.Route(French("F1"));
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(routed->rule_id, "rest");
  EXPECT_FALSE(routed->offer.has_value());
  EXPECT_EQ(routed->owner.id, "ana");
}

TEST(Pool, NextForRepPullsTheOldestItIsEligibleFor) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(PoolLead("P1", "FR")).ok());
  f.clock->Advance(seconds(1));
  Result<Assignment> p2 = f.router.Route(PoolLead("P2", "DE"));
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->decided_by, "pool");
  EXPECT_EQ(p2->offer->mode, Distribution::kPool);
  EXPECT_FALSE(p2->offer->expires_at.has_value());
  EXPECT_THAT(p2->offer->reps, ElementsAre("ana", "ben", "cy", "eve", "flo"));
  f.clock->Advance(seconds(1));
  ASSERT_TRUE(f.router.Route(PoolLead("P3", "DE")).ok());

  // ana covers DE only: P2 (older than P3), never P1.
  Result<Assignment> first = f.router.NextForRep("ana");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->lead_id, "P2");
  EXPECT_EQ(first->owner.id, "ana");
  EXPECT_EQ(first->decided_by, "pool");
  EXPECT_EQ(f.router.NextForRep("ana")->lead_id, "P3");
  EXPECT_EQ(f.router.NextForRep("ana").status().code(), StatusCode::kNotFound);
  // An offline rep pulls nothing; dee gets the FR lead.
  ASSERT_TRUE(f.router.SetPresence("dee", Presence::kOffline).ok());
  EXPECT_EQ(f.router.NextForRep("dee").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(f.router.SetPresence("dee", Presence::kAvailable).ok());
  EXPECT_EQ(f.router.NextForRep("dee")->lead_id, "P1");
  EXPECT_TRUE(f.router.Pending().empty());
  // Pool leads never expire.
  ASSERT_TRUE(f.router.Route(PoolLead("P4", "DE")).ok());
  EXPECT_TRUE(f.router.ExpireOffers(kStart + std::chrono::hours(1000)).empty());
  // Any eligible rep may claim a pool lead by id.
  EXPECT_EQ(f.router.Claim("P4", "flo")->owner.id, "flo");
}

TEST(Pending, ReleaseForgetsAPendingLead) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(German("L1")).ok());
  EXPECT_TRUE(f.router.Release("L1").ok());
  EXPECT_TRUE(f.router.Pending().empty());
  EXPECT_EQ(f.router.Claim("L1", "ana").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(f.router.Release("L1").code(), StatusCode::kNotFound);
  // Routed again: a new offer.
  Result<Assignment> again = f.router.Route(German("L1"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->repeated);
  EXPECT_EQ(again->offer->offer_id, "L1#2");
}

TEST(Pending, SavedStateRoundTrip) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(German("L1")).ok());
  ASSERT_TRUE(f.router.Route(PoolLead("P1", "DE")).ok());
  ASSERT_TRUE(f.router.Route(German("L2")).ok());
  ASSERT_TRUE(f.router.Claim("L2", "ana").ok());
  Result<std::string> saved = f.state->SaveSnapshot();
  ASSERT_TRUE(saved.ok());
  EXPECT_THAT(*saved, HasSubstr("\"pending\":[{\"lead_id\":\"L1\""));

  Fixture g;
  ASSERT_TRUE(g.state->LoadSnapshot(*saved).ok());
  std::vector<Assignment> before = f.router.Pending();
  std::vector<Assignment> after = g.router.Pending();
  ASSERT_EQ(after.size(), 2u);
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].lead_id, before[i].lead_id);
    EXPECT_EQ(after[i].offer, before[i].offer);
    EXPECT_EQ(after[i].rule_id, before[i].rule_id);
    EXPECT_EQ(after[i].decided_by, before[i].decided_by);
  }
  EXPECT_EQ(g.state->SaveSnapshot().value(), *saved);
  // The loaded offer works; new offer ids continue after the loaded ones.
  EXPECT_EQ(g.router.Claim("L1#1", "ben")->owner.id, "ben");
  EXPECT_EQ(g.router.Route(German("L3"))->offer->offer_id, "L3#3");
}

TEST(Pending, BadPendingEntryIsRejectedWithItsPath) {
  Fixture f;
  ASSERT_TRUE(f.router.Route(German("L1")).ok());
  std::string saved = f.state->SaveSnapshot().value();
  Fixture g;
  ASSERT_TRUE(g.router.Route(PoolLead("P9", "DE")).ok());
  const std::string before = g.state->SaveSnapshot().value();
  auto rejects = [&](std::string doc, const std::string& path) {
    Status loaded = g.state->LoadSnapshot(doc);
    ASSERT_FALSE(loaded.ok()) << path;
    ASSERT_FALSE(loaded.errors().empty());
    EXPECT_EQ(loaded.errors()[0].path, path) << loaded.message();
    EXPECT_EQ(g.state->SaveSnapshot().value(), before);  // untouched
  };
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string doc = saved;
    size_t at = doc.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? doc : doc.replace(at, from.size(), to);
  };
  rejects(replaced("\"mode\":\"offer\"", "\"mode\":\"push\""),
          "/pending/0/mode");
  rejects(replaced("\"reps\":[\"ana\"", "\"reps\":[7"), "/pending/0/reps/0");
  rejects(replaced("\"expires_at\":\"2026-01-05T10:10:00.000Z\"",
                   "\"expires_at\":null"),
          "/pending/0/expires_at");
  rejects(replaced("\"pending\":[", "\"pending\":[3,"), "/pending/0");
}

TEST(OfferConfig, ErrorsSayWhereAndWhat) {
  auto error = [](const std::string& rule) -> std::string {
    std::string json = R"({"reps": [{"id": "ana"}], "rules": [)" + rule +
                       R"(], "fallback": {"queue": "q"}})";
    Result<RuleSet> rules = RuleSet::FromJson(json);
    if (rules.ok() || rules.status().errors().empty()) return "loaded";
    const ConfigError& e = rules.status().errors()[0];
    return e.path + ": " + e.message;
  };
  EXPECT_THAT(error(R"({"id": "r", "offer": {"size": 2}})"),
              HasSubstr("/rules/0/offer: \"offer\" settings need \"mode\": "
                        "\"offer\""));
  EXPECT_THAT(error(R"({"id": "r", "mode": "offer", "offer": {"size": 0}})"),
              HasSubstr("/rules/0/offer/size: found 0, expected a shortlist "
                        "size from 1 to 100"));
  EXPECT_THAT(error(R"({"id": "r", "mode": "shark"})"),
              HasSubstr("/rules/0/mode: "));
  EXPECT_THAT(error(R"({"id": "r", "mode": "shark"})"),
              HasSubstr("\"push\", \"offer\", \"pool\""));
  EXPECT_THAT(
      error(R"({"id": "r", "mode": "offer", "offer": {"expires_after": 5}})"),
      HasSubstr("/rules/0/offer/expires_after: "));
  EXPECT_THAT(
      error(R"({"id": "r", "mode": "offer", "offer": {"on_expiry": "x"}})"),
      HasSubstr("/rules/0/offer/on_expiry: "));
  EXPECT_THAT(error(R"({"id": "r", "mode": "offer", "offer": {"sise": 2}})"),
              HasSubstr("/rules/0/offer/sise: "));
  EXPECT_EQ(error(R"({"id": "r", "mode": "pool"})"), "loaded");
}

TEST(OfferConfig, RoundTripsThroughJson) {
  RuleSet rules = RuleSet::FromJson(kRules).value();
  const Rule& de = rules.config().rules[1];
  EXPECT_EQ(de.mode, Distribution::kOffer);
  ASSERT_TRUE(de.offer.has_value());
  EXPECT_EQ(de.offer->size, 3);
  EXPECT_EQ(de.offer->expires_after, minutes(10));
  EXPECT_EQ(rules.config().rules[2].offer->on_expiry, OnExpiry::kFallback);
  EXPECT_EQ(rules.config().rules[0].mode, Distribution::kPool);
  RuleSet again =
      RuleSet::FromJson(internal::RuleSetConfigToJson(rules.config())).value();
  EXPECT_EQ(again.hash(), rules.hash());
  EXPECT_EQ(again.config().rules[1].offer, de.offer);
  EXPECT_EQ(again.config().rules[0].mode, Distribution::kPool);
  // The mode and the settings are part of the config hash.
  RuleSetConfig changed = rules.config();
  changed.rules[1].offer->size = 4;
  EXPECT_NE(RuleSet::Compile(changed).value().hash(), rules.hash());
}

TEST(OfferExplain, TraceShowsTheShortlist) {
  Fixture f;
  ASSERT_TRUE(f.router.Reconcile("ana", 1).ok());
  Result<Trace> trace = f.router.Explain(German("L1"));
  ASSERT_TRUE(trace.ok());
  ASSERT_TRUE(trace->offer.has_value());
  EXPECT_THAT(trace->offer->reps, ElementsAre("ben", "cy", "eve"));
  EXPECT_EQ(trace->decided_by, "offer");
  const std::string json = trace->ToJson();
  EXPECT_THAT(json, HasSubstr("\"shortlist\":[\"ben\",\"cy\",\"eve\"]"));
  EXPECT_THAT(json, HasSubstr("\"outcome\":\"offered\""));
  // A dry run keeps nothing.
  EXPECT_TRUE(f.router.Pending().empty());
}

}  // namespace
}  // namespace leadroute
