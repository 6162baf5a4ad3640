// The rule contract, DESIGN.md §3: one test (or more) per numbered line.
#include "leadroute/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using testing::MakeLead;
using testing::MakeRep;
using testing::RuleSetBuilder;

// Host strategies that record the order they ran in, for §3.4.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> calls;
  void Add(std::string s) {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back(std::move(s));
  }
};

// A registry with the built-ins plus test strategies:
//   keep_only {"rep": id}  filter keeping one rep
//   drop_all               filter emptying the candidates
//   name {"rep": id}       resolver naming a rep (or passing when "")
StrategyRegistry TestRegistry(Recorder* recorder) {
  StrategyRegistry registry = StrategyRegistry::WithBuiltins();
  (void)registry.Register(
      "keep_only",
      [recorder](
          StrategyBuildContext& ctx) -> Result<std::unique_ptr<Strategy>> {
        std::string id = ctx.params()
                             .String("rep", StepParams::Need::kRequired)
                             .value_or("");
        RepIndex keep = ctx.roster().Find(id);
        std::string path = ctx.path();
        return MakeStrategy(
            "keep_only", StrategyKind::kFilter,
            [keep, recorder, path](const LeadView&, CandidateSet& c,
                                   StepContext&) {
              recorder->Add(path);
              bool had = keep != kNoRep && c.test(keep);
              c.Clear();
              if (had) c.set(keep);
              return StepResult::Narrowed();
            });
      });
  (void)registry.Register(
      "drop_all",
      [recorder](
          StrategyBuildContext& ctx) -> Result<std::unique_ptr<Strategy>> {
        std::string path = ctx.path();
        return MakeStrategy(
            "drop_all", StrategyKind::kFilter,
            [recorder, path](const LeadView&, CandidateSet& c, StepContext&) {
              recorder->Add(path);
              c.Clear();
              return StepResult::Narrowed();
            });
      });
  (void)registry.Register(
      "name",
      [recorder](
          StrategyBuildContext& ctx) -> Result<std::unique_ptr<Strategy>> {
        RepIndex rep =
            ctx.roster().Find(ctx.params().String("rep").value_or(""));
        std::string path = ctx.path();
        return MakeStrategy(
            "name", StrategyKind::kResolver,
            [rep, recorder, path](const LeadView&, CandidateSet& c,
                                  StepContext&) {
              recorder->Add(path);
              if (rep == kNoRep || !c.test(rep)) {
                return StepResult::Passed();
              }
              return StepResult::Resolved(rep);
            });
      });
  return registry;
}

Step KeepOnly(const std::string& rep) {
  return {"keep_only", R"({"rep":")" + rep + R"("})"};
}
Step DropAll() { return {"drop_all", "{}"}; }
Step Name(const std::string& rep) {
  return {"name", R"({"rep":")" + rep + R"("})"};
}

class RouterContract : public ::testing::Test {
 protected:
  RouterContract() : registry_(TestRegistry(&recorder_)) {
    builder_.Team("a").Team("b");
    builder_.Rep(MakeRep("a1", {"a"}))
        .Rep(MakeRep("a2", {"a"}))
        .Rep(MakeRep("b1", {"b"}))
        .Rep(MakeRep("b2", {"b"}))
        .Rep(MakeRep("gone", {"a", "b"}).Inactive())
        .FallbackQueue("inbox");
  }

  Router Make() {
    auto rules = builder_.Build({.strategies = &registry_});
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    auto router = Router::Create(std::move(rules).value());
    EXPECT_TRUE(router.ok());
    return std::move(router).value();
  }

  Recorder recorder_;
  StrategyRegistry registry_;
  RuleSetBuilder builder_;
};

// §3.1 Rules are tried in order; the first rule that yields an owner wins.
TEST_F(RouterContract, FirstMatchingRuleWins) {
  builder_.Rule({.id = "to_a", .pool = Pool::Team("a")})
      .Rule({.id = "to_b", .pool = Pool::Team("b")});
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->rule_id, "to_a");
  EXPECT_THAT(a->owner.id, ::testing::AnyOf("a1", "a2"));
}

TEST_F(RouterContract, RuleThatYieldsNobodyLetsTheNextRuleDecide) {
  builder_.Rule({.id = "empty", .pool = Pool::Team("a"), .steps = {DropAll()}})
      .Rule({.id = "to_b", .pool = Pool::Team("b")});
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->rule_id, "to_b");
  EXPECT_FALSE(a->fallback);
}

// §3.2 A rule applies when its `when` holds (no `when` = always); missing
// fields make a test false, never an error.
TEST_F(RouterContract, RuleAppliesOnlyWhenItsConditionHolds) {
  builder_
      .Rule({.id = "de",
             .when = Condition::Eq("country", "DE"),
             .pool = Pool::Team("a")})
      .Rule({.id = "rest", .pool = Pool::Team("b")});
  Router router = Make();
  EXPECT_EQ(router.Route(MakeLead("L1", {{"country", "de"}}))->rule_id, "de");
  EXPECT_EQ(router.Route(MakeLead("L2", {{"country", "FR"}}))->rule_id, "rest");
  // Missing field and wrong type: the test is false, routing goes on.
  EXPECT_EQ(router.Route(MakeLead("L3"))->rule_id, "rest");
  EXPECT_EQ(router.Route(MakeLead("L4", {{"country", 49}}))->rule_id, "rest");
}

// §3.3 `pool` starts the candidates: a team, a list of reps, or every
// active rep; inactive reps are never candidates.
TEST_F(RouterContract, PoolIsATeamAListOfRepsOrEveryActiveRep) {
  builder_
      .Rule({.id = "reps",
             .when = Condition::Eq("k", "reps"),
             .pool = Pool::Reps({"b2", "gone"})})
      .Rule({.id = "team",
             .when = Condition::Eq("k", "team"),
             .pool = Pool::Team("b")})
      .Rule({.id = "all", .when = Condition::Eq("k", "all")});
  Router router = Make();
  for (int i = 0; i < 6; ++i) {
    auto a = router.Route(MakeLead("r" + std::to_string(i), {{"k", "reps"}}));
    EXPECT_EQ(a->owner.id, "b2");
  }
  std::set<std::string> team, all;
  for (int i = 0; i < 8; ++i) {
    team.insert(
        router.Route(MakeLead("t" + std::to_string(i), {{"k", "team"}}))
            ->owner.id);
    all.insert(router.Route(MakeLead("a" + std::to_string(i), {{"k", "all"}}))
                   ->owner.id);
  }
  EXPECT_EQ(team, (std::set<std::string>{"b1", "b2"}));
  EXPECT_EQ(all, (std::set<std::string>{"a1", "a2", "b1", "b2"}));
}

// §3.4 Steps run in order; a resolver may name an owner or pass; a picker
// claims one rep and ends the rule.
TEST_F(RouterContract, StepsRunInOrderAndAResolverEndsTheRule) {
  builder_.Rule({.id = "r",
                 .pool = Pool::Team("a"),
                 .steps = {Name(""), KeepOnly("a2"), Name("a2"), DropAll()}});
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  EXPECT_EQ(a->owner.id, "a2");
  EXPECT_EQ(a->decided_by, "name");
  EXPECT_THAT(
      recorder_.calls,
      ElementsAre("/rules/0/steps/0", "/rules/0/steps/1", "/rules/0/steps/2"));
}

TEST_F(RouterContract, AResolverNamingAnIneligibleRepPasses) {
  builder_.Rule({.id = "r",
                 .pool = Pool::Team("a"),
                 .steps = {Name("b1"), KeepOnly("a1")}});
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  EXPECT_EQ(a->owner.id, "a1");
  EXPECT_EQ(a->decided_by, "round_robin");
}

TEST_F(RouterContract, APickerEndsTheRule) {
  builder_.Rule({.id = "r",
                 .pool = Pool::Team("a"),
                 .steps = {KeepOnly("a2"), steps::RoundRobin()}});
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  EXPECT_EQ(a->owner.id, "a2");
  EXPECT_EQ(a->decided_by, "round_robin");
}

TEST_F(RouterContract, AStepAfterAPickerIsRejectedAtLoad) {
  builder_.Rule({.id = "r", .steps = {steps::RoundRobin(), DropAll()}});
  auto rules = builder_.Build({.strategies = &registry_});
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/rules/0/steps/1");
}

// §3.5 When candidates become empty, `on_empty` decides.
TEST_F(RouterContract, OnEmptyNextRuleTriesTheNextRule) {
  builder_
      .Rule({.id = "r1",
             .pool = Pool::Team("a"),
             .steps = {DropAll()},
             .on_empty = OnEmpty::kNextRule})
      .Rule({.id = "r2", .pool = Pool::Team("b")});
  EXPECT_EQ(Make().Route(MakeLead("L1"))->rule_id, "r2");
}

TEST_F(RouterContract, OnEmptyFallbackGoesStraightToTheFallback) {
  builder_
      .Rule({.id = "r1",
             .pool = Pool::Team("a"),
             .steps = {DropAll()},
             .on_empty = OnEmpty::kFallback})
      .Rule({.id = "r2", .pool = Pool::Team("b")});
  auto a = Make().Route(MakeLead("L1"));
  EXPECT_TRUE(a->fallback);
  EXPECT_EQ(a->owner, Owner::Queue("inbox"));
  EXPECT_EQ(a->rule_id, "r1");
  EXPECT_EQ(a->decided_by, "fallback");
}

TEST_F(RouterContract, OnEmptyRelaxUndoesTheLatestFilterFirst) {
  // keep a1, then keep a2 (empty): relaxing the latest filter leaves a1.
  builder_.Rule({.id = "r",
                 .pool = Pool::Team("a"),
                 .steps = {KeepOnly("a1"), KeepOnly("a2")},
                 .on_empty = OnEmpty::kRelax});
  auto a = Make().Route(MakeLead("L1"));
  EXPECT_EQ(a->owner.id, "a1");
  EXPECT_EQ(a->rule_id, "r");
}

TEST_F(RouterContract, OnEmptyRelaxUndoesOneFilterAtATime) {
  // b1 is outside the pool, so undoing the latest filter is not enough;
  // undoing the one before leaves the whole pool narrowed by keep a2.
  builder_.Rule({.id = "r",
                 .pool = Pool::Team("a"),
                 .steps = {KeepOnly("a2"), KeepOnly("b1"), KeepOnly("a1")},
                 .on_empty = OnEmpty::kRelax});
  auto a = Make().Route(MakeLead("L1"));
  EXPECT_EQ(a->owner.id, "a2");
}

TEST_F(RouterContract, OnEmptyRelaxNeverRelaxesAvailability) {
  builder_
      .Rule({.id = "r",
             .pool = Pool::Team("a"),
             .steps = {KeepOnly("a1"), steps::Availability()},
             .on_empty = OnEmpty::kRelax})
      .Rule({.id = "next", .pool = Pool::Team("b")});
  Router router = Make();
  ASSERT_TRUE(router.SetPresence("a1", Presence::kOffline).ok());
  // Relaxing keep_only brings a2 back; availability still applies.
  EXPECT_EQ(router.Route(MakeLead("L1"))->owner.id, "a2");
  ASSERT_TRUE(router.SetPresence("a2", Presence::kOffline).ok());
  // Nobody available in team a: the rule gives up (next rule).
  auto a = router.Route(MakeLead("L2"));
  EXPECT_EQ(a->rule_id, "next");
}

TEST_F(RouterContract, RelaxIsRetriedWhenThePickerFindsEveryoneAtCapacity) {
  builder_ = RuleSetBuilder();
  builder_.Team("a")
      .Rep(MakeRep("a1", {"a"}).MaxOpen(1))
      .Rep(MakeRep("a2", {"a"}))
      .Rule({.id = "r",
             .pool = Pool::Team("a"),
             .steps = {KeepOnly("a1"), steps::RoundRobin()},
             .on_empty = OnEmpty::kRelax})
      .FallbackQueue("inbox");
  Router router = Make();
  EXPECT_EQ(router.Route(MakeLead("L1"))->owner.id, "a1");
  EXPECT_EQ(router.Route(MakeLead("L2"))->owner.id, "a2");
}

// §3.6 No rule yields an owner: the fallback gets the lead; a RuleSet
// without a fallback is rejected; every lead with an id gets one owner.
TEST_F(RouterContract, FallbackTakesWhatNoRuleYields) {
  builder_.Rule({.id = "de",
                 .when = Condition::Eq("country", "DE"),
                 .pool = Pool::Team("a")});
  auto a = Make().Route(MakeLead("L1", {{"country", "US"}}));
  EXPECT_TRUE(a->fallback);
  EXPECT_EQ(a->owner, Owner::Queue("inbox"));
  EXPECT_EQ(a->rule_id, "");
}

TEST_F(RouterContract, FallbackMayBeARepAndCountsOnItsLoad) {
  builder_.FallbackRep("b1");
  Router router = Make();
  auto a = router.Route(MakeLead("L1"));
  EXPECT_EQ(a->owner, Owner::Rep("b1"));
  EXPECT_EQ(a->owner.kind, OwnerKind::kRep);
  EXPECT_EQ(router.state().Get("b1").open, 1);
}

TEST_F(RouterContract, RuleSetWithoutFallbackIsRejected) {
  RuleSetConfig config = builder_.config();
  config.fallback.reset();
  auto rules = RuleSet::Compile(config);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/fallback");
}

TEST_F(RouterContract, LeadWithoutIdIsAnErrorNotAnOwner) {
  auto a = Make().Route(Lead());
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RouterContract, EveryLeadGetsExactlyOneOwnerWhenAllRepsAreAtCapacity) {
  builder_ = RuleSetBuilder();
  builder_.Team("a")
      .Rep(MakeRep("a1", {"a"}).MaxOpen(1))
      .Rule({.id = "r", .pool = Pool::Team("a")})
      .FallbackQueue("overflow");
  Router router = Make();
  EXPECT_EQ(router.Route(MakeLead("L1"))->owner.id, "a1");
  auto second = router.Route(MakeLead("L2"));
  EXPECT_EQ(second->owner, Owner::Queue("overflow"));
  EXPECT_TRUE(second->fallback);
  EXPECT_EQ(router.state().Get("a1").open, 1);
}

// §3.7 The same lead id routed again returns the first answer and counts
// once, until released.
TEST_F(RouterContract, RetryReturnsTheFirstDecisionAndCountsOnce) {
  builder_.Rule({.id = "r", .pool = Pool::Team("a")});
  Router router = Make();
  auto first = router.Route(MakeLead("L1"));
  auto again = router.Route(MakeLead("L1"));
  EXPECT_EQ(again->owner, first->owner);
  EXPECT_FALSE(first->repeated);
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(router.state().Get(first->owner.id).open, 1);
  // Released: routing the id again is a new decision (the rotation moves).
  ASSERT_TRUE(router.Release("L1").ok());
  EXPECT_EQ(router.state().Get(first->owner.id).open, 0);
  auto after = router.Route(MakeLead("L1"));
  EXPECT_FALSE(after->repeated);
  EXPECT_NE(after->owner, first->owner);
}

TEST_F(RouterContract, RetriedFallbackIsRecordedToo) {
  Router router = Make();  // no rules: everything falls back
  EXPECT_FALSE(router.Route(MakeLead("L1"))->repeated);
  EXPECT_TRUE(router.Route(MakeLead("L1"))->repeated);
}

TEST_F(RouterContract, ConcurrentRetriesOfOneLeadDecideOnce) {
  builder_.Rule({.id = "r", .pool = Pool::Team("a")});
  Router router = Make();
  std::vector<std::thread> threads;
  std::vector<std::string> owners(8);
  std::atomic<int> fresh{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto a = router.Route(MakeLead("same"));
      owners[t] = a->owner.id;
      if (!a->repeated) fresh.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 1);
  for (const auto& o : owners) EXPECT_EQ(o, owners[0]);
  EXPECT_EQ(router.state().Get("a1").open + router.state().Get("a2").open, 1);
}

TEST_F(RouterContract, ReleaseOfAnUnknownLeadIsNotFound) {
  EXPECT_EQ(Make().Release("nope").code(), StatusCode::kNotFound);
}

// Hot swap: a new RuleSet takes over; state keyed by rep id carries over.
TEST_F(RouterContract, UpdateSwapsRulesAndKeepsLoads) {
  builder_.Rule({.id = "r", .pool = Pool::Team("a")});
  Router router = Make();
  auto first = router.Route(MakeLead("L1"));
  EXPECT_EQ(router.generation(), 1u);
  EXPECT_EQ(first->generation, 1u);

  RuleSetBuilder next;
  next.Team("a")
      .Rep(MakeRep("new", {"a"}))
      .Rep(MakeRep("a2", {"a"}))
      .Rep(MakeRep("a1", {"a"}))
      .Rule({.id = "r2", .pool = Pool::Team("a")})
      .FallbackQueue("inbox");
  ASSERT_TRUE(router.Update(next.Build().value()).ok());
  EXPECT_EQ(router.generation(), 2u);
  EXPECT_EQ(router.state().Get(first->owner.id).open, 1);
  auto second = router.Route(MakeLead("L2"));
  EXPECT_EQ(second->rule_id, "r2");
  EXPECT_EQ(second->generation, 2u);
}

TEST_F(RouterContract, RejectedConfigLeavesTheActiveRuleSetInPlace) {
  builder_.Rule({.id = "r", .pool = Pool::Team("a")});
  Router router = Make();
  std::string hash = router.rules().hash();
  auto bad = RuleSet::FromJson(R"({"reps": [{"id": "x", "weigth": 2}]})");
  ASSERT_FALSE(bad.ok());
  // A failed load yields no RuleSet, so the router cannot be given one.
  EXPECT_EQ(router.rules().hash(), hash);
  EXPECT_EQ(router.Route(MakeLead("L1"))->rule_id, "r");
}

TEST_F(RouterContract, SetPresenceOfAnUnknownRepIsNotFound) {
  EXPECT_EQ(Make().SetPresence("nobody", Presence::kAway).code(),
            StatusCode::kNotFound);
}

TEST_F(RouterContract, HostCallbackLoggingIsSilentByDefaultAndOptIn) {
  builder_.Rule({.id = "r", .pool = Pool::Team("a")});
  std::vector<std::string> lines;
  auto router =
      Router::Create(builder_.Build({.strategies = &registry_}).value(),
                     {.log_level = LogLevel::kInfo,
                      .log_sink = [&](LogLevel, std::string_view m) {
                        lines.emplace_back(m);
                      }});
  ASSERT_TRUE(router.ok());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], ::testing::HasSubstr("router created"));
}

TEST(RuleSetHash, EqualConfigsHashEqualAndChangesShow) {
  auto make = [](int max_open) {
    return RuleSetBuilder()
        .Team("a")
        .Rep(MakeRep("a1", {"a"}).MaxOpen(max_open))
        .FallbackQueue("q")
        .Build()
        .value();
  };
  EXPECT_EQ(make(3).hash(), make(3).hash());
  EXPECT_NE(make(3).hash(), make(4).hash());
  EXPECT_EQ(make(3).hash().size(), 16u);
}

TEST(RuleSetCompile, DuplicateEmailsAreRejected) {
  auto rules = RuleSetBuilder()
                   .Rep(MakeRep("a").Email("Sam@Example.com"))
                   .Rep(MakeRep("b").Email("sam@example.com"))
                   .FallbackQueue("q")
                   .Build();
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/reps/1/email");
}

TEST(RuleSetCompile, InCodeErrorsCarryTheSamePathsAsJson) {
  RuleSetConfig config;
  config.teams = {{"a", "A"}, {"a", "again"}};
  config.reps = {MakeRep("r1", {"a", "nope"}), MakeRep("r1").Weight(0),
                 MakeRep("r3").TimeZone("Mars/Olympus")};
  config.reps[0].capacity.max_open = -1;
  config.rules = {Rule{.id = "x", .pool = Pool::Reps({"r1", "ghost"})},
                  Rule{.id = "x",
                       .pool = Pool::Team("nope"),
                       .steps = {Step{"teleport", "{}"}}}};
  config.fallback = Owner::Rep("ghost");
  auto rules = RuleSet::Compile(config);
  ASSERT_FALSE(rules.ok());
  std::vector<std::string> paths;
  for (const auto& e : rules.status().errors()) paths.push_back(e.path);
  EXPECT_THAT(paths,
              ::testing::UnorderedElementsAre(
                  "/teams/1/id", "/reps/0/teams/1", "/reps/0/capacity/max_open",
                  "/reps/1/id", "/reps/1/weight", "/reps/2/time_zone",
                  "/fallback/rep", "/rules/0/pool/reps/1", "/rules/1/id",
                  "/rules/1/pool/teams/0", "/rules/1/steps/0/strategy"));
}

}  // namespace
}  // namespace leadroute
