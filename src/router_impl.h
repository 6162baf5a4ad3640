// The Router's internals, shared by the files that implement its methods
// (router.cc: routing and configuration; later files: lifecycle).
#ifndef LEADROUTE_ROUTER_IMPL_H_
#define LEADROUTE_ROUTER_IMPL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "compile/compiled_rule_set.h"
#include "leadroute/account_directory.h"
#include "leadroute/clock.h"
#include "leadroute/router.h"
#include "leadroute/state_store.h"
#include "log.h"

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
        log(options.log_level, std::move(options.log_sink)) {}

  std::shared_ptr<const internal::Snapshot> Load() const noexcept {
    return snapshot.load(std::memory_order_acquire);
  }
  void Publish(std::shared_ptr<const internal::Snapshot> next) noexcept {
    snapshot.store(std::move(next), std::memory_order_release);
  }

  std::shared_ptr<StateStore> state;
  std::shared_ptr<const Clock> clock;
  std::atomic<std::shared_ptr<const internal::Snapshot>> snapshot;
  std::mutex update_mutex;  // serialises Update/SetAccounts
  internal::Log log;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ROUTER_IMPL_H_
