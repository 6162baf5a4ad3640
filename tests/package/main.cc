// Routes one lead through a RuleSet built from JSON; exits 0 on success.
#include <cstdio>

#include "leadroute/leadroute.h"

int main() {
  auto rules = leadroute::RuleSet::FromJson(R"({
    "teams": [{"id": "emea"}],
    "reps": [{"id": "ana", "teams": ["emea"], "territories": ["DE"]}],
    "rules": [{"id": "emea", "pool": {"teams": ["emea"]},
               "steps": [{"strategy": "territory"}]}],
    "fallback": {"queue": "inbox"}
  })");
  if (!rules.ok()) {
    std::fprintf(stderr, "%s\n", rules.status().ToString().c_str());
    return 1;
  }
  auto router = leadroute::Router::Create(std::move(rules).value());
  auto decision = router->Route(leadroute::Lead("L1").Set("country", "DE"));
  if (!decision.ok() || decision->owner.id != "ana") return 1;
  std::printf("%s\n", decision->ToJson().c_str());
  return 0;
}
