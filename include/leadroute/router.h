// Router: routes leads through a RuleSet, one owner per lead.
//
// Create one per RuleSet lineage and share it: every method is thread-safe.
// `Route` may run on any number of threads while `Update` swaps the RuleSet;
// each decision uses exactly one RuleSet. Movable, not copyable.
#ifndef LEADROUTE_ROUTER_H_
#define LEADROUTE_ROUTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/assignment.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/lead.h"
#include "leadroute/offer.h"
#include "leadroute/outcome.h"
#include "leadroute/rep.h"
#include "leadroute/rule_set.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
#include "leadroute/trace.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

enum class LogLevel : uint8_t { kDebug, kInfo, kWarn, kError, kOff };

struct RouterOptions {
  // Live state. Default (nullptr): a new in-memory store. Shared so that a
  // host may keep reading it, or hand the same store to a replacement Router.
  std::shared_ptr<StateStore> state{};
  // The time of a lead without a valid `created_at`. Default (nullptr): the
  // system clock. Read once per route.
  std::shared_ptr<const Clock> clock{};
  // Whether a decision's record keeps a copy of the lead's fields (default
  // true). The copy is what lets `Reassign`, a `kReassign` SLA escalation and
  // `Due`'s SLA anchor (`created_at`) route or read the lead again by id, and
  // `RecordOutcome` credit its segments. False, for a host that routes and
  // never reassigns through the Router (an import, `leadroute route` without
  // `--state`): a route copies no fields and an open lead costs less memory;
  // those calls then fail with kFailedPrecondition, outcomes count in no
  // segment, and the SLA counts from the first routing. A lead left pending
  // (offer, pool) keeps its fields until claimed either way.
  bool keep_leads = true;
  // Accounts for the `hierarchy` strategy. Default: empty.
  AccountDirectory accounts{};
  // Logging is off unless a sink is given. Messages at `log_level` and above
  // go to `log_sink`; routing itself never logs.
  LogLevel log_level = LogLevel::kWarn;
  std::function<void(LogLevel, std::string_view)> log_sink{};

  // How `Reload` and `ReloadFile` compile a new RuleSet (e.g. the host's
  // strategy registry, which must outlive the Router). Default: built-ins.
  LoadOptions load{};

  // Callbacks (docs/lifecycle.md#callbacks), each optional. They run on the
  // thread that made the change, after it is committed to the StateStore and
  // with no Router or store lock held, so they may call back into the
  // Router. An exception thrown by one is caught and counted
  // (`Router::callback_errors`); the operation still succeeds. A repeated
  // (idempotent) route calls none.
  //
  // A new decision by a rule (`Route`).
  std::function<void(const Assignment&)> on_assigned{};
  // A new owner for an open lead (`Reassign`, `Transfer`): the new decision.
  std::function<void(const Assignment&)> on_reassigned{};
  // A new decision that went to the fallback owner, from `Route` or
  // `Reassign` (called instead of `on_assigned`, after `on_reassigned`).
  std::function<void(const Assignment&)> on_fallback{};
  // `Reload` or `ReloadFile` rejected a config; the Status lists every error.
  std::function<void(const Status&)> on_config_rejected{};
  // A lead left pending by a rule in offer or pool mode (`Route`) or by
  // `Offer`: the pending Assignment (owner empty, `offer` set). A claim of
  // it later calls `on_assigned`.
  std::function<void(const Assignment&)> on_offered{};
};

// An open lead whose SLA escalation step is due (`Router::Due`).
struct DueEscalation {
  Assignment assignment{};  // the current decision, `due` filled in
  EscalationStep next{};    // the step to run now
  // Who takes the lead for kTeamLead, kTransfer and kFallback; empty for
  // kReassign (the rules choose). A kTeamLead whose owner has no team with a
  // lead targets the fallback owner.
  Owner target{};
  Instant due{};  // when `next` became due: first routing + `next.after`
  int level = 0;  // escalation steps already behind the lead (0: none)
};

// How one `Router::Route` call runs. Plain aggregate.
struct RouteOptions {
  // Builds a trace of the decision (`Assignment::trace`, leadroute/trace.h).
  // Default false: a route without it pays one branch per step. On, it
  // allocates the trace and looks up each claim's runner-up in the store.
  bool explain = false;
};

class LEADROUTE_EXPORT Router {
 public:
  // Creates a router for `rules`. Fails (kInvalidArgument) only when the
  // state store rejects the roster.
  static Result<Router> Create(RuleSet rules, RouterOptions options = {});

  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  ~Router();

  // Routes `lead`: exactly one owner for every lead with a non-empty id
  // (kInvalidArgument otherwise). A lead id routed before and not released
  // returns the first decision with `repeated` set, counting once.
  // Never throws; allocates only the returned strings.
  Result<Assignment> Route(const Lead& lead) noexcept;
  // The same, with options. With `options.explain`, the Assignment carries
  // the trace of this route (`Assignment::trace`); for a lead id decided
  // before, the trace shows what the rules would decide now and names the
  // recorded decision (`Trace::existing`), which stays. kResourceExhausted
  // only when the trace cannot be allocated before routing.
  Result<Assignment> Route(const Lead& lead,
                           const RouteOptions& options) noexcept;
  // Routes a batch (an import): `leads[i]` into `out[i]`, in order, each
  // decided exactly as `Route(leads[i], options)` would decide it (a lead id
  // decided before, or earlier in the same batch, gets its first decision
  // with `repeated` set and counts once; pending leads; SLA `due`; sticky
  // keys; each callback right after its decision is committed, with no lock
  // held). The whole batch reads one RuleSet snapshot, so every decision of
  // a batch has the same `generation`; an Update during a batch applies to
  // the next one. The snapshot is looked up once per batch, and each out[i]
  // is move-assigned, so no field of what the array held before survives.
  //
  // kInvalidArgument, routing nothing, when `out.size() != leads.size()` or
  // `errors` is non-empty and `errors.size() != leads.size()`; the message
  // names both sizes. A lead that cannot be routed (no id; an explain whose
  // trace cannot be allocated) leaves `out[i] = Assignment{}` and, when
  // `errors` is given, its Status in `errors[i]` (OK for every routed lead);
  // the others are routed. Returns OK when every lead was routed, else the
  // first failure with its index prefixed: "leads[3]: the lead has no id".
  // Never throws.
  Status RouteBatch(std::span<const Lead> leads, std::span<Assignment> out,
                    const RouteOptions& options = {},
                    std::span<Status> errors = {}) noexcept;

  // What routing `lead` now would decide, and why, changing no state: a dry
  // run of the rule chain where every claim is looked up
  // (`StateStore::Peek`) instead of made and no decision or fallback is
  // recorded. For a lead id decided before, `Trace::existing` holds that
  // decision. kInvalidArgument for a lead without an id;
  // kResourceExhausted when the trace cannot be allocated. A later Route
  // may decide differently when other routes claim in between.
  Result<Trace> Explain(const Lead& lead) const;

  // The lead was closed or converted: forgets its decision and frees the
  // owner's load (a pending lead: forgets it). kNotFound for an unknown
  // lead id.
  Status Release(std::string_view lead_id) noexcept;
  // The open lead `lead_id` ended with `outcome`: credits its current rep
  // owner (overall, and per segment for every `segment` field the current
  // RuleSet's `performance` steps use) and closes the lead exactly as
  // Release does, in one atomic step of the state store. A lead owned by a
  // queue credits nobody but is still closed. kNotFound for an unknown lead
  // id; kInvalidArgument when `outcome.value` is negative or not finite;
  // kFailedPrecondition when the store keeps no outcomes
  // (docs/cookbook/performance.md).
  Status RecordOutcome(std::string_view lead_id,
                       const Outcome& outcome) noexcept;

  // Lifecycle (docs/lifecycle.md; src/router_lifecycle.cc).
  //
  // Routes the open lead `lead_id` again with the current RuleSet at the
  // clock's now, never to its current owner, an earlier owner or a decliner
  // (LeadRecord::excluded); the fallback when nobody else is eligible. The
  // current owner's load goes down, the new one's up, in one atomic step.
  // kNotFound for an unknown lead; kFailedPrecondition when it was recorded
  // without the lead (the store's Record without a Lead). Under a race with
  // another replacement, retries a few times and then returns the current
  // decision with `repeated` set.
  Result<Assignment> Reassign(std::string_view lead_id,
                              ChangeReason reason) noexcept;
  // Makes rep `rep_id` the owner of `lead_id` (an administrator's choice:
  // caps are not checked). kNotFound for an unknown lead or a rep not in the
  // current RuleSet; kFailedPrecondition for an inactive rep.
  Result<Assignment> Transfer(std::string_view lead_id,
                              std::string_view rep_id) noexcept;
  // The host's truth for a rep's open load. kInvalidArgument when negative.
  Status Reconcile(std::string_view rep_id, int32_t open_count) noexcept;
  // The host's truth for the claim instants a rep's time-based caps count.
  Status SetClaimHistory(std::string_view rep_id,
                         std::span<const Instant> claims) noexcept;
  // The open leads rep `rep_id` owns, sorted.
  std::vector<std::string> OrphanedLeads(std::string_view rep_id) const;
  // The open leads whose owner is a rep that is not an active rep of the
  // current RuleSet (removed or deactivated by Update), sorted.
  std::vector<std::string> OrphanedLeads() const;
  // Writes the state store's snapshot to `path` atomically (temp file in the
  // same directory, fsync, rename, fsync of the directory): the file is
  // always either the old or the new snapshot. Errors name the path.
  Status SaveState(const std::string& path) const;
  // Replaces the live state with the snapshot in `path`; on any error the
  // state is left as it was.
  Status LoadState(const std::string& path);

  // SLA, callbacks and reload (docs/lifecycle.md; src/router_sla.cc).
  //
  // Every open lead whose next SLA escalation step is due at `now`, ordered
  // by due time (then lead id). The host runs each step on its own timer:
  // kReassign: `Reassign(lead, ChangeReason::kSlaMissed)`; otherwise
  // `Transfer(lead, target)`. Reads the records under the store's lock;
  // O(open leads), not for the hot path.
  std::vector<DueEscalation> Due(Instant now) const;
  // Compiles `rules_json` with `RouterOptions::load` and, when it loads,
  // swaps it in as `Update` does. On failure the active RuleSet stays, the
  // returned kInvalidArgument (kNotFound for an unreadable file) lists every
  // error, and `on_config_rejected` is called with it.
  Status Reload(std::string_view rules_json) noexcept;
  Status ReloadFile(const std::string& path) noexcept;
  // How many callbacks threw so far.
  uint64_t callback_errors() const noexcept;

  // Sets a rep's presence (read by the `availability` strategy).
  // kNotFound when no rep has that id in the current RuleSet.
  Status SetPresence(std::string_view rep_id, Presence presence) noexcept;

  // Replaces the RuleSet atomically; routes in flight finish on the old one.
  // State keyed by rep id carries over. A RuleSet that failed to load never
  // reaches here, so the active one stays.
  Status Update(RuleSet rules) noexcept;
  // Replaces the account directory.
  void SetAccounts(AccountDirectory accounts) noexcept;

  // The first instant at or after `t` when rep `rep_id` is on its schedule
  // (working hours, holidays, out of office; presence and caps are not
  // considered), searching 400 days ahead. `t` itself when the rep has no
  // schedule. kNotFound for an unknown rep or when there is no working time
  // within the horizon; kFailedPrecondition for an inactive rep. Walks the
  // days one by one: meant for explain and for holding leads, not per route.
  Result<Instant> NextAvailable(std::string_view rep_id, Instant t) const;

  // The decision recorded for `lead_id`, if any.
  std::optional<Assignment> Find(std::string_view lead_id) const;

  // Offers and pools (leadroute/offer.h, docs/cookbook/offer-and-pool.md;
  // src/router_offer.cc). A pending lead has no owner, load or rotation
  // effect until a rep claims it; `Route` of a pending lead id returns the
  // pending Assignment with `repeated` set; `Release` forgets it.
  //
  // A ranked shortlist of up to `k` (1..100) reps eligible for `lead` now,
  // whatever the mode of the rule it reaches: the same rules, steps and caps
  // as `Route`, ranked in the picker's order. The lead is kept pending as an
  // offer (expiry: the rule's `offer.expires_after`, else 15 minutes) and
  // `on_offered` is called. An already pending lead returns its offer.
  // kInvalidArgument: no lead id or `k` out of range; kFailedPrecondition:
  // the lead already has an owner; kNotFound: nobody is eligible (nothing
  // is recorded, not even a fallback).
  Result<OfferInfo> Offer(const Lead& lead, int k) noexcept;
  // Rep `rep_id` takes the pending lead (by offer id or lead id): when the
  // rep is on the offer's shortlist (a pool lead: any rep) and still
  // eligible now (the offering rule's pool, filters and caps are checked
  // again for that rep alone), it owns the lead atomically and
  // `on_assigned` is called. The first claim wins. kNotFound: unknown offer,
  // lead or rep; kFailedPrecondition: "lead L already claimed by rep X"
  // (also after an expired offer was pushed), "rep X is not on offer O",
  // "rep X is not eligible now: <reason code>" (docs/explain.md),
  // "offer O expired at T".
  Result<Assignment> Claim(std::string_view offer_or_lead_id,
                           std::string_view rep_id) noexcept;
  // Blind pull: claims for `rep_id` the oldest pending pool lead (routed
  // first; ties by arrival) the rep is eligible for now, as `Claim` does.
  // kNotFound when there is none (or the rep is unknown).
  Result<Assignment> NextForRep(std::string_view rep_id) noexcept;
  // Settles every offer whose expiry is at or before `now`, by its rule's
  // `offer.on_expiry`: push routes the lead from the offering rule as a
  // push (its on_empty applies as usual), fallback gives it to the
  // RuleSet's fallback owner. Returns the new decisions, after calling
  // `on_assigned` / `on_fallback` for each. The host calls it from a timer
  // (e.g. every 30 s, like `Due`); pool leads never expire. O(pending).
  std::vector<Assignment> ExpireOffers(Instant now);
  // Every pending lead, oldest first (routed_at, then arrival).
  std::vector<Assignment> Pending() const;
  // The active RuleSet and its generation (1 for the first, +1 per Update).
  RuleSet rules() const noexcept;
  uint64_t generation() const noexcept;
  StateStore& state() const noexcept;

 private:
  struct Impl;
  explicit Router(std::unique_ptr<Impl> impl) noexcept;
  // Claim and NextForRep: `rep_id` takes `pending` at `now` if still
  // eligible; `why`: name the reason code when not (src/router_offer.cc).
  Result<Assignment> ClaimPending(const PendingLead& pending,
                                  std::string_view rep_id, Instant now,
                                  bool why);
  std::unique_ptr<Impl> impl_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ROUTER_H_
