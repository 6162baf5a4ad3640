// Offer and pool differential test: random valid RuleSets mixing push, offer
// and pool rules, and random operation streams (routes, retries, claims by
// shortlisted and other reps, pulls, presence changes, releases, a fake
// clock advanced and ExpireOffers), run by leadroute::Router and by the
// reference router (tests/reference/reference_offer.cc). After every
// operation the results, the pending leads (oldest first) and every rep's
// load must agree.
//
// Size: LEADROUTE_OFFER_DIFF_CONFIGS (default 200) x LEADROUTE_OFFER_DIFF_OPS
// (default 300). Replay one failing config with
// LEADROUTE_OFFER_DIFF_SEED=<config seed> (and the same _OPS).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "reference/reference_router.h"
#include "testing/rng.h"
#include "testing/seeds.h"

namespace leadroute {
namespace {

using Json = nlohmann::json;
using testing::Rng;

const std::vector<std::string> kCountries = {"DE", "US", "FR", "JP"};
const std::vector<std::string> kTerritories = {"DE", "US", "FR", "*"};

Step MakeStep(const std::string& strategy, const Json& params) {
  return Step{strategy, params.dump()};
}

Step RandomFilter(Rng& rng) {
  if (rng.Chance(50)) {
    Json p = Json::object();
    if (rng.Chance(30)) p["if_missing"] = rng.Chance(50) ? "keep" : "no_match";
    return MakeStep("territory", p);
  }
  Json p = Json::object();
  if (rng.Chance(30)) {
    static const std::vector<std::string> names = {"available", "away",
                                                   "offline"};
    auto presence = rng.Sample(names, 50);
    if (presence.empty()) presence.push_back("available");
    p["presence"] = presence;
  }
  if (rng.Chance(20)) p["capacity"] = false;
  return MakeStep("availability", p);
}

RuleSetConfig RandomConfig(Rng& rng) {
  RuleSetConfig c;
  int teams = 1 + rng.Below(2);
  for (int t = 0; t < teams; ++t)
    c.teams.push_back({"t" + std::to_string(t), ""});
  int reps = 2 + rng.Below(5);
  for (int r = 0; r < reps; ++r) {
    Rep rep;
    rep.id = "r" + std::to_string(r);
    for (const auto& t : c.teams) {
      if (rng.Chance(60)) rep.teams.push_back(t.id);
    }
    static const std::vector<double> weights = {1, 2, 0.5};
    rep.weight = rng.Pick(weights);
    rep.territories = rng.Sample(kTerritories, 35);
    if (rng.Chance(50)) rep.capacity.max_open = 1 + rng.Below(4);
    rep.active = rng.Chance(90);
    c.reps.push_back(std::move(rep));
  }
  int rules = 1 + rng.Below(4);
  for (int i = 0; i < rules; ++i) {
    Rule rule;
    rule.id = "rule" + std::to_string(i);
    switch (rng.Below(3)) {
      case 0:
        rule.when = Condition::Eq("country", Value(rng.Pick(kCountries)));
        break;
      case 1:
        rule.when = Condition::Gte("score", rng.Below(100));
        break;
      default:
        break;  // always
    }
    switch (rng.Below(3)) {
      case 0:
        for (const auto& t : c.teams) {
          if (rng.Chance(60)) rule.pool.teams.push_back(t.id);
        }
        break;
      case 1:
        for (const auto& r : c.reps) {
          if (rng.Chance(50)) rule.pool.reps.push_back(r.id);
        }
        break;
      default:
        break;  // every active rep
    }
    int filters = rng.Below(3);
    for (int f = 0; f < filters; ++f) rule.steps.push_back(RandomFilter(rng));
    if (rng.Chance(15)) {
      auto at = rule.steps.begin() + rng.Below(int(rule.steps.size()) + 1);
      rule.steps.insert(at,
                        MakeStep("field_owner", {{"field", "requested_rep"}}));
    }
    switch (rng.Below(5)) {
      case 0:
        rule.steps.push_back(MakeStep("round_robin", Json::object()));
        break;
      case 1:
        rule.steps.push_back(MakeStep("round_robin", {{"weighted", true}}));
        break;
      case 2:
        rule.steps.push_back(MakeStep("least_loaded", Json::object()));
        break;
      case 3:
        rule.steps.push_back(MakeStep("least_loaded", {{"relative", true}}));
        break;
      default:
        break;  // the implicit round robin
    }
    static const std::vector<OnEmpty> on_empty = {
        OnEmpty::kNextRule, OnEmpty::kFallback, OnEmpty::kRelax};
    rule.on_empty = rng.Pick(on_empty);
    if (rng.Chance(30)) rule.rotation = "shared";
    int mode = rng.Below(10);
    rule.mode = mode < 3   ? Distribution::kPush
                : mode < 7 ? Distribution::kOffer
                           : Distribution::kPool;
    if (rule.mode == Distribution::kOffer && rng.Chance(70)) {
      OfferSettings o;
      o.size = 1 + rng.Below(4);
      o.expires_after = std::chrono::minutes(1 + rng.Below(30));
      o.on_expiry = rng.Chance(50) ? OnExpiry::kPush : OnExpiry::kFallback;
      rule.offer = o;
    }
    c.rules.push_back(std::move(rule));
  }
  c.fallback = Owner::Queue("triage");
  if (rng.Chance(30)) {
    for (const auto& r : c.reps) {
      if (r.active) c.fallback = Owner::Rep(r.id);
    }
  }
  return c;
}

Lead RandomLead(Rng& rng, const RuleSetConfig& c, const std::string& id) {
  Lead lead(id);
  if (rng.Chance(80)) lead.Set("country", rng.Pick(kCountries));
  if (rng.Chance(60)) lead.Set("score", rng.Below(100));
  if (rng.Chance(25)) {
    lead.Set("requested_rep",
             rng.Chance(80) ? rng.Pick(c.reps).id : std::string("ghost"));
  }
  return lead;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return "[" + out + "]";
}

std::string Describe(const Assignment& a) {
  std::ostringstream out;
  if (a.offer) {
    out << "pending";
  } else {
    out << OwnerKindName(a.owner.kind) << ":" << a.owner.id;
  }
  out << " rule=" << a.rule_id << " by=" << a.decided_by
      << (a.fallback ? " fallback" : "") << (a.repeated ? " repeated" : "");
  if (a.offer) out << " reps=" << Join(a.offer->reps);
  return out.str();
}

std::string Describe(const reference::Decision& d) {
  std::ostringstream out;
  if (d.pending) {
    out << "pending";
  } else {
    out << OwnerKindName(d.owner.kind) << ":" << d.owner.id;
  }
  out << " rule=" << d.rule_id << " by=" << d.decided_by
      << (d.fallback ? " fallback" : "") << (d.repeated ? " repeated" : "");
  if (d.pending) out << " reps=" << Join(d.shortlist);
  return out.str();
}

// A claim or pull: the decision, or the error with the part of the message
// the docs fix ("is not on offer", "is not eligible now: offline", ...).
std::string Describe(const Result<Assignment>& r) {
  if (r.ok()) return Describe(*r);
  return std::string(StatusCodeName(r.status().code())) + ": " +
         std::string(r.status().message());
}

bool Agree(const Result<Assignment>& lib,
           const reference::ReferenceRouter::ClaimResult& ref) {
  if (lib.ok() != ref.decision.has_value()) return false;
  if (lib.ok()) return Describe(*lib) == Describe(*ref.decision);
  if (lib.status().code() != ref.code) return false;
  std::string want = ref.why;
  if (want == "not on offer" || want.rfind("not eligible", 0) == 0) {
    want = "is " + want;
  } else if (want == "expired") {
    want = "expired at";
  } else if (want.rfind("already", 0) != 0) {
    return true;  // the docs do not spell out these messages
  }
  return lib.status().message().find(want) != std::string::npos;
}

std::string Describe(const reference::ReferenceRouter::ClaimResult& r) {
  if (r.decision) return Describe(*r.decision);
  return std::string(StatusCodeName(r.code)) + ": " + r.why;
}

std::string ConfigDump(const RuleSetConfig& c, Router& router,
                       const reference::ReferenceRouter& model,
                       const std::map<std::string, Presence>& presence) {
  std::ostringstream out;
  for (const auto& rule : c.rules) {
    out << "  rule " << rule.id << " mode=" << DistributionName(rule.mode);
    if (rule.offer) {
      out << " offer(size=" << rule.offer->size
          << " expires=" << rule.offer->expires_after.count()
          << "s on_expiry=" << OnExpiryName(rule.offer->on_expiry) << ")";
    }
    out << " on_empty=" << OnEmptyName(rule.on_empty)
        << " rotation=" << rule.rotation << " pool=" << Join(rule.pool.teams)
        << Join(rule.pool.reps) << " steps=";
    for (const auto& st : rule.steps) out << st.strategy << st.params << " ";
    out << "\n";
  }
  for (const auto& rep : c.reps) {
    auto p = presence.find(rep.id);
    out << "  rep " << rep.id << (rep.active ? "" : " INACTIVE")
        << " teams=" << Join(rep.teams) << " terr=" << Join(rep.territories)
        << " weight=" << rep.weight;
    if (rep.capacity.max_open) out << " max_open=" << *rep.capacity.max_open;
    out << " open=" << router.state().Get(rep.id).open << "/"
        << model.Open(rep.id) << " presence="
        << PresenceName(p == presence.end() ? Presence::kAvailable : p->second)
        << "\n";
  }
  out << "  fallback " << c.fallback->id << "\n";
  return out.str();
}

// How often each kind of result came up, so that a generator that stopped
// reaching a path (say, no claim ever succeeds) fails the test.
using Tally = std::map<std::string, int>;

// The kind of a result: "ok" or the reference's reason without its code.
std::string Kind(const reference::ReferenceRouter::ClaimResult& r) {
  if (r.decision) return "ok";
  return r.why.substr(0, r.why.find(':'));
}

// Runs one config; returns "" or the first mismatch.
std::string RunOne(uint64_t seed, int ops, Tally& tally) {
  Rng rng(seed);
  RuleSetConfig config = RandomConfig(rng);
  auto rules = RuleSet::Compile(config);
  if (!rules.ok()) return "config rejected: " + rules.status().ToString();
  auto clock = std::make_shared<testing::FakeClock>(
      *ParseInstant("2026-01-05T10:00:00Z"));
  RouterOptions options;
  options.clock = clock;
  Router router =
      Router::Create(std::move(rules).value(), std::move(options)).value();
  reference::ReferenceRouter model(config, {});
  model.SetOfferClock(clock->Now());
  std::vector<std::string> ids;
  std::map<std::string, Presence> presence;
  std::ostringstream log;  // the operations so far, for the report
  int next_id = 0;
  for (int n = 0; n < ops; ++n) {
    auto where = [&] {
      return "\n  config seed " + std::to_string(seed) + ", op " +
             std::to_string(n) + "\n" +
             ConfigDump(config, router, model, presence) + "  ops:\n" +
             log.str();
    };
    std::string mismatch;
    const int op = rng.Below(100);
    if (op < 35) {
      std::string id = "L" + std::to_string(next_id++);
      if (!ids.empty() && rng.Chance(8)) id = rng.Pick(ids);  // a retry
      Lead lead = RandomLead(rng, config, id);
      log << "    route " << lead.ToJson() << "\n";
      auto got = router.Route(lead);
      if (!got.ok())
        return "Route failed: " + got.status().ToString() + where();
      reference::Decision d = model.Route(lead);
      std::string a = Describe(*got), b = Describe(d);
      ++tally["route " + (d.pending ? d.decided_by : "push")];
      if (a != b) mismatch = "route: leadroute " + a + ", reference " + b;
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    } else if (op < 55) {
      // A claim: mostly a pending lead and a rep of its shortlist; also
      // other reps, decided or unknown leads and an unknown rep.
      std::vector<Assignment> pending = router.Pending();
      std::string target = ids.empty() ? "nobody" : rng.Pick(ids);
      std::string lib_target = target;
      std::string rep = rng.Pick(config.reps).id;
      if (!pending.empty() && rng.Chance(80)) {
        const Assignment& p = rng.Pick(pending);
        target = p.lead_id;
        lib_target = rng.Chance(50) ? p.offer->offer_id : p.lead_id;
        if (!p.offer->reps.empty() && rng.Chance(60)) {
          rep = rng.Pick(p.offer->reps);
        }
      }
      if (rng.Chance(5)) rep = "ghost";
      log << "    claim " << lib_target << " by " << rep << "\n";
      auto got = router.Claim(lib_target, rep);
      auto want = model.ClaimOffer(target, rep);
      ++tally["claim " + Kind(want)];
      if (!Agree(got, want)) {
        mismatch = "claim " + lib_target + " by " + rep + ": leadroute " +
                   Describe(got) + ", reference " + Describe(want);
      }
    } else if (op < 65) {
      std::string rep =
          rng.Chance(5) ? std::string("ghost") : rng.Pick(config.reps).id;
      log << "    next for " << rep << "\n";
      std::vector<std::string> before = model.Pending();
      auto got = router.NextForRep(rep);
      auto want = model.NextForRep(rep);
      // The lead the reference pulled: the one that left its pending list.
      std::vector<std::string> after = model.Pending();
      std::string pulled;
      for (const auto& id : before) {
        if (std::find(after.begin(), after.end(), id) == after.end()) {
          pulled = id;
        }
      }
      std::string lib_pulled = got.ok() ? got->lead_id : "";
      ++tally["pull " + Kind(want)];
      if (!Agree(got, want) || lib_pulled != pulled) {
        mismatch = "next for " + rep + ": leadroute " + lib_pulled + " " +
                   Describe(got) + ", reference " + pulled + " " +
                   Describe(want);
      }
    } else if (op < 73) {
      const Rep& rep = rng.Pick(config.reps);
      auto p = static_cast<Presence>(rng.Below(3));
      log << "    presence " << rep.id << " " << PresenceName(p) << "\n";
      if (!router.SetPresence(rep.id, p).ok())
        return "SetPresence failed" + where();
      model.SetPresence(rep.id, p);
      presence[rep.id] = p;
    } else if (op < 80) {
      if (ids.empty()) continue;
      const std::string& gone = rng.Pick(ids);
      log << "    release " << gone << "\n";
      bool lib = router.Release(gone).ok();
      bool ref = model.Release(gone);
      if (lib != ref) mismatch = "release " + gone + " disagrees";
    } else if (op < 92) {
      auto by = std::chrono::seconds(rng.Below(10 * 60));
      clock->Advance(by);
      model.SetOfferClock(clock->Now());
      log << "    advance " << by.count() << "s\n";
    } else {
      log << "    expire at " << FormatInstant(clock->Now()) << "\n";
      std::vector<Assignment> got = router.ExpireOffers(clock->Now());
      auto want = model.ExpireOffers(clock->Now());
      std::string a, b;
      for (const auto& d : got) a += " " + d.lead_id + ":" + Describe(d) + ";";
      for (const auto& [id, d] : want) {
        b += " " + id + ":" + Describe(d) + ";";
        ++tally[d.fallback ? "expire fallback" : "expire push"];
      }
      if (a != b) mismatch = "expire: leadroute" + a + "\n  reference" + b;
    }
    if (mismatch.empty()) {
      std::vector<std::string> lib;
      for (const auto& p : router.Pending()) lib.push_back(p.lead_id);
      std::vector<std::string> ref = model.Pending();
      if (lib != ref) {
        mismatch =
            "pending: leadroute " + Join(lib) + ", reference " + Join(ref);
      }
    }
    for (const auto& rep : config.reps) {
      if (!mismatch.empty()) break;
      int lib = router.state().Get(rep.id).open;
      int ref = model.Open(rep.id);
      if (lib != ref) {
        mismatch = "load of " + rep.id + ": leadroute " + std::to_string(lib) +
                   ", reference " + std::to_string(ref);
      }
    }
    if (!mismatch.empty()) return mismatch + where();
  }
  return "";
}

TEST(OfferDifferential, RouterAgreesWithReference) {
  using testing::EnvInt;
  const int ops = EnvInt("LEADROUTE_OFFER_DIFF_OPS", 300);
  const std::vector<uint64_t> seeds = testing::SeedsFromEnv(
      "LEADROUTE_OFFER_DIFF_SEED", EnvInt("LEADROUTE_OFFER_DIFF_CONFIGS", 200));
  int failures = 0;
  Tally tally;
  for (uint64_t seed : seeds) {
    std::string mismatch = RunOne(seed, ops, tally);
    if (!mismatch.empty()) {
      ADD_FAILURE() << mismatch
                    << "\nreplay: LEADROUTE_OFFER_DIFF_SEED=" << seed
                    << " LEADROUTE_OFFER_DIFF_OPS=" << ops
                    << " build/verify/tests/leadroute_tests "
                       "--gtest_filter=OfferDifferential.*";
      if (++failures >= 5) return;
    }
  }
  if (seeds.size() >= 100 && ops >= 100) {
    for (const char* kind :
         {"route push", "route offer", "route pool", "claim ok",
          "claim already claimed", "claim already went to",
          "claim unknown lead", "claim unknown rep", "claim expired",
          "claim not on offer", "claim not eligible now", "pull ok",
          "pull none", "expire push", "expire fallback"}) {
      EXPECT_GT(tally[kind], 0) << kind << " never happened";
    }
  }
  for (const auto& [kind, count] : tally) RecordProperty(kind, count);
  RecordProperty("configs", int(seeds.size()));
  RecordProperty("ops_per_config", ops);
}

}  // namespace
}  // namespace leadroute
