// Quickstart: build a RuleSet in code, route three leads, print the decisions.
#include <cstdio>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace lr = leadroute;
using lr::testing::MakeLead;
using lr::testing::MakeRep;

int main() {
  auto rules =
      lr::testing::RuleSetBuilder()
          .Rep(MakeRep("ana", {"emea"}).Territories({"DE", "AT", "CH"}))
          .Rep(MakeRep("ben", {"emea"}).Territories({"DE", "FR"}))
          .Rep(MakeRep("cleo", {"emea"}).Territories({"GB", "IE"}))
          .AutoTeams()
          .Rule({.id = "emea",
                 .when = lr::Condition::Eq("region", "EMEA"),
                 .pool = lr::Pool::Team("emea"),
                 .steps = {lr::steps::Territory(), lr::steps::RoundRobin()}})
          .FallbackQueue("unassigned")
          .Build();
  if (!rules.ok()) {
    std::fprintf(stderr, "%s\n", rules.status().ToString().c_str());
    return 1;
  }
  lr::Router router = lr::Router::Create(*rules).value();
  for (const lr::Lead& lead :
       {MakeLead("L-1", {{"region", "EMEA"}, {"country", "DE"}}),
        MakeLead("L-2", {{"region", "EMEA"}, {"country", "DE"}}),
        MakeLead("L-3", {{"region", "APAC"}, {"country", "JP"}})}) {
    lr::Assignment a = router.Route(lead).value();
    std::printf("%s -> %s (rule %s, decided by %s)\n", a.lead_id.c_str(),
                a.owner.id.c_str(), a.fallback ? "-" : a.rule_id.c_str(),
                a.decided_by.c_str());
  }
  return 0;
}
