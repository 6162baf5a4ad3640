// Differential test: random valid RuleSets and random lead streams (with
// presence changes, releases and retries), routed by leadroute::Router and
// by the reference router (tests/reference/reference_router.h); every
// decision and every rep's load must agree.
//
// Size: LEADROUTE_DIFF_CONFIGS (default 500) x LEADROUTE_DIFF_LEADS (default
// 1000). `make soak` runs 2,000 x 5,000. Replay one failing config with
// LEADROUTE_DIFF_SEED=<config seed> (and the same LEADROUTE_DIFF_LEADS).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "reference/reference_router.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

using Json = nlohmann::json;

using testing::Rng;

const std::vector<std::string> kCountries = {"DE", "US", "FR",
                                             "de", "us", "JP"};
const std::vector<std::string> kStates = {"CA", "NY", "ca", "BY"};
const std::vector<std::string> kPostals = {"94105", "94110",  "90001",
                                           "10115", "9 4105", "12345"};
const std::vector<std::string> kTerritories = {
    "DE",    "US",     "FR",      "us",       "US-CA", "US-NY", "DE-BY",
    "US:9*", "US:94*", "US:941*", "us:94105", "DE:1*", "*"};
const std::vector<std::string> kIndustries = {"saas", "retail", "bank", "SaaS"};
const std::vector<std::string> kProducts = {"crm", "cpq", "cms"};
const std::vector<std::string> kLanguages = {"en", "de", "fr"};
const std::vector<std::string> kTiers = {"junior", "senior", "principal"};
const std::vector<std::string> kSegments = {"smb", "mid", "ent"};
const std::vector<std::string> kSources = {"web", "event", "partner", "WEB"};

struct Scenario {
  RuleSetConfig config;
  std::vector<Account> accounts;
};

Value RandomScalar(Rng& rng, const std::vector<std::string>& strings) {
  switch (rng.Below(6)) {
    case 0:
      return Value(rng.Below(100));
    case 1:
      return Value(rng.Below(200) / 2.0);
    case 2:
      return Value(rng.Chance(50));
    default:
      return Value(rng.Pick(strings));
  }
}

// Fields a condition may test, with values to compare against.
const std::vector<std::string> kCondFields = {
    "country",  "source",  "score",       "employees", "products",
    "industry", "company", "postal_code", "flag",      "nothing"};

const std::vector<std::string>& StringsFor(const std::string& field) {
  static const std::vector<std::string> kCompanies = {"acme", "univ", "ac"};
  if (field == "country") return kCountries;
  if (field == "products") return kProducts;
  if (field == "industry") return kIndustries;
  if (field == "company") return kCompanies;
  if (field == "postal_code") return kPostals;
  return kSources;
}

Condition RandomCondition(Rng& rng, int depth) {
  int kind = rng.Below(depth > 0 ? 16 : 12);
  if (kind >= 12) {
    std::vector<Condition> children;
    int count = kind == 14 ? 1 : rng.Below(3);
    for (int i = 0; i < count; ++i)
      children.push_back(RandomCondition(rng, depth - 1));
    if (kind == 12) return Condition::All(std::move(children));
    if (kind == 13) return Condition::Any(std::move(children));
    if (kind == 14) return Condition::Not(std::move(children[0]));
    return Condition::Any(std::move(children));
  }
  std::string field = rng.Pick(kCondFields);
  const auto& strings = StringsFor(field);
  double a = rng.Below(100);
  switch (kind) {
    case 0:
      return Condition::Eq(field, RandomScalar(rng, strings));
    case 1:
      return Condition::Ne(field, RandomScalar(rng, strings));
    case 2:
    case 3: {
      std::vector<Value> vs;
      int count = 1 + rng.Below(3);
      for (int i = 0; i < count; ++i) vs.push_back(RandomScalar(rng, strings));
      return kind == 2 ? Condition::In(field, vs) : Condition::NotIn(field, vs);
    }
    case 4:
      return Condition::Gt(field, a);
    case 5:
      return Condition::Gte(field, a);
    case 6:
      return Condition::Lt(field, a);
    case 7:
      return Condition::Lte(field, a);
    case 8:
      return Condition::Between(field, a, a + rng.Below(50));
    case 9:
      return Condition::Exists(field, rng.Chance(50));
    case 10: {
      std::string s = rng.Pick(strings);
      return Condition::Prefix(
          field, s.substr(0, 1 + size_t(rng.Below(int(s.size())))));
    }
    default:
      return Condition::Contains(field, rng.Pick(strings));
  }
}

Json BandsJson(Rng& rng) {
  // Ascending, non-overlapping bands; outer ends sometimes open, gaps allowed.
  Json bands = Json::array();
  int count = 1 + rng.Below(3);
  double at = rng.Below(30);
  for (int i = 0; i < count; ++i) {
    Json band;
    if (i > 0 || rng.Chance(60)) band["min"] = at;
    at += 10 + rng.Below(40);
    if (i + 1 < count || rng.Chance(60)) band["max"] = at;
    if (rng.Chance(30)) at += rng.Below(10);  // a gap
    auto tiers = rng.Sample(kTiers, 50);
    if (tiers.empty() || rng.Chance(10)) tiers.push_back("*");
    band["tiers"] = tiers;
    bands.push_back(band);
  }
  return bands;
}

Step MakeStep(const std::string& strategy, Json params) {
  return Step{strategy, params.dump()};
}

const char* IfMissing(Rng& rng) { return rng.Chance(50) ? "keep" : "no_match"; }

Step RandomFilterOrResolver(Rng& rng) {
  switch (rng.Below(15)) {
    case 13:
    case 14: {
      Json p = {{"attribute", "level"},
                {"field", "level"},
                {"if_missing", IfMissing(rng)}};
      if (rng.Chance(50)) p["op"] = "eq";
      return MakeStep("match", p);
    }
    case 0: {
      Json p = Json::object();
      if (rng.Chance(40)) p["if_missing"] = IfMissing(rng);
      return MakeStep("territory", p);
    }
    case 1:
      return MakeStep("industry", {{"if_missing", IfMissing(rng)}});
    case 2:
      return MakeStep("product", {{"if_missing", IfMissing(rng)}});
    case 3:
      return MakeStep("language", Json::object());
    case 4:
      return MakeStep("match", {{"attribute", "segment"},
                                {"field", "segment"},
                                {"if_missing", IfMissing(rng)}});
    case 5: {
      static const std::vector<std::string> ops = {"gt", "gte", "lt", "lte"};
      Json p = {{"attribute", "skill"}, {"op", rng.Pick(ops)}};
      if (rng.Chance(50)) {
        p["value"] = rng.Below(6);
      } else {
        p["field"] = "need";
        p["if_missing"] = IfMissing(rng);
      }
      return MakeStep("match", p);
    }
    case 6:
      return MakeStep("match", {{"attribute", "tier"},
                                {"op", "eq"},
                                {"field", "wanted_tier"},
                                {"if_missing", IfMissing(rng)}});
    case 7: {
      static const std::vector<std::string> names = {"score", "deal_value",
                                                     "bands"};
      std::string name = rng.Pick(names);
      Json p = {{"bands", BandsJson(rng)}, {"if_missing", IfMissing(rng)}};
      if (name == "bands") p["field"] = "employees";
      return MakeStep(name, p);
    }
    case 8:
    case 9: {
      Json p = Json::object();
      if (rng.Chance(40)) {
        static const std::vector<std::string> names = {"available", "away",
                                                       "offline"};
        auto presence = rng.Sample(names, 50);
        if (presence.empty()) presence.push_back("available");
        p["presence"] = presence;
      }
      if (rng.Chance(30)) p["capacity"] = rng.Chance(50);
      return MakeStep("availability", p);
    }
    case 10:
      return MakeStep("field_owner", {{"field", "requested_rep"}});
    default: {
      Json p = Json::object();
      if (rng.Chance(50)) p["walk"] = rng.Chance(50) ? "nearest" : "ultimate";
      if (rng.Chance(40)) {
        static const std::vector<std::string> methods = {"account_id", "domain",
                                                         "email"};
        auto m = rng.Sample(methods, 60);
        if (m.empty()) m.push_back("email");
        if (rng.Chance(50)) std::reverse(m.begin(), m.end());
        p["match"] = m;
      }
      return MakeStep("hierarchy", p);
    }
  }
}

Scenario RandomScenario(Rng& rng) {
  Scenario s;
  RuleSetConfig& c = s.config;
  int teams = 1 + rng.Below(3);
  for (int t = 0; t < teams; ++t)
    c.teams.push_back({"t" + std::to_string(t), ""});
  int reps = 2 + rng.Below(11);
  const int level_kinds = rng.Below(6);  // 0: mixed; else one kind for all
  for (int r = 0; r < reps; ++r) {
    Rep rep;
    rep.id = "r" + std::to_string(r);
    if (rng.Chance(50)) rep.email = "R" + std::to_string(r) + "@x.io";
    for (const auto& t : c.teams) {
      if (rng.Chance(45)) rep.teams.push_back(t.id);
    }
    if (rng.Chance(80)) rep.tier = rng.Chance(5) ? "*" : rng.Pick(kTiers);
    static const std::vector<double> weights = {1, 1, 2, 3, 0.5, 1.5};
    rep.weight = rng.Pick(weights);
    rep.territories = rng.Sample(kTerritories, 20);
    rep.industries = rng.Chance(10) ? std::vector<std::string>{"*"}
                                    : rng.Sample(kIndustries, 40);
    rep.products = rng.Sample(kProducts, 50);
    rep.languages = rng.Sample(kLanguages, 50);
    if (rng.Chance(70)) {
      if (rng.Chance(50)) {
        rep.attributes["segment"] = rng.Pick(kSegments);
      } else {
        rep.attributes["segment"] = rng.Sample(kSegments, 50);
      }
    }
    if (rng.Chance(70)) rep.attributes["skill"] = rng.Below(6);
    // "level" mixes kinds: text, numbers, booleans, "*" and lists.
    switch (level_kinds == 0 ? rng.Below(6) : level_kinds) {
      case 0:
        rep.attributes["level"] = rng.Chance(50) ? "a" : "B";
        break;
      case 1:
        rep.attributes["level"] = 1 + rng.Below(3);
        break;
      case 2:
        rep.attributes["level"] = rng.Chance(50);
        break;
      case 3:
        rep.attributes["level"] = "*";
        break;
      case 4:
        rep.attributes["level"] = std::vector<std::string>{"a", "b"};
        break;
      default:
        break;
    }
    if (rng.Chance(40)) rep.capacity.max_open = rng.Below(5);
    rep.active = !rng.Chance(10);
    c.reps.push_back(rep);
  }
  // Accounts: a few trees; owners are reps, unknown ids or nobody.
  int accounts = rng.Below(7);
  for (int a = 0; a < accounts; ++a) {
    Account account;
    account.id = "a" + std::to_string(a);
    if (rng.Chance(80))
      account.domains.push_back("a" + std::to_string(a) + ".com");
    if (a > 0 && rng.Chance(60))
      account.parent = "a" + std::to_string(rng.Below(a));
    if (rng.Chance(70)) {
      account.owner = rng.Chance(90) ? rng.Pick(c.reps).id : "ghost";
    }
    s.accounts.push_back(account);
  }

  c.settings.seed = rng.Chance(50) ? 0 : static_cast<uint64_t>(rng.Below(1000));
  int rules = 1 + rng.Below(6);
  for (int i = 0; i < rules; ++i) {
    Rule rule;
    rule.id = "rule" + std::to_string(i);
    if (rng.Chance(70)) rule.when = RandomCondition(rng, 2);
    if (rng.Chance(30)) {
      rule.pool.teams.push_back(rng.Pick(c.teams).id);
    }
    if (rng.Chance(30)) {
      for (const auto& rep : c.reps) {
        if (rng.Chance(30)) rule.pool.reps.push_back(rep.id);
      }
    }
    int filters = rng.Below(5);
    for (int k = 0; k < filters; ++k)
      rule.steps.push_back(RandomFilterOrResolver(rng));
    // One picker kind per rotation: plain round robin and least_loaded read
    // the "least recently assigned" state (random draws from the rotation's
    // generator and only writes it); weighted round robin its counters.
    bool weighted = false;
    switch (rng.Below(7)) {
      case 4:
        // docs/config.md#random: a step seed, else settings.seed mixed
        // with the step's path.
        rule.steps.push_back(
            MakeStep("random", rng.Chance(50) ? Json{{"seed", rng.Below(100)}}
                                              : Json::object()));
        break;
      case 0:
        rule.steps.push_back(MakeStep("round_robin", Json::object()));
        break;
      case 1:
        rule.steps.push_back(MakeStep("round_robin", {{"weighted", true}}));
        weighted = true;
        break;
      case 2:
        rule.steps.push_back(MakeStep("least_loaded", Json::object()));
        break;
      case 3:
        rule.steps.push_back(MakeStep("least_loaded", {{"relative", true}}));
        break;
      default:
        break;  // implicit round robin
    }
    if (rng.Chance(40)) rule.rotation = weighted ? "weighted" : "shared";
    static const std::vector<OnEmpty> on_empty = {
        OnEmpty::kNextRule, OnEmpty::kFallback, OnEmpty::kRelax,
        OnEmpty::kRelax};
    rule.on_empty = rng.Chance(50) ? OnEmpty::kNextRule : rng.Pick(on_empty);
    c.rules.push_back(rule);
  }
  std::vector<std::string> active;
  for (const auto& rep : c.reps) {
    if (rep.active) active.push_back(rep.id);
  }
  if (!active.empty() && rng.Chance(50)) {
    c.fallback = Owner::Rep(rng.Pick(active));
  } else {
    c.fallback = Owner::Queue("triage");
  }
  return s;
}

Lead RandomLead(Rng& rng, const Scenario& s, const std::string& id) {
  Lead lead(id);
  if (rng.Chance(85)) lead.Set("country", rng.Pick(kCountries));
  if (rng.Chance(50)) lead.Set("state", rng.Pick(kStates));
  if (rng.Chance(50)) lead.Set("postal_code", rng.Pick(kPostals));
  if (rng.Chance(5)) lead.Set("postal_code", 94105);
  if (rng.Chance(70)) lead.Set("industry", rng.Pick(kIndustries));
  if (rng.Chance(5)) lead.Set("industry", 42);
  if (rng.Chance(60)) lead.Set("products", rng.Sample(kProducts, 40));
  if (rng.Chance(60)) lead.Set("language", rng.Pick(kLanguages));
  if (rng.Chance(60)) lead.Set("segment", rng.Pick(kSegments));
  if (rng.Chance(50)) lead.Set("need", rng.Below(6));
  if (rng.Chance(5)) lead.Set("need", "3");
  if (rng.Chance(50)) lead.Set("wanted_tier", rng.Pick(kTiers));
  switch (rng.Below(8)) {
    case 0:
      lead.Set("level", "A");
      break;
    case 1:
      lead.Set("level", "b");
      break;
    case 2:
      lead.Set("level", 1 + rng.Below(3));
      break;
    case 3:
      lead.Set("level", 2.0);
      break;
    case 4:
      lead.Set("level", rng.Chance(50));
      break;
    case 5:
      lead.Set("level", std::vector<std::string>{"x", "a"});
      break;
    case 6:
      lead.Set("level", std::vector<std::string>{});
      break;
    default:
      break;
  }
  switch (rng.Below(5)) {
    case 0:
      lead.Set("score", rng.Below(120));
      break;
    case 1:
      lead.Set("score", rng.Below(240) / 2.0);
      break;
    case 2:
      lead.Set("score", nullptr);
      break;
    case 3:
      lead.Set("score", "50");
      break;
    default:
      break;
  }
  if (rng.Chance(60)) lead.Set("deal_value", rng.Below(150));
  if (rng.Chance(60)) lead.Set("employees", rng.Below(150));
  if (rng.Chance(60)) lead.Set("source", rng.Pick(kSources));
  if (rng.Chance(30))
    lead.Set("company", rng.Chance(50) ? "Acme Univ" : "Mailchimp");
  if (rng.Chance(30)) lead.Set("flag", rng.Chance(50));
  if (rng.Chance(30)) {
    const Rep& rep = rng.Pick(s.config.reps);
    switch (rng.Below(4)) {
      case 0:
        lead.Set("requested_rep", rep.id);
        break;
      case 1:
        lead.Set("requested_rep",
                 rep.email.empty() ? "nobody@x.io" : "r" + rep.email.substr(1));
        break;
      case 2:
        lead.Set("requested_rep", "ghost");
        break;
      default:
        lead.Set("requested_rep", "R0");
        break;
    }
  }
  if (!s.accounts.empty()) {
    std::string a = "a" + std::to_string(rng.Below(int(s.accounts.size()) + 1));
    if (rng.Chance(30)) lead.Set("account_id", a);
    if (rng.Chance(30)) {
      static const std::vector<std::string> forms = {"", "www.", "WWW.",
                                                     "https://"};
      lead.Set("domain", rng.Pick(forms) + a + ".com");
    }
    if (rng.Chance(40)) {
      lead.Set("email", std::string("kim@") + (rng.Chance(50) ? "eu." : "") +
                            a + (rng.Chance(20) ? ".COM" : ".com"));
    }
  }
  return lead;
}

std::string Describe(const Owner& owner, const std::string& rule,
                     const std::string& by, bool fallback, bool repeated) {
  std::ostringstream out;
  out << OwnerKindName(owner.kind) << ":" << owner.id << " rule=" << rule
      << " by=" << by << (fallback ? " fallback" : "")
      << (repeated ? " repeated" : "");
  return out.str();
}

std::string ConditionText(const Condition& c) {
  std::string out(ConditionOpName(c.op));
  if (!c.field.empty()) out += " " + c.field;
  for (const auto& v : c.values) out += " " + v.ToJson();
  if (!c.children.empty() || c.field.empty()) {
    out += "(";
    for (size_t i = 0; i < c.children.size(); ++i) {
      out += (i ? ", " : "") + ConditionText(c.children[i]);
    }
    out += ")";
  }
  return out;
}

std::string ScenarioJson(const Scenario& s) {
  std::ostringstream out;
  for (const auto& rule : s.config.rules) {
    out << "  rule " << rule.id << " on_empty=" << OnEmptyName(rule.on_empty)
        << " rotation=" << rule.rotation << " when=" << ConditionText(rule.when)
        << " steps=";
    for (const auto& st : rule.steps) out << st.strategy << st.params << " ";
    out << "\n";
  }
  return out.str();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return "[" + out + "]";
}

// The reps as the failing lead saw them, for the mismatch report.
std::string RepsDump(const Scenario& s, Router& router,
                     const reference::ReferenceRouter& model,
                     const std::map<std::string, Presence>& presence) {
  std::ostringstream out;
  for (const auto& rep : s.config.reps) {
    auto p = presence.find(rep.id);
    out << "  rep " << rep.id << (rep.active ? "" : " INACTIVE")
        << " email=" << rep.email << " teams=" << Join(rep.teams)
        << " tier=" << rep.tier << " weight=" << rep.weight
        << " terr=" << Join(rep.territories) << " ind=" << Join(rep.industries)
        << " prod=" << Join(rep.products) << " lang=" << Join(rep.languages);
    for (const auto& [k, v] : rep.attributes)
      out << " " << k << "=" << v.ToJson();
    if (rep.capacity.max_open) out << " max_open=" << *rep.capacity.max_open;
    out << " open=" << router.state().Get(rep.id).open << "/"
        << model.Open(rep.id) << " presence="
        << PresenceName(p == presence.end() ? Presence::kAvailable : p->second)
        << "\n";
  }
  for (const auto& a : s.accounts) {
    out << "  account " << a.id << " domains=" << Join(a.domains)
        << " parent=" << a.parent << " owner=" << a.owner << "\n";
  }
  for (const auto& rule : s.config.rules) {
    out << "  pool " << rule.id << " teams=" << Join(rule.pool.teams)
        << " reps=" << Join(rule.pool.reps) << "\n";
  }
  out << "  fallback " << s.config.fallback->id << "\n";
  return out.str();
}

// Runs one config; returns "" or the first mismatch.
std::string RunOne(uint64_t seed, int leads) {
  Rng rng(seed);
  Scenario s = RandomScenario(rng);
  auto rules = RuleSet::Compile(s.config);
  if (!rules.ok()) return "config rejected: " + rules.status().ToString();
  auto accounts = AccountDirectory::Build(s.accounts);
  if (!accounts.ok())
    return "accounts rejected: " + accounts.status().ToString();
  RouterOptions options;
  options.accounts = *accounts;
  Router router =
      Router::Create(std::move(rules).value(), std::move(options)).value();
  reference::ReferenceRouter model(s.config, s.accounts);
  std::vector<std::string> ids;
  std::map<std::string, Presence> presence;
  for (int n = 0; n < leads; ++n) {
    auto where = [&] {
      return "config seed " + std::to_string(seed) + ", lead index " +
             std::to_string(n) + "\n" + ScenarioJson(s) +
             RepsDump(s, router, model, presence);
    };
    if (rng.Chance(3)) {
      const Rep& rep = rng.Pick(s.config.reps);
      auto p = static_cast<Presence>(rng.Below(3));
      if (!router.SetPresence(rep.id, p).ok())
        return "SetPresence failed: " + where();
      model.SetPresence(rep.id, p);
      presence[rep.id] = p;
    }
    if (!ids.empty() && rng.Chance(30)) {
      const std::string& gone = rng.Pick(ids);
      bool lib = router.Release(gone).ok();
      bool ref = model.Release(gone);
      if (lib != ref) return "Release(" + gone + ") disagrees: " + where();
    }
    std::string id = "L" + std::to_string(n);
    if (!ids.empty() && rng.Chance(5)) id = rng.Pick(ids);  // a retry
    Lead lead = RandomLead(rng, s, id);
    auto got = router.Route(lead);
    if (!got.ok())
      return "Route failed: " + got.status().ToString() + " " + where();
    reference::Decision want = model.Route(lead);
    std::string a = Describe(got->owner, got->rule_id, got->decided_by,
                             got->fallback, got->repeated);
    std::string b = Describe(want.owner, want.rule_id, want.decided_by,
                             want.fallback, want.repeated);
    if (a != b) {
      return "lead " + lead.ToJson() + "\n  leadroute: " + a +
             "\n  reference: " + b + "\n  " + where();
    }
    for (const auto& rep : s.config.reps) {
      int lib = router.state().Get(rep.id).open;
      int ref = model.Open(rep.id);
      if (lib != ref) {
        return "load of " + rep.id + ": leadroute " + std::to_string(lib) +
               ", reference " + std::to_string(ref) + " after lead " +
               lead.ToJson() + "\n  " + where();
      }
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return "";
}

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v == nullptr || *v == '\0' ? fallback : std::atoi(v);
}

TEST(Differential, RouterAgreesWithReference) {
  const int configs = EnvInt("LEADROUTE_DIFF_CONFIGS", 500);
  const int leads = EnvInt("LEADROUTE_DIFF_LEADS", 1000);
  const char* only = std::getenv("LEADROUTE_DIFF_SEED");
  std::vector<uint64_t> seeds;
  if (only != nullptr && *only != '\0') {
    seeds.push_back(std::strtoull(only, nullptr, 10));
  } else {
    const uint64_t base =
        static_cast<uint64_t>(EnvInt("LEADROUTE_DIFF_BASE", 1));
    for (int c = 0; c < configs; ++c) seeds.push_back(base + uint64_t(c));
  }
  int failures = 0;
  for (uint64_t seed : seeds) {
    std::string mismatch = RunOne(seed, leads);
    if (!mismatch.empty()) {
      ADD_FAILURE() << mismatch << "\nreplay: LEADROUTE_DIFF_SEED=" << seed
                    << " LEADROUTE_DIFF_LEADS=" << leads
                    << " build/verify/tests/leadroute_tests "
                       "--gtest_filter=Differential.*";
      if (++failures >= 5) return;
    }
  }
  RecordProperty("configs", int(seeds.size()));
  RecordProperty("leads_per_config", leads);
}

// Disagreements the differential test found, decided by docs/config.md and
// fixed in the library; kept as plain regression tests.

// match op eq is "equal": "*" is a wildcard only for overlap (seed 190).
TEST(DifferentialFindings, MatchEqTreatsStarAsText) {
  RuleSetConfig c;
  c.reps = {Rep{.id = "ana", .tier = "*"}, Rep{.id = "ben", .tier = "senior"}};
  c.rules = {Rule{.id = "r",
                  .steps = {MakeStep("match", {{"attribute", "tier"},
                                               {"op", "eq"},
                                               {"field", "wanted_tier"}})}}};
  c.fallback = Owner::Queue("q");
  Router router = Router::Create(RuleSet::Compile(c).value()).value();
  EXPECT_EQ(router.Route(Lead("L1").Set("wanted_tier", "senior"))->owner.id,
            "ben");
  EXPECT_EQ(router.Route(Lead("L2").Set("wanted_tier", "junior"))->owner.id,
            "q");
  EXPECT_EQ(router.Route(Lead("L3").Set("wanted_tier", "*"))->owner.id, "ana");
}

}  // namespace
}  // namespace leadroute
