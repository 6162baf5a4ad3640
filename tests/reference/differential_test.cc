// Differential test: random valid RuleSets and random lead streams (with
// presence changes, releases and retries), routed by leadroute::Router and
// by the reference router (tests/reference/reference_router.h); every
// decision and every rep's load must agree.
//
// Size: LEADROUTE_DIFF_CONFIGS (default 500) x LEADROUTE_DIFF_LEADS (default
// 1000). `make soak` runs 2,000 x 5,000. Replay one failing config with
// LEADROUTE_DIFF_SEED=<config seed> (and the same LEADROUTE_DIFF_LEADS).
#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
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
  reference::TimePoint start{};  // the fake clock's first instant
};

// Time zones of generated schedules, caps and rule windows: EU and US DST,
// a half-hour offset (Kolkata), a 45-minute one with DST (Chatham) and a
// half-hour DST shift (Lord Howe).
const std::vector<std::string> kZones = {
    "UTC",          "Europe/Berlin",   "America/New_York",
    "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"};
const std::vector<std::string> kDayNames = {"mon", "tue", "wed", "thu",
                                            "fri", "sat", "sun"};
// Instants the fake clock starts near: the 2026 DST changes of the EU
// (03-29, 10-25), the US (03-08, 11-01), Lord Howe and Chatham (04-05,
// 09-27 / 10-04), and an ordinary week.
const std::vector<std::string> kStarts = {
    "2026-03-28T18:00:00Z", "2026-10-24T18:00:00Z", "2026-03-07T20:00:00Z",
    "2026-10-31T20:00:00Z", "2026-04-04T10:00:00Z", "2026-09-26T10:00:00Z",
    "2026-06-14T22:00:00Z"};

using Millis = std::chrono::milliseconds;
using TimePoint = reference::TimePoint;

// "HH:MM" for `minutes` after midnight.
std::string Hhmm(int minutes) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
  return text;
}

// A time of day in minutes, often around the hours DST skips or repeats.
int RandomMinute(Rng& rng) {
  static const std::vector<int> common = {0,   60,  90,  120,  150,
                                          180, 165, 540, 1020, 1320};
  return rng.Chance(50) ? rng.Pick(common) : 15 * rng.Below(96);
}

// One or two sorted, disjoint blocks of a day (no night shift yet).
std::vector<TimeBlock> RandomBlocks(Rng& rng) {
  std::vector<int> points;
  for (int i = 2 * (1 + rng.Below(2)); i > 0; --i)
    points.push_back(RandomMinute(rng));
  if (rng.Chance(15)) points.back() = 1440;
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  std::vector<TimeBlock> blocks;
  for (size_t i = 0; i + 1 < points.size(); i += 2)
    blocks.push_back({Hhmm(points[i]), Hhmm(points[i + 1])});
  return blocks;
}

int BlockMinutes(const std::string& hhmm) {
  return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

// Turns the last block of some days into a night shift that ends, on the
// next day, at or before that day's first block (docs/config.md: blocks
// must not overlap within the week).
void AddNightShifts(Rng& rng, std::array<std::vector<TimeBlock>, 7>& week) {
  for (size_t d = 0; d < 7; ++d) {
    if (week[d].empty() || !rng.Chance(30)) continue;
    const auto& next = week[(d + 1) % 7];
    int limit = next.empty() ? 1440 : BlockMinutes(next.front().start);
    int start = BlockMinutes(week[d].back().start);
    int end = std::min(limit, 15 * rng.Below(start / 15 + 1));
    if (end < start) week[d].back().end = Hhmm(end);
  }
}

// "YYYY-MM-DD" of `t` shifted by `days`.
std::string DateOf(TimePoint t, int days) {
  return date::format("%F", date::floor<date::days>(t) + date::days(days));
}

// `t` as RFC 3339 with a random offset and form.
std::string Rfc3339(Rng& rng, TimePoint t) {
  static const std::vector<int> offsets = {0,   60,  120, -300, -240,
                                           330, 765, 825, -570};
  int offset = rng.Pick(offsets);
  auto local = t + std::chrono::minutes(offset);
  std::string text =
      date::format(rng.Chance(80) ? "%FT%T" : "%F %T",
                   std::chrono::floor<std::chrono::seconds>(local));
  if (rng.Chance(20)) {
    text += "." + std::to_string(local.time_since_epoch().count() % 1000 + 1000)
                      .substr(1);
  }
  if (offset == 0 && rng.Chance(70)) return text + (rng.Chance(80) ? "Z" : "z");
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+',
                std::abs(offset) / 60, std::abs(offset) % 60);
  return text + zone;
}

// A rep's zone, schedule and time-based caps (docs/config.md "Schedules",
// "Caps"), around the run's start instant.
void AddRepTime(Rng& rng, Rep& rep, TimePoint start) {
  if (rng.Chance(50)) rep.time_zone = rng.Pick(kZones);
  if (rng.Chance(45)) {
    Schedule s;
    if (rng.Chance(30)) s.time_zone = rng.Pick(kZones);
    if (rng.Chance(85)) {
      std::array<std::vector<TimeBlock>, 7> week;
      for (auto& day : week) {
        if (rng.Chance(75)) day = RandomBlocks(rng);
      }
      AddNightShifts(rng, week);
      s.weekly = week;
    }
    for (int i = rng.Below(3); i > 0; --i)
      s.holidays.push_back(DateOf(start, rng.Below(12) - 1));
    for (int i = rng.Below(3); i > 0; --i) {
      if (rng.Chance(50)) {
        int from = rng.Below(12) - 1;
        s.out_of_office.push_back(
            {DateOf(start, from), DateOf(start, from + rng.Below(3)), ""});
      } else {
        TimePoint from = start + std::chrono::hours(rng.Below(240));
        s.out_of_office.push_back(
            {Rfc3339(rng, from),
             Rfc3339(rng, from + std::chrono::minutes(1 + rng.Below(3000))),
             "away"});
      }
    }
    rep.schedule = s;
  }
  if (rng.Chance(25)) {
    Capacity& c = rep.capacity;
    if (rng.Chance(50)) c.max_per_day = rng.Below(6);
    if (rng.Chance(30)) c.max_per_week = rng.Below(15);
    if (rng.Chance(20)) c.max_per_month = rng.Below(30);
    if (rng.Chance(40))
      c.max_in_window = RollingCap{rng.Below(4), 1 + rng.Below(48)};
  }
}

// A rule's active window (docs/config.md "Active windows").
void AddRuleWindow(Rng& rng, Rule& rule) {
  if (!rng.Chance(25)) return;
  ActiveWindow w;
  if (rng.Chance(60)) w.days = rng.Sample(kDayNames, 60);
  if (rng.Chance(60)) {
    w.hours = RandomBlocks(rng);
    if (!w.hours.empty() && rng.Chance(30)) {
      // Crosses midnight; windows have no overlap rule, but keep it clean.
      int start = BlockMinutes(w.hours.back().start);
      int end = 15 * rng.Below(start / 15 + 1);
      if (end < start && end <= BlockMinutes(w.hours.front().start))
        w.hours.back().end = Hhmm(end);
    }
  }
  rule.active = w;
}

// Sets `created_at` on some leads: valid RFC 3339 instants around `now`, and
// forms the router must ignore (docs/config.md "The routing instant").
void SetCreatedAt(Rng& rng, Lead& lead, TimePoint now) {
  switch (rng.Below(10)) {
    case 0:
    case 1:
    case 2:
      // From 20 hours before the clock to 50 minutes after it: leads out of
      // time order, but never more than a day before the newest claim,
      // within which the store's claim history is exact (docs/config.md
      // #caps; before the fix it kept an hour, found here with seed 44).
      lead.Set("created_at",
               Rfc3339(rng, now - Millis(20 * 3600 * 1000) +
                                Millis(rng.Below(20 * 3600 * 1000 +
                                                 50 * 60 * 1000))));
      break;
    case 3: {
      static const std::vector<std::string> bad = {"2026-03-29",
                                                   "2026-03-29T02:30:00",
                                                   "2026-02-30T10:00:00Z",
                                                   "2026-03-29T25:00:00Z",
                                                   "yesterday",
                                                   "2026-03-29T10:00:00+5:30"};
      lead.Set("created_at", rng.Pick(bad));
      break;
    }
    case 4:
      if (rng.Chance(30)) lead.Set("created_at", 1774750000);
      break;
    default:
      break;
  }
}

// A jump of the fake clock on top of its per-lead seconds: now and then
// minutes or hours, so a run spans weeks and its instants cross local
// midnights, week and month ends and DST changes.
Millis TimeJump(Rng& rng) {
  const int roll = rng.Below(100);
  if (roll < 8) return std::chrono::minutes(1 + rng.Below(240));
  if (roll < 12) return std::chrono::hours(1 + rng.Below(20));
  return Millis(0);
}

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
      if (rng.Chance(20)) p["schedule"] = rng.Chance(50);
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

// sticky (docs/config.md#sticky): random keys, window and ignore lists.
// The windows are short next to the clock's steps, so entries expire.
Step RandomSticky(Rng& rng) {
  Json p = Json::object();
  if (rng.Chance(70)) {
    static const std::vector<std::string> keys = {"account", "email", "domain",
                                                  "field:crm_id"};
    auto k = rng.Sample(keys, 50);
    if (k.empty()) k.push_back("domain");
    if (rng.Chance(50)) std::reverse(k.begin(), k.end());
    p["keys"] = k;
  }
  if (rng.Chance(70)) {
    static const std::vector<std::string> windows = {"1s", "2s", "5s", "1m",
                                                     "3m", "1h", "90d"};
    p["window"] = rng.Pick(windows);
  }
  if (rng.Chance(40)) {
    static const std::vector<std::string> domains = {"a1.com", "example.com",
                                                     "b.io", "Gmail.com"};
    p["ignore_domains"] = rng.Sample(domains, 40);
  }
  if (rng.Chance(40)) p["ignore_free_mail"] = rng.Chance(50);
  return MakeStep("sticky", p);
}

// performance (cookbook/performance.md): metric, prior, floor, segment.
Step RandomPerformance(Rng& rng) {
  Json p = Json::object();
  const bool value = rng.Chance(30);
  if (value) {
    p["metric"] = "value";
  } else if (rng.Chance(20)) {
    p["metric"] = "conversion";
  }
  if (rng.Chance(50)) {
    static const std::vector<double> strengths = {1, 5, 20, 50};
    static const std::vector<double> rates = {0.05, 0.1, 0.3, 0.5};
    Json prior = {{"strength", rng.Pick(strengths)}};
    if (!value) prior["rate"] = rng.Pick(rates);
    p["prior"] = prior;
  }
  // Floors from none to capped (an equal split). A capped floor once gave
  // the library 1 - 2/3 for one share and 1/3 for the others, so a tie that
  // belongs to the earlier rep went to the later one (seed 62 then).
  static const std::vector<double> floors = {0, 0.05, 0.2, 0.45, 0.9};
  if (rng.Chance(70)) p["floor"] = rng.Pick(floors);
  if (rng.Chance(40)) {
    p["segment"] = rng.Chance(50) ? "industry" : "source";
    if (rng.Chance(50)) p["min_segment_leads"] = 1 + rng.Below(5);
  }
  return MakeStep("performance", p);
}

bool IsPicker(const Step& step) {
  return step.strategy == "round_robin" || step.strategy == "least_loaded" ||
         step.strategy == "random" || step.strategy == "performance";
}

Json StepJson(const Step& step) {
  Json j = Json::parse(step.params);
  j["strategy"] = step.strategy;
  return j;
}

// Wraps `rule`'s steps in an experiment (docs/config.md#experiment), 1-3
// variants whose shares (in hundredths) sum to 100. Either each variant
// ends in its own picker and nothing follows the experiment, or the
// variants hold filters and resolvers and the rule's later steps and picker
// follow. Variant pickers stay in the rule's family (`weighted`: weighted
// round robin and performance; else the others), as one rotation serves
// every arm.
void WrapInExperiment(Rng& rng, Rule& rule, bool weighted, int index) {
  std::vector<Step> body = rule.steps;
  std::optional<Step> picker;
  if (!body.empty() && IsPicker(body.back())) {
    picker = body.back();
    body.pop_back();
  }
  const size_t at = size_t(rng.Below(int(body.size()) + 1));
  const bool arms_pick = rng.Chance(50);
  const int count = 1 + rng.Below(3);
  std::vector<int> cuts = {0, 10000};
  for (int v = 1; v < count; ++v) {
    cuts.push_back(rng.Chance(30) ? 10000 * v / count : rng.Below(10001));
  }
  std::sort(cuts.begin(), cuts.end());
  Json variants = Json::array();
  for (int v = 0; v < count; ++v) {
    Json steps = Json::array();
    int extra = rng.Below(3);
    for (int k = 0; k < extra; ++k) {
      steps.push_back(StepJson(rng.Chance(25) ? RandomSticky(rng)
                                              : RandomFilterOrResolver(rng)));
    }
    if (arms_pick) {
      if (weighted) {
        steps.push_back(StepJson(
            rng.Chance(50) ? RandomPerformance(rng)
                           : MakeStep("round_robin", {{"weighted", true}})));
      } else {
        switch (rng.Below(4)) {
          case 0:
            steps.push_back(StepJson(MakeStep("least_loaded", Json::object())));
            break;
          case 1:
            steps.push_back(StepJson(MakeStep(
                "random", rng.Chance(50) ? Json{{"seed", rng.Below(100)}}
                                         : Json::object())));
            break;
          case 2:
            steps.push_back(StepJson(MakeStep("round_robin", Json::object())));
            break;
          default:
            break;  // the implicit round robin
        }
      }
    }
    Json variant = {{"name", "v" + std::to_string(v)},
                    {"share", (cuts[v + 1] - cuts[v]) / 100.0}};
    if (!steps.empty() || rng.Chance(50)) variant["steps"] = steps;
    variants.push_back(variant);
  }
  Json x = {{"id", "x" + std::to_string(index)}, {"variants", variants}};
  if (rng.Chance(50)) x["salt"] = rng.Chance(50) ? "2026q4" : "s";
  rule.steps.assign(body.begin(), body.begin() + long(at));
  rule.steps.push_back(MakeStep("experiment", x));
  if (!arms_pick) {
    rule.steps.insert(rule.steps.end(), body.begin() + long(at), body.end());
    if (picker) rule.steps.push_back(*picker);
  }
}

Scenario RandomScenario(Rng& rng) {
  Scenario s;
  RuleSetConfig& c = s.config;
  // The run starts within a day of a DST change (kStarts).
  s.start = *reference::ParseDateTime(rng.Pick(kStarts)) +
            std::chrono::minutes(rng.Below(24 * 60) - 12 * 60);
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
    AddRepTime(rng, rep, s.start);
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
  if (rng.Chance(50)) c.settings.time_zone = rng.Pick(kZones);
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
    if (rng.Chance(35)) {
      rule.steps.insert(rule.steps.begin() + rng.Below(filters + 1),
                        RandomSticky(rng));
    }
    // One picker kind per rotation: plain round robin and least_loaded read
    // the "least recently assigned" state (random draws from the rotation's
    // generator and only writes it); weighted round robin its counters.
    bool weighted = false;
    switch (rng.Below(8)) {
      case 7:
        // Smooth weighted round robin by performance weights: the
        // weighted family.
        rule.steps.push_back(RandomPerformance(rng));
        weighted = true;
        break;
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
    if (rng.Chance(25)) WrapInExperiment(rng, rule, weighted, i);
    if (rng.Chance(40)) rule.rotation = weighted ? "weighted" : "shared";
    static const std::vector<OnEmpty> on_empty = {
        OnEmpty::kNextRule, OnEmpty::kFallback, OnEmpty::kRelax,
        OnEmpty::kRelax};
    rule.on_empty = rng.Chance(50) ? OnEmpty::kNextRule : rng.Pick(on_empty);
    AddRuleWindow(rng, rule);
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
  // sticky keys: a few customers coming back, in varied spellings, at
  // free-mail and ignored domains too. (No blanks around a `domain`:
  // hierarchy reads it too, and the docs do not say it is trimmed there.)
  if (rng.Chance(60)) {
    static const std::vector<std::string> people = {"kim", "lee", "Kim", " lee",
                                                    ""};
    static const std::vector<std::string> domains = {
        "a1.com",    "A1.com",       "www.a1.com",  "a1.com.", "b.io",
        "gmail.com", "eu.gmail.com", "example.com", "x.b.io",  ""};
    std::string domain = rng.Pick(domains);
    switch (rng.Below(4)) {
      case 0:
        lead.Set("email", rng.Pick(people) + "@" + domain);
        break;
      case 1:
        lead.Set("domain", domain);
        break;
      case 2:
        lead.Set("email", rng.Pick(people) + "@" + rng.Pick(domains));
        lead.Set("domain", domain);
        break;
      default:
        break;
    }
    if (rng.Chance(30)) {
      lead.Set("account_id", rng.Chance(30)
                                 ? Value(rng.Below(3))
                                 : Value(" C" + std::to_string(rng.Below(3))));
    }
    if (rng.Chance(30)) {
      lead.Set("crm_id", rng.Chance(50)
                             ? Value(100 + rng.Below(4))
                             : Value("X" + std::to_string(rng.Below(4))));
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
    const Capacity& cap = rep.capacity;
    if (cap.max_per_day) out << " per_day=" << *cap.max_per_day;
    if (cap.max_per_week) out << " per_week=" << *cap.max_per_week;
    if (cap.max_per_month) out << " per_month=" << *cap.max_per_month;
    if (cap.max_in_window) {
      out << " in_window=" << cap.max_in_window->count << "/"
          << cap.max_in_window->hours << "h";
    }
    if (!rep.time_zone.empty()) out << " tz=" << rep.time_zone;
    if (rep.schedule) out << " scheduled";
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

// How often the strategies of issue 6 decided, over a run.
struct Counts {
  int routed = 0;
  int sticky = 0;
  int performance = 0;
  int variant = 0;
  int time = 0;  // time changed the reference's candidates
};

// Runs one config; returns "" or the first mismatch.
std::string RunOne(uint64_t seed, int leads, Counts* counts) {
  Rng rng(seed);
  Scenario s = RandomScenario(rng);
  auto rules = RuleSet::Compile(s.config);
  if (!rules.ok()) return "config rejected: " + rules.status().ToString();
  auto accounts = AccountDirectory::Build(s.accounts);
  if (!accounts.ok())
    return "accounts rejected: " + accounts.status().ToString();
  RouterOptions options;
  options.accounts = *accounts;
  // The router's clock; the reference gets the same instant before each
  // lead. 2026-01-05T09:00:00Z, a Monday morning.
  auto clock = std::make_shared<testing::FakeClock>(
      Instant(std::chrono::milliseconds(1767603600000)));
  clock->Set(s.start);  // near a DST change (kStarts)
  options.clock = clock;
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
    if (!ids.empty() && rng.Chance(15)) {
      // An outcome credits the owner (performance) and closes the lead.
      const std::string& done = rng.Pick(ids);
      const bool converted = rng.Chance(30);
      const double value = converted ? 1000.0 * rng.Below(5) : 0;
      bool lib = router
                     .RecordOutcome(done, converted ? Outcome::Converted(value)
                                                    : Outcome::Lost())
                     .ok();
      bool ref = model.RecordOutcome(done, converted, value);
      if (lib != ref)
        return "RecordOutcome(" + done + ") disagrees: " + where();
    }
    // Whole seconds, so sticky windows end exactly on a lead sometimes.
    clock->Advance(std::chrono::milliseconds(
        rng.Chance(3) ? 3600000 : 1000 * rng.Below(3)));
    clock->Advance(TimeJump(rng));
    model.SetOfferClock(clock->Now());
    std::string id = "L" + std::to_string(n);
    if (!ids.empty() && rng.Chance(5)) id = rng.Pick(ids);  // a retry
    Lead lead = RandomLead(rng, s, id);
    SetCreatedAt(rng, lead, clock->Now());
    auto got = router.Route(lead);
    if (!got.ok())
      return "Route failed: " + got.status().ToString() + " " + where();
    reference::Decision want = model.Route(lead);
    std::string a = Describe(got->owner, got->rule_id, got->decided_by,
                             got->fallback, got->repeated) +
                    " variant=" + got->variant;
    std::string b = Describe(want.owner, want.rule_id, want.decided_by,
                             want.fallback, want.repeated) +
                    " variant=" + want.variant;
    if (!got->repeated) {
      ++counts->routed;
      counts->sticky += got->decided_by == "sticky";
      counts->performance += got->decided_by == "performance";
      counts->variant += !got->variant.empty();
      counts->time += model.time_mattered();
    }
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

TEST(Differential, RouterAgreesWithReference) {
  using testing::EnvInt;
  const int leads = EnvInt("LEADROUTE_DIFF_LEADS", 1000);
  const std::vector<uint64_t> seeds = testing::SeedsFromEnv(
      "LEADROUTE_DIFF_SEED", EnvInt("LEADROUTE_DIFF_CONFIGS", 500),
      static_cast<uint64_t>(EnvInt("LEADROUTE_DIFF_BASE", 1)));
  int failures = 0;
  Counts counts;
  for (uint64_t seed : seeds) {
    std::string mismatch = RunOne(seed, leads, &counts);
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
  RecordProperty("routed", counts.routed);
  RecordProperty("decided_by_sticky", counts.sticky);
  RecordProperty("decided_by_performance", counts.performance);
  RecordProperty("with_variant", counts.variant);
  RecordProperty("time_dependent", counts.time);
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
