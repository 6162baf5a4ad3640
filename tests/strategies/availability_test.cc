#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "leadroute/rule_set.h"
#include "leadroute/steps.h"
#include "leadroute/testing.h"
#include "testing/builders.h"
#include "testing/strategy_harness.h"

namespace leadroute {
namespace {

using ::leadroute::testing::CompileErrors;
using ::leadroute::testing::MakeHarness;
using ::leadroute::testing::MakeLead;
using ::leadroute::testing::MakeRep;
using ::leadroute::testing::OneStepConfig;
using ::leadroute::testing::Paths;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> ErrorPaths(Step step) {
  return Paths(CompileErrors(OneStepConfig({MakeRep("ana")}, std::move(step))));
}

// ana holds at most 2 open leads, bob is uncapped, cat may hold none, dan is
// inactive.
std::vector<Rep> Reps() {
  return {MakeRep("ana").MaxOpen(2), MakeRep("bob"), MakeRep("cat").MaxOpen(0),
          MakeRep("dan").Inactive()};
}

TEST(AvailabilityStrategy, KeepsOnlyAvailableRepsByDefault) {
  auto harness = MakeHarness(Reps(), steps::Availability());
  harness.context().SetPresence("bob", Presence::kAway);
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), ElementsAre("ana"));
  harness.context().SetPresence("ana", Presence::kOffline);
  EXPECT_THAT(harness.Apply(MakeLead("L2")).ids(), IsEmpty());
}

TEST(AvailabilityStrategy, PresenceListAllowsAway) {
  steps::AvailabilityOptions options;
  options.presence = {Presence::kAvailable, Presence::kAway};
  auto harness = MakeHarness(Reps(), steps::Availability(options));
  harness.context().SetPresence("ana", Presence::kAway);
  harness.context().SetPresence("bob", Presence::kOffline);
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), ElementsAre("ana"));
}

TEST(AvailabilityStrategy, SkipsRepsAtCapacity) {
  auto harness = MakeHarness(Reps(), steps::Availability());
  harness.context().SetOpen("ana", 1);
  harness.context().SetOpen("bob", 1000);
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), ElementsAre("ana", "bob"));
  harness.context().SetOpen("ana", 2);
  EXPECT_THAT(harness.Apply(MakeLead("L2")).ids(), ElementsAre("bob"));
}

TEST(AvailabilityStrategy, CapacityFalseIgnoresMaxOpen) {
  steps::AvailabilityOptions options;
  options.capacity = false;
  auto harness = MakeHarness(Reps(), steps::Availability(options));
  harness.context().SetOpen("ana", 5);
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(),
              ElementsAre("ana", "bob", "cat"));
}

TEST(AvailabilityStrategy, DropsInactiveRepsDefensively) {
  auto harness =
      MakeHarness(Reps(), Step{"availability", R"({"capacity":false})"});
  EXPECT_THAT(harness.Apply(MakeLead("L1"), 0, 0, harness.Everyone()).ids(),
              ElementsAre("ana", "bob", "cat"));
}

TEST(AvailabilityStrategy, NarrowsOnlyTheCurrentCandidates) {
  auto harness = MakeHarness(Reps(), steps::Availability());
  EXPECT_THAT(
      harness.Apply(MakeLead("L1"), 0, 0, harness.Only({"bob", "cat"})).ids(),
      ElementsAre("bob"));
}

TEST(AvailabilityStrategy, EmptyCandidatesStayEmpty) {
  auto harness = MakeHarness(Reps(), steps::Availability());
  CandidateSet none(harness.roster().size());
  EXPECT_THAT(harness.Apply(MakeLead("L1"), 0, 0, none).ids(), IsEmpty());
}

TEST(AvailabilityStrategy, AllInactivePoolStaysEmpty) {
  auto harness =
      MakeHarness({MakeRep("ana").Inactive(), MakeRep("bob").Inactive()},
                  steps::Availability());
  EXPECT_THAT(harness.Apply(MakeLead("L1")).ids(), IsEmpty());
}

TEST(AvailabilityStrategy, IsNotRelaxable) {
  auto harness = MakeHarness(Reps(), steps::Availability());
  EXPECT_EQ(harness.strategy().Name(), "availability");
  EXPECT_EQ(harness.strategy().Kind(), StrategyKind::kFilter);
  EXPECT_FALSE(harness.strategy().Relaxable());
}

TEST(AvailabilityStrategy, UnknownPresenceIsAnErrorAtItsIndex) {
  EXPECT_THAT(
      ErrorPaths(Step{"availability", R"({"presence":["available","busy"]})"}),
      ElementsAre("/rules/0/steps/0/presence/1"));
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"presence":["Away"]})"}),
              ElementsAre("/rules/0/steps/0/presence/0"));
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"presence":[1]})"}),
              ElementsAre("/rules/0/steps/0/presence/0"));
}

TEST(AvailabilityStrategy, BadParametersAreErrors) {
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"presence":[]})"}),
              ElementsAre("/rules/0/steps/0/presence"));
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"presence":"away"})"}),
              ElementsAre("/rules/0/steps/0/presence"));
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"capacity":"yes"})"}),
              ElementsAre("/rules/0/steps/0/capacity"));
  EXPECT_THAT(ErrorPaths(Step{"availability", R"({"capacty":false})"}),
              ElementsAre("/rules/0/steps/0/capacty"));
}

}  // namespace
}  // namespace leadroute
