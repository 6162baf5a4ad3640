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
#include <string_view>

#include "leadroute/account_directory.h"
#include "leadroute/assignment.h"
#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/lead.h"
#include "leadroute/rep.h"
#include "leadroute/rule_set.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
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
  // Accounts for the `hierarchy` strategy. Default: empty.
  AccountDirectory accounts{};
  // Logging is off unless a sink is given. Messages at `log_level` and above
  // go to `log_sink`; routing itself never logs.
  LogLevel log_level = LogLevel::kWarn;
  std::function<void(LogLevel, std::string_view)> log_sink{};
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

  // The lead was closed or converted: forgets its decision and frees the
  // owner's load. kNotFound for an unknown lead id.
  Status Release(std::string_view lead_id) noexcept;

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
  // The active RuleSet and its generation (1 for the first, +1 per Update).
  RuleSet rules() const noexcept;
  uint64_t generation() const noexcept;
  StateStore& state() const noexcept;

 private:
  struct Impl;
  explicit Router(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ROUTER_H_
