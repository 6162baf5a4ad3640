// Hybrid distribution: each lead is offered to a pool of 3 reps (ranked by
// the rule's picker); the first rep to claim it owns it, a second claim is
// told who won, and an offer nobody claims in time is pushed by the rule.
// docs/cookbook/offer-and-pool.md explains every call.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace lr = leadroute;

namespace {

constexpr char kRules[] = R"({
  "reps": [{"id": "ana"}, {"id": "ben"}, {"id": "cy"}, {"id": "dee"}],
  "rules": [{
    "id": "inbound",
    "mode": "offer",
    "offer": {"size": 3, "expires_after": "15m", "on_expiry": "push"},
    "steps": [{"strategy": "availability"}, {"strategy": "least_loaded"}]
  }],
  "fallback": {"queue": "triage"}
})";

std::string Join(const std::vector<std::string>& reps) {
  std::string out;
  for (const std::string& rep : reps) out += (out.empty() ? "" : ", ") + rep;
  return out;
}

void TryClaim(lr::Router& router, const std::string& offer,
              const std::string& rep) {
  lr::Result<lr::Assignment> claimed = router.Claim(offer, rep);
  if (claimed.ok()) {
    std::printf("  %s claims %s: owns it\n", rep.c_str(), offer.c_str());
  } else {
    std::printf("  %s claims %s: rejected (%s)\n", rep.c_str(), offer.c_str(),
                std::string(claimed.status().message()).c_str());
  }
}

}  // namespace

int main() {
  // A fake clock so that the expiry below happens without waiting.
  auto clock = std::make_shared<lr::testing::FakeClock>(
      *lr::ParseInstant("2026-01-05T09:00:00Z"));
  lr::RouterOptions options;
  options.clock = clock;
  options.on_offered = [](const lr::Assignment& a) {
    std::printf("offered %s to [%s] until %s\n", a.lead_id.c_str(),
                Join(a.offer->reps).c_str(),
                lr::FormatInstant(*a.offer->expires_at).c_str());
  };
  options.on_assigned = [](const lr::Assignment& a) {
    std::printf("  -> %s owned by %s (%s)\n", a.lead_id.c_str(),
                a.owner.id.c_str(), a.decided_by.c_str());
  };
  lr::Result<lr::RuleSet> rules = lr::RuleSet::FromJson(kRules);
  if (!rules.ok()) {
    std::fprintf(stderr, "%s\n", rules.status().ToString().c_str());
    return 1;
  }
  lr::Router router = lr::Router::Create(*rules, options).value();

  // Push three leads to a pool of 3 each.
  std::vector<lr::Assignment> offers;
  for (const char* id : {"L-1", "L-2", "L-3"}) {
    offers.push_back(router.Route(lr::Lead(id)).value());
  }
  // Reps respond: the first claim wins, the second is rejected.
  TryClaim(router, offers[0].offer->offer_id, offers[0].offer->reps[1]);
  TryClaim(router, offers[0].offer->offer_id, offers[0].offer->reps[0]);
  // A rep who was not offered the lead cannot take it.
  TryClaim(router, offers[1].offer->offer_id, "dee");
  TryClaim(router, offers[1].offer->offer_id, offers[1].offer->reps[2]);
  // Nobody answers L-3: 15 minutes later the host's timer expires it and
  // the rule pushes it to the least loaded rep.
  clock->Advance(std::chrono::minutes(15));
  for (const lr::Assignment& pushed : router.ExpireOffers(clock->Now())) {
    std::printf("expired %s: pushed to %s\n", pushed.lead_id.c_str(),
                pushed.owner.id.c_str());
  }
  std::printf("still pending: %zu\n", router.Pending().size());
  return 0;
}
