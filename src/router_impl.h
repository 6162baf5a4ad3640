// The Router's internals, shared by the files that implement its methods
// (router.cc: routing and configuration; later files: lifecycle).
#ifndef LEADROUTE_ROUTER_IMPL_H_
#define LEADROUTE_ROUTER_IMPL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "compile/compiled_rule_set.h"
#include "leadroute/account_directory.h"
#include "leadroute/clock.h"
#include "leadroute/router.h"
#include "leadroute/state_store.h"
#include "log.h"
#include "sla.h"

namespace leadroute::internal {

// What the Router holds for one generation.
struct Snapshot {
  std::shared_ptr<const CompiledRuleSet> rules;
  AccountDirectory accounts;
  uint64_t generation = 0;
};

}  // namespace leadroute::internal

LEADROUTE_NAMESPACE_BEGIN

struct Router::Impl {
  Impl(std::shared_ptr<StateStore> state_store, RouterOptions& options)
      : state(std::move(state_store)),
        clock(options.clock != nullptr ? std::move(options.clock)
                                       : SystemClock()),
        keep_leads(options.keep_leads),
        log(options.log_level, std::move(options.log_sink)),
        load(options.load),
        on_assigned(std::move(options.on_assigned)),
        on_reassigned(std::move(options.on_reassigned)),
        on_fallback(std::move(options.on_fallback)),
        on_config_rejected(std::move(options.on_config_rejected)),
        on_offered(std::move(options.on_offered)) {}

  // The active snapshot, as a counted reference: for everything but Route.
  std::shared_ptr<const internal::Snapshot> Load() const noexcept {
    std::lock_guard<std::mutex> lock(snapshot_mutex);
    return snapshot;
  }
  // The active snapshot for the hot path, without touching its reference
  // count: a thread-local cache keyed by this Router's id holds a reference
  // and is refreshed only when `published` moved since the thread last
  // looked. The reference stays valid until this thread calls Current() of
  // another Router (a cache has a few slots) or exits; so the caller must
  // be done with it before it runs host code. A thread keeps the last
  // snapshot it used alive until then, even after an Update.
  const internal::Snapshot& Current() const noexcept;
  // The body of Router::Route and Router::RouteBatch (src/router.cc): routes
  // `lead` with `snapshot`, then calls the callback of a new decision. The
  // snapshot is not read after the callback runs, so a Current() reference
  // will do for one route.
  Result<Assignment> RouteWith(const internal::Snapshot& snapshot,
                               const Lead& lead,
                               const RouteOptions& options) noexcept;
  // Makes `next` the active snapshot; routes already running finish on the
  // one they read.
  void Publish(std::shared_ptr<const internal::Snapshot> next) noexcept {
    {
      std::lock_guard<std::mutex> lock(snapshot_mutex);
      snapshot.swap(next);
      // Inside the lock: whoever reads the new snapshot through Load() (say
      // generation()) and then routes sees the new count too, so no route
      // can use an older generation than one already observed.
      published.fetch_add(1, std::memory_order_release);
    }
    // `next` (the old snapshot) is released here, outside the lock.
  }

  std::shared_ptr<StateStore> state;
  std::shared_ptr<const Clock> clock;
  bool keep_leads;  // RouterOptions::keep_leads
  // Unique per Router for the life of the process (never reused, unlike an
  // address), so a thread-local cache entry cannot match a later Router.
  const uint64_t id = NextId();
  mutable std::mutex snapshot_mutex;  // guards `snapshot`
  std::shared_ptr<const internal::Snapshot> snapshot;
  std::atomic<uint64_t> published{0};  // +1 per Publish, under the mutex
  std::mutex update_mutex;             // serialises Update/SetAccounts
  internal::Log log;

  // Calls a host callback (RouterOptions::on_*), if set. Call only after the
  // change committed and with no lock held: the callback may re-enter the
  // Router. A throwing callback is counted, never propagated.
  template <typename Arg>
  void Notify(const std::function<void(const Arg&)>& callback,
              const Arg& arg) noexcept {
    if (!callback) return;
    try {
      callback(arg);
    } catch (...) {
      callback_errors.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // A new decision by Route: on_fallback or on_assigned.
  void NotifyRouted(const Assignment& decision) noexcept {
    Notify(decision.fallback ? on_fallback : on_assigned, decision);
  }
  // A new owner by Reassign or Transfer, committed: fills in its `due`,
  // then calls on_reassigned and, when the lead went to the fallback owner,
  // on_fallback.
  void Reassigned(Assignment& decision) noexcept {
    try {
      internal::FillDue(*Load()->rules, *state, decision);
    } catch (...) {
      decision.due.reset();  // out of memory copying the record
    }
    Notify(on_reassigned, decision);
    if (decision.fallback) Notify(on_fallback, decision);
  }

  LoadOptions load;  // for Reload
  std::function<void(const Assignment&)> on_assigned;
  std::function<void(const Assignment&)> on_reassigned;
  std::function<void(const Assignment&)> on_fallback;
  std::function<void(const Status&)> on_config_rejected;
  std::function<void(const Assignment&)> on_offered;
  std::atomic<uint64_t> callback_errors{0};

 private:
  static uint64_t NextId() noexcept {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ROUTER_IMPL_H_
