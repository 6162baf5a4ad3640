// The schedule/time fuzz body (tests/fuzz/schedule_fuzz.cc), kept apart
// from fuzz_bodies.h so the targets can grow independently; replayed by
// tests/fuzz/regressions_test.cc like the others.
//
// One input is tried three ways:
//  - as an RFC 3339 instant (ParseInstant): a parsed instant formats and
//    parses back to itself;
//  - as a rep's `schedule` object (zones, weekly blocks, holidays, out of
//    office): when the ruleset loads, Router::NextAvailable and the
//    `availability` step agree at probe instants around DST changes,
//    holidays and the input's own out-of-office instants;
//  - as a rule's `active` window: every probe routes to exactly one owner.
#ifndef LEADROUTE_TESTS_FUZZ_SCHEDULE_FUZZ_BODY_H_
#define LEADROUTE_TESTS_FUZZ_SCHEDULE_FUZZ_BODY_H_

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace leadroute::fuzz {

inline void RequireSchedule(bool ok) {
  if (!ok) std::abort();
}

// Instants around the 2024 DST changes of New York and Berlin, a holiday
// season and the edges of the four-digit years ParseInstant reads.
inline std::vector<Instant> ScheduleProbes() {
  std::vector<Instant> probes;
  for (const char* text :
       {"2024-03-10T06:59:59.999Z", "2024-03-10T07:00:00Z",
        "2024-03-10T07:30:00Z", "2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z",
        "2024-06-03T11:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z",
        "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z", "2024-12-24T15:00:00Z",
        "2024-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z", "9998-12-31T12:00:00Z"}) {
    probes.push_back(*ParseInstant(text));
  }
  return probes;
}

// Routes lead `n` at instant `t` (as its `created_at`); "" when `t` cannot
// be written as an RFC 3339 instant ParseInstant reads back (years past
// 9999), since the router would then use its clock instead.
inline std::string OwnerAt(Router& router, Instant t, int n) {
  const std::string created_at = FormatInstant(t);
  std::optional<Instant> back = ParseInstant(created_at);
  if (!back || *back != t) return "";
  Lead lead("L" + std::to_string(n));
  lead.Set("created_at", created_at);
  auto a = router.Route(lead);
  RequireSchedule(a.ok() && !a->owner.id.empty() && !a->repeated);
  RequireSchedule(router.Release(lead.id()).ok());
  return a->owner.id;
}

// Whether the loaded config is the one the template meant: the input
// might close the schedule object and add keys of its own (caps, presence,
// more reps), which would change what the availability step sees.
inline bool TemplateIntact(const RuleSetConfig& c) {
  if (c.reps.size() != 1 || c.rules.size() != 1) return false;
  const Rep& rep = c.reps[0];
  const Rule& rule = c.rules[0];
  return rep.id == "ana" && rep.active && !rep.capacity.max_open &&
         !rep.capacity.timed() && rule.id == "on" && !rule.active &&
         rule.pool.teams.empty() && rule.pool.reps.empty() &&
         rule.steps.size() == 1 && rule.on_empty == OnEmpty::kFallback &&
         rule.when == Condition() && c.fallback == Owner::Queue("q");
}

inline void FuzzSchedule(std::string_view input) {
  if (std::optional<Instant> t = ParseInstant(input)) {
    std::optional<Instant> again = ParseInstant(FormatInstant(*t));
    RequireSchedule(again && *again == *t);
  }

  const std::string schedule_rules =
      R"({"reps": [{"id": "ana", "time_zone": "America/New_York", "schedule": )" +
      std::string(input) +
      R"(}], "rules": [{"id": "on", "steps": [{"strategy": "availability"}],
        "on_empty": "fallback"}], "fallback": {"queue": "q"}})";
  RouterOptions options;
  options.clock = std::make_shared<testing::FakeClock>(
      *ParseInstant("2024-01-01T00:00:00Z"));
  if (auto rules = RuleSet::FromJson(schedule_rules);
      rules.ok() && TemplateIntact(rules->config())) {
    std::vector<Instant> probes = ScheduleProbes();
    if (const auto& schedule = rules->config().reps[0].schedule) {
      for (const OutOfOffice& o : schedule->out_of_office) {
        for (const std::string* end : {&o.from, &o.to}) {
          if (std::optional<Instant> t = ParseInstant(*end)) {
            probes.push_back(*t - std::chrono::milliseconds(1));
            probes.push_back(*t);
          }
        }
      }
    }
    auto router = Router::Create(*rules, options);
    RequireSchedule(router.ok());
    int n = 0;
    for (Instant t : probes) {
      Result<Instant> next = router->NextAvailable("ana", t);
      const std::string owner = OwnerAt(*router, t, n++);
      if (!next.ok()) {
        // No working time within the horizon, so none now either.
        RequireSchedule(owner != "ana");
        continue;
      }
      RequireSchedule(*next >= t);
      if (owner.empty()) continue;
      // On schedule exactly when the next working instant is now.
      RequireSchedule((owner == "ana") == (*next == t));
      std::string at_next = OwnerAt(*router, *next, n++);
      RequireSchedule(at_next.empty() || at_next == "ana");
      Result<Instant> again = router->NextAvailable("ana", *next);
      RequireSchedule(again.ok() && *again == *next);
    }
  }

  const std::string window_rules =
      R"({"reps": [{"id": "ana"}], "settings": {"time_zone": "Europe/Berlin"},
        "rules": [{"id": "on", "active": )" +
      std::string(input) + R"(}], "fallback": {"queue": "q"}})";
  if (auto rules = RuleSet::FromJson(window_rules); rules.ok()) {
    auto router = Router::Create(*rules, options);
    RequireSchedule(router.ok());
    int n = 0;
    for (Instant t : ScheduleProbes()) OwnerAt(*router, t, n++);
  }
}

}  // namespace leadroute::fuzz

#endif  // LEADROUTE_TESTS_FUZZ_SCHEDULE_FUZZ_BODY_H_
