// Trace: why one lead went where it went. Every rule tried, in order, and why
// it applied or not; every step of the rule that ran with its candidates
// before and after and a reason code for each rep it eliminated; relaxations;
// the picker's choice with its runner-up; the fallback and why.
//
// Built only when asked for (`Router::Route(lead, {.explain = true})`,
// `Router::Explain`); a route without it pays nothing. A Trace is a plain
// value: safe to read from any thread once built. docs/explain.md documents
// the JSON form and every reason code.
#ifndef LEADROUTE_TRACE_H_
#define LEADROUTE_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leadroute/assignment.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/owner.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// One rep a step removed from the candidates, and why.
struct TraceElimination {
  std::string rep{};  // rep id
  // The reason code: `not_in_pool`, `inactive`, `excluded`, `territory`,
  // `industry`, `product`, `language`, `match`, `tier`, `offline`, `away`,
  // `at_capacity`, `off_schedule`, `out_of_office`, `holiday`, `daily_cap`,
  // `weekly_cap`, `monthly_cap`, `window_cap`; a host strategy's step name
  // for reps a host filter removed.
  std::string code{};
};

// What a picker (or a resolver's named owner) claimed.
struct TracePick {
  std::string rep{};  // the chosen rep id; empty when nobody could be claimed
  // How it was chosen: "least_recent", "smooth_weighted", "catch_up"
  // (`round_robin` with `catch_up`), "least_loaded", "least_loaded_ratio",
  // "random", "performance" (the `performance` picker) or "preference" (a
  // resolver's owner).
  std::string order{};
  // The rep the same claim would pick with the chosen one removed (empty:
  // nobody else was eligible; always empty for "preference").
  std::string runner_up{};
  // A rule in offer or pool mode (leadroute/offer.h): the ranked shortlist
  // built where a push would claim (`rep` stays empty); empty otherwise.
  std::vector<std::string> shortlist{};
};

// One event of a rule's run, in the order it happened.
struct TraceStep {
  // "pool": the candidates the rule starts from (the rule's pool less the
  // excluded reps); "apply": a step ran; "relax": `on_empty: relax` undid
  // the step at `path` and recomputed the candidates through the others.
  std::string action{};
  // Index in the rule's steps (the pool and the implicit round robin of a
  // rule without a picker use the number of steps).
  size_t index = 0;
  std::string strategy{};  // step name; "pool" for the pool
  // "filter", "resolver", "picker", or "pool".
  std::string kind{};
  // JSON Pointer: "/rules/2/steps/0"; "/rules/2/pool" for the pool; the
  // rule's own path ("/rules/2") for the implicit round robin.
  std::string path{};
  size_t before = 0;  // candidates before (the roster size for the pool)
  size_t after = 0;   // candidates after
  // "narrowed" (a filter ran, or the pool), "passed" (a resolver named
  // nobody), "resolved" (a resolver named `resolved`), "claimed" (someone
  // got the lead), "nobody" (a picker found every candidate at a cap),
  // "relaxed", "superseded" (another route decided the lead first).
  std::string outcome{};
  // Reps removed by this event, in roster order (empty for "relax").
  std::vector<TraceElimination> eliminated{};
  // A resolver: the rep it named; `note` says why that rep did not get the
  // lead when it did not ("not_a_candidate", or a capacity reason code).
  std::string resolved{};
  std::string note{};
  std::optional<TracePick> pick{};  // set when a claim was attempted
};

// One rule of the chain as the lead met it.
struct TraceRule {
  std::string id{};
  std::string path{};  // "/rules/2"
  // "outside_window" (its active window does not contain the routing
  // instant), "condition_false" (its `when` does not hold) or "matched".
  std::string status{};
  // condition_false: the first clause that failed, readably, e.g.
  // `score >= 80 (was 42)` or `country in ["DE", "AT"] (was missing)`.
  std::string failed_clause{};
  // A matched rule with an experiment step: the variant the lead ran
  // ("<experiment id>/<variant name>") and its bucket, 0 to 9999
  // (docs/cookbook/experiments.md). Empty / 0 otherwise.
  std::string variant{};
  uint32_t bucket = 0;
  std::vector<TraceStep> steps{};  // matched rules only
  // matched: "owner" (the rule decided), "next_rule" (it emptied and the
  // chain went on), "fallback" (it sent the lead to the fallback owner) or
  // "superseded" (another route decided the lead first).
  std::string outcome{};
};

struct Trace {
  std::string lead_id{};
  Instant at{};             // the routing instant
  uint64_t generation = 0;  // the Router generation whose RuleSet ran
  std::string config_hash{};
  // True for Router::Explain: claims were looked up, not made, and nothing
  // was recorded.
  bool dry_run = false;
  std::vector<TraceRule> rules{};  // the rules tried, in order

  // The decision the trace leads to (for a dry run: the one a route would
  // make now).
  Owner owner{};
  std::string rule_id{};  // empty for the fallback after the last rule
  std::string decided_by{};
  bool fallback = false;
  // Why the fallback owner got the lead: "no_rule_yielded" (no rule
  // produced an owner), "on_empty" (a rule with `on_empty: fallback`
  // emptied) or "when_nobody" (an availability step with
  // `when_nobody: fallback` left nobody). Empty without a fallback.
  std::string fallback_reason{};
  // The lead was left pending (offer or pool mode): the offer, as in
  // `Assignment::offer` (no offer id on a dry run).
  std::optional<OfferInfo> offer{};
  // The decision's `Assignment::variant`; empty when no experiment decided.
  std::string variant{};
  // The decision already recorded for this lead id, when there is one: the
  // Router keeps it (Route returns it with `repeated` set); the rules above
  // show what they would decide now.
  std::optional<Assignment> existing{};

  // The trace as one line of JSON with a fixed key order (docs/explain.md).
  LEADROUTE_EXPORT std::string ToJson() const;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_TRACE_H_
