// Router callbacks and hot reload: each callback runs once per committed
// change, after the commit and with no lock held (a callback may call back
// into the Router); a throwing callback is counted and routing goes on; a
// rejected reload reports every error and keeps the old RuleSet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "leadroute/router.h"
#include "leadroute/strategy.h"
#include "leadroute/testing.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kRules[] = R"({
  "reps": [{"id": "ana"}, {"id": "ben"}],
  "rules": [{"id": "de", "when": {"field": "country", "eq": "DE"},
             "steps": [{"strategy": "round_robin"}]}],
  "fallback": {"queue": "triage"}
})";
// Valid, with ben only.
constexpr char kOtherRules[] = R"({
  "reps": [{"id": "ana"}, {"id": "ben"}],
  "rules": [{"id": "de2", "when": {"field": "country", "eq": "DE"},
             "pool": {"reps": ["ben"]}}],
  "fallback": {"queue": "triage"}
})";
// Three errors.
constexpr char kBadRules[] = R"({
  "reps": [{"id": "ana", "weigth": 2}],
  "rules": [{"id": "de", "pool": {"reps": ["zed"]}}],
  "fallback": {"queue": "triage"},
  "setings": {}
})";

Lead German(const std::string& id) {
  Lead lead(id);
  lead.Set("country", "DE");
  return lead;
}

Router Make(RouterOptions options) {
  return std::move(Router::Create(RuleSet::FromJson(kRules).value(),
                                  std::move(options)))
      .value();
}

TEST(RouterCallbacks, CalledOncePerDecisionAndNotForARepeat) {
  std::vector<std::string> events;
  RouterOptions options;
  options.on_assigned = [&](const Assignment& a) {
    events.push_back("assigned " + a.lead_id + " " + a.owner.id);
  };
  options.on_fallback = [&](const Assignment& a) {
    events.push_back("fallback " + a.lead_id + " " + a.owner.id);
  };
  options.on_reassigned = [&](const Assignment& a) {
    events.push_back("reassigned " + a.lead_id + " " + a.owner.id);
  };
  Router router = Make(std::move(options));
  ASSERT_TRUE(router.Route(German("L1")).ok());
  ASSERT_TRUE(router.Route(German("L1")).ok());  // repeated: no callback
  ASSERT_TRUE(router.Route(Lead("L2")).ok());    // no rule: the fallback
  ASSERT_TRUE(router.Reassign("L1", ChangeReason::kDeclined).ok());
  ASSERT_TRUE(router.Transfer("L2", "ana").ok());
  // Only ben was left for L1 apart from ana: a reassignment to nobody else
  // goes to the fallback, reported by both callbacks.
  ASSERT_TRUE(router.Reassign("L1", ChangeReason::kSlaMissed).ok());
  EXPECT_THAT(events,
              ElementsAre("assigned L1 ana", "fallback L2 triage",
                          "reassigned L1 ben", "reassigned L2 ana",
                          "reassigned L1 triage", "fallback L1 triage"));
  EXPECT_EQ(router.callback_errors(), 0u);
}

TEST(RouterCallbacks, RunAfterTheCommitAndMayCallTheRouter) {
  Router* self = nullptr;
  std::vector<std::string> seen;
  RouterOptions options;
  options.on_assigned = [&](const Assignment& a) {
    // Find reads the store: this would deadlock if the store's lock were
    // held, and would miss the decision if it were not committed yet.
    std::optional<Assignment> found = self->Find(a.lead_id);
    seen.push_back(found ? found->owner.id : "missing");
    // Routing another lead from inside the callback works too.
    if (a.lead_id == "L1") seen.push_back(self->Route(German("L9"))->owner.id);
  };
  Router router = Make(std::move(options));
  self = &router;
  ASSERT_TRUE(router.Route(German("L1")).ok());
  // L1 went to ana; inside its callback L9 went to ben (whose own callback
  // ran first, nested).
  EXPECT_THAT(seen, ElementsAre("ana", "ben", "ben"));
}

TEST(RouterCallbacks, AThrowingCallbackIsCountedAndRoutingGoesOn) {
  RouterOptions options;
  options.on_assigned = [](const Assignment&) {
    throw std::runtime_error("host bug");
  };
  options.on_config_rejected = [](const Status&) { throw 42; };
  Router router = Make(std::move(options));
  for (int i = 0; i < 3; ++i) {
    Result<Assignment> a = router.Route(German("L" + std::to_string(i)));
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(router.Find(a->lead_id).has_value());
  }
  EXPECT_FALSE(router.Reload(kBadRules).ok());
  EXPECT_EQ(router.callback_errors(), 4u);
}

TEST(RouterReload, AValidConfigBecomesTheNextGeneration) {
  Router router = Make({});
  ASSERT_EQ(router.Route(German("L1"))->rule_id, "de");
  ASSERT_TRUE(router.Reload(kOtherRules).ok());
  EXPECT_EQ(router.generation(), 2u);
  Result<Assignment> a = router.Route(German("L2"));
  EXPECT_EQ(a->rule_id, "de2");
  EXPECT_EQ(a->generation, 2u);
  EXPECT_EQ(router.state().Get("ana").open, 1);  // state carried over
}

TEST(RouterReload, ARejectedConfigReportsEveryErrorAndKeepsTheOldOne) {
  std::vector<Status> rejected;
  RouterOptions options;
  options.on_config_rejected = [&](const Status& s) { rejected.push_back(s); };
  Router router = Make(std::move(options));
  std::string hash = router.rules().hash();
  Status status = router.Reload(kBadRules);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.errors().size(), 3u) << status.ToString();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].ToString(), status.ToString());
  EXPECT_EQ(router.generation(), 1u);
  EXPECT_EQ(router.rules().hash(), hash);
  EXPECT_EQ(router.Route(German("L1"))->rule_id, "de");
  EXPECT_FALSE(router.Reload("{not json").ok());
  EXPECT_EQ(rejected.size(), 2u);
}

TEST(RouterReload, KeepsTheHostStrategies) {
  // A host strategy registered once survives every reload through
  // RouterOptions::load.
  StrategyRegistry registry = StrategyRegistry::WithBuiltins();
  StepFunction only_ben = [](const LeadView&, CandidateSet& candidates,
                             StepContext& ctx) {
    RepIndex ben = ctx.roster().Find("ben");
    for (RepIndex r = 0; r < candidates.size(); ++r) {
      if (r != ben) candidates.reset(r);
    }
    return StepResult::Narrowed();
  };
  ASSERT_TRUE(registry
                  .Register("only_ben",
                            [only_ben](StrategyBuildContext&)
                                -> Result<std::unique_ptr<Strategy>> {
                              return MakeStrategy(
                                  "only_ben", StrategyKind::kFilter, only_ben);
                            })
                  .ok());
  RouterOptions options;
  options.load.strategies = &registry;
  Router router = Make(std::move(options));
  constexpr char kHostRules[] = R"({
    "reps": [{"id": "ana"}, {"id": "ben"}],
    "rules": [{"id": "r", "steps": [{"strategy": "only_ben"}]}],
    "fallback": {"queue": "q"}})";
  ASSERT_TRUE(router.Reload(kHostRules).ok());
  EXPECT_EQ(router.Route(Lead("L1"))->owner.id, "ben");
  EXPECT_EQ(router.Route(Lead("L2"))->owner.id, "ben");
}

TEST(RouterReload, FromAFile) {
  std::vector<Status> rejected;
  RouterOptions options;
  options.on_config_rejected = [&](const Status& s) { rejected.push_back(s); };
  Router router = Make(std::move(options));
  std::string path = ::testing::TempDir() + "sla_reload_rules.json";
  std::ofstream(path) << kOtherRules;
  ASSERT_TRUE(router.ReloadFile(path).ok());
  EXPECT_EQ(router.generation(), 2u);
  std::remove(path.c_str());
  Status missing = router.ReloadFile(path);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.ToString(), HasSubstr(path));
  EXPECT_EQ(rejected.size(), 1u);
  EXPECT_EQ(router.generation(), 2u);
}

}  // namespace
}  // namespace leadroute
