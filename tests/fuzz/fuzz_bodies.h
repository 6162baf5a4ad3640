// What each fuzz target does with one input, shared by the libFuzzer entry
// points (tests/fuzz/*_fuzz.cc, built with clang by tests/fuzz/CMakeLists.txt)
// and by the regression test that replays tests/fuzz/regressions/ in the
// normal suite. A body must never crash, hang or leak on any input; a
// successful load is exercised further (routing, lookups, round trips).
#ifndef LEADROUTE_TESTS_FUZZ_FUZZ_BODIES_H_
#define LEADROUTE_TESTS_FUZZ_FUZZ_BODIES_H_

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/leadroute.h"

namespace leadroute::fuzz {

// Aborts (a crash the fuzzer reports) when an invariant breaks.
inline void Require(bool ok) {
  if (!ok) std::abort();
}

inline Lead SampleLead(int n) {
  Lead lead("L" + std::to_string(n));
  lead.Set("country", n % 2 ? "DE" : "US")
      .Set("state", "CA")
      .Set("postal_code", "94105")
      .Set("industry", "software")
      .Set("products", std::vector<std::string>{"crm", "cpq"})
      .Set("language", "de")
      .Set("score", 40 + n)
      .Set("deal_value", 1000.5 * n)
      .Set("employees", 10 * n)
      .Set("email", "kim@labs.acme.de")
      .Set("account_id", "acme")
      .Set("requested_rep", "ana");
  return lead;
}

// RuleSet::FromJson; a loaded ruleset routes a few leads, each to exactly
// one owner.
inline void FuzzRuleSet(std::string_view input) {
  auto rules = RuleSet::FromJson(input);
  if (!rules.ok()) {
    Require(!rules.status().ToString().empty());
    return;
  }
  auto router = Router::Create(*rules);
  if (!router.ok()) return;
  for (int n = 0; n < 4; ++n) {
    auto a = router->Route(SampleLead(n));
    Require(a.ok() && !a->owner.id.empty());
  }
  Require(router->Release("L0").ok());
}

// Lead::FromJson; a parsed lead survives ToJson -> FromJson unchanged and
// routes through a ruleset that reads many fields.
inline void FuzzLead(std::string_view input) {
  auto lead = Lead::FromJson(input);
  if (!lead.ok()) return;
  auto again = Lead::FromJson(lead->ToJson());
  Require(again.ok());
  Require(again->id() == lead->id());
  static const char kRules[] = R"({
    "reps": [
      {"id": "ana", "email": "ana@example.com", "tier": "senior", "territories": ["DE", "US-CA", "US:94*"],
       "industries": ["software"], "products": ["crm"], "languages": ["de"],
       "attributes": {"skill": 3, "segment": ["smb"]}, "capacity": {"max_open": 1000000}},
      {"id": "ben", "tier": "junior", "territories": ["*"], "industries": ["*"]}
    ],
    "rules": [
      {"id": "c", "when": {"any": [{"field": "country", "in": ["DE", 1, true]}, {"field": "score", "between": [0, 50]},
        {"field": "email", "contains": "@"}, {"field": "company", "prefix": "a"}, {"field": "x", "exists": true},
        {"field": "products", "contains": "crm"}, {"field": "country", "not_in": ["FR"]}]},
       "steps": [{"strategy": "availability"}, {"strategy": "field_owner", "field": "requested_rep"},
                 {"strategy": "territory", "if_missing": "keep"}, {"strategy": "industry", "if_missing": "keep"},
                 {"strategy": "match", "attribute": "skill", "op": "gte", "field": "need", "if_missing": "keep"},
                 {"strategy": "score", "bands": [{"max": 50, "tiers": ["junior"]}, {"min": 50, "tiers": ["*"]}], "if_missing": "keep"},
                 {"strategy": "hierarchy"}, {"strategy": "least_loaded"}],
       "on_empty": "relax"},
      {"id": "r", "steps": [{"strategy": "random", "seed": 1}]}
    ],
    "fallback": {"queue": "triage"}
  })";
  static Router* router = [] {
    auto accounts = AccountDirectory::FromJson(
        R"({"accounts": [{"id": "acme", "domains": ["acme.de"], "owner": "ana"}]})");
    RouterOptions options;
    options.accounts = *accounts;
    return new Router(
        Router::Create(RuleSet::FromJson(kRules).value(), std::move(options))
            .value());
  }();
  if (lead->id().empty()) return;
  auto a = router->Route(*lead);
  Require(a.ok() && !a->owner.id.empty());
  Require(router->Release(lead->id()).ok());
}

// AccountDirectory::FromJson; lookups on a loaded directory terminate.
inline void FuzzAccounts(std::string_view input) {
  auto accounts = AccountDirectory::FromJson(input);
  if (!accounts.ok()) return;
  for (std::string_view probe :
       {"acme.com", "kim@eu.acme.com", "www.a.b.c.d", "", ".", "@", "x@"}) {
    for (const Account* a = accounts->FindByDomain(probe); a != nullptr;
         a = accounts->Parent(*a)) {
    }
  }
}

// StateStore::LoadSnapshot; a rejected document leaves the store empty, a
// loaded one saves and loads again to the same text, and its leads can be
// reassigned.
inline void FuzzState(std::string_view input) {
  auto store = std::shared_ptr<StateStore>(NewInMemoryStateStore());
  static const std::string kEmpty =
      NewInMemoryStateStore()->SaveSnapshot().value();
  Status loaded = store->LoadSnapshot(input);
  if (!loaded.ok()) {
    Require(!loaded.message().empty());
    Require(store->SaveSnapshot().value() == kEmpty);
    return;
  }
  auto saved = store->SaveSnapshot();
  Require(saved.ok());
  auto again = NewInMemoryStateStore();
  Require(again->LoadSnapshot(*saved).ok());
  Require(again->SaveSnapshot().value() == *saved);
  static const char kRules[] = R"({
    "reps": [{"id": "ana"}, {"id": "ben", "capacity": {"max_per_day": 3}}],
    "rules": [{"id": "r", "steps": [{"strategy": "round_robin"}]}],
    "fallback": {"queue": "inbox"}
  })";
  RouterOptions options;
  options.state = store;
  auto router = Router::Create(RuleSet::FromJson(kRules).value(), options);
  Require(router.ok());
  std::vector<std::string> ids;
  store->ForEachRecord([&](const LeadRecord& record) {
    if (ids.size() < 3) ids.push_back(record.decision.lead_id);
  });
  for (const std::string& id : ids) {
    auto a = router->Reassign(id, ChangeReason::kManual);
    Require(a.ok() || a.status().code() == StatusCode::kFailedPrecondition);
  }
  auto a = router->Route(SampleLead(1));
  Require(a.ok() && !a->owner.id.empty());
}

}  // namespace leadroute::fuzz

#endif  // LEADROUTE_TESTS_FUZZ_FUZZ_BODIES_H_
