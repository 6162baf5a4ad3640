// `availability` option `when_nobody`: next_rule (default), fallback,
// relax_to_away.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using testing::MakeLead;
using testing::MakeRep;
using testing::RuleSetBuilder;

Router Make(const char* when_nobody) {
  std::string params =
      std::string(R"({"when_nobody": ")") + when_nobody + "\"}";
  RuleSet rules = RuleSetBuilder()
                      .Rep(MakeRep("ana"))
                      .Rep(MakeRep("ben"))
                      .Rule({.id = "first",
                             .pool = Pool::Reps({"ana"}),
                             .steps = {{"availability", params}}})
                      .Rule({.id = "second", .pool = Pool::Reps({"ben"})})
                      .FallbackQueue("inbox")
                      .Build()
                      .value();
  Router router = Router::Create(std::move(rules)).value();
  EXPECT_TRUE(router.SetPresence("ana", Presence::kAway).ok());
  return router;
}

TEST(WhenNobody, NextRuleIsTheDefault) {
  Router router = Make("next_rule");
  EXPECT_EQ(router.Route(MakeLead("1")).value().owner.id, "ben");
}

TEST(WhenNobody, FallbackEndsTheChain) {
  Router router = Make("fallback");
  Assignment a = router.Route(MakeLead("1")).value();
  EXPECT_TRUE(a.fallback);
  EXPECT_EQ(a.owner.id, "inbox");
  EXPECT_EQ(a.rule_id, "first");
}

TEST(WhenNobody, RelaxToAwayTakesAwayRepsWhenNobodyIsAvailable) {
  Router router = Make("relax_to_away");
  EXPECT_EQ(router.Route(MakeLead("1")).value().owner.id, "ana");
  ASSERT_TRUE(router.SetPresence("ana", Presence::kOffline).ok());
  EXPECT_EQ(router.Route(MakeLead("2")).value().owner.id, "ben");
}

TEST(WhenNobody, UnknownValueIsAnError) {
  RuleSetConfig config =
      RuleSetBuilder().Rep(MakeRep("ana")).FallbackQueue("q").config();
  config.rules.push_back(
      {.id = "r", .steps = {{"availability", R"({"when_nobody": "panic"})"}}});
  Result<RuleSet> bad = RuleSet::Compile(config);
  ASSERT_FALSE(bad.ok());
  ASSERT_FALSE(bad.status().errors().empty());
  EXPECT_EQ(bad.status().errors()[0].path, "/rules/0/steps/0/when_nobody");
}

}  // namespace
}  // namespace leadroute
