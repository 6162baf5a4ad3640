#include <iostream>

#include "leadroute/leadroute.h"

int main() {
  auto rules = leadroute::RuleSet::FromFile("examples/data/rules.json");
  if (!rules.ok()) {
    std::cerr << rules.status().ToString() << "\n";
    return 1;
  }
  auto router = leadroute::Router::Create(*rules).value();
  auto lead = leadroute::Lead("L-1").Set("country", "DE").Set("employees", 120);
  std::cout << router.Route(lead).value().ToJson() << "\n";
}
