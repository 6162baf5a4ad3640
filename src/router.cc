// Router: the public entry points over the rule chain (trip.cc) and the
// StateStore.
#include "leadroute/router.h"

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "compile/compiled_rule_set.h"
#include "router_impl.h"
#include "sla.h"
#include "strategies/sticky.h"
#include "trip.h"

LEADROUTE_NAMESPACE_BEGIN

using internal::CompiledRuleSet;
using internal::Snapshot;

namespace {

// kResourceExhausted: an explain could not allocate its trace.
Status NoMemoryForTrace() {
  return Status(StatusCode::kResourceExhausted,
                "out of memory building the trace");
}

// A dry run of the rule chain for `lead` at `now` (claims looked up, nothing
// recorded) with its trace; `existing` (may be null), the decision already
// recorded, goes into the trace. nullptr when out of memory.
std::shared_ptr<Trace> DryRunTrace(const Snapshot& snapshot, StateStore& state,
                                   const Lead& lead, Instant now,
                                   const Assignment* existing) noexcept {
  try {
    auto trace = std::make_shared<Trace>();
    internal::TripOptions trip;
    trip.dry_run = true;
    trip.trace = trace.get();
    internal::RunTrip(snapshot, state, lead, now, trip);
    // An empty trace ran out of memory inside the trip.
    if (trace->lead_id.empty()) return nullptr;
    if (existing != nullptr) trace->existing = *existing;
    return trace;
  } catch (...) {
    return nullptr;
  }
}

// A thread's cache of the snapshots it routes with, one entry per Router
// it used recently (DESIGN.md §6: no shared reference count on the hot path).
struct SnapshotCacheEntry {
  uint64_t router = 0;     // Router::Impl::id; 0 = empty
  uint64_t published = 0;  // Impl::published when `snapshot` was read
  std::shared_ptr<const Snapshot> snapshot;
};
constexpr size_t kSnapshotCacheSlots = 4;

}  // namespace

const Snapshot& Router::Impl::Current() const noexcept {
  thread_local std::array<SnapshotCacheEntry, kSnapshotCacheSlots> cache;
  thread_local size_t next_victim = 0;
  // Read the counter before the snapshot: if a Publish lands in between, the
  // entry is tagged older than what it holds and is simply read again.
  const uint64_t now = published.load(std::memory_order_acquire);
  SnapshotCacheEntry* entry = nullptr;
  for (SnapshotCacheEntry& e : cache) {
    if (e.router == id) {
      if (e.published == now) return *e.snapshot;
      entry = &e;
      break;
    }
  }
  if (entry == nullptr) {
    entry = &cache[next_victim];
    next_victim = (next_victim + 1) % kSnapshotCacheSlots;
  }
  entry->snapshot = Load();
  entry->router = id;
  entry->published = now;
  return *entry->snapshot;
}

Result<Router> Router::Create(RuleSet rules, RouterOptions options) {
  std::shared_ptr<StateStore> state = options.state;
  if (state == nullptr) state = NewInMemoryStateStore();
  Status attached = state->Attach(rules.roster());
  if (!attached.ok()) return attached;
  auto impl = std::make_unique<Impl>(std::move(state), options);
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->rules = rules.shared();
  snapshot->accounts = std::move(options.accounts);
  snapshot->generation = 1;
  impl->Publish(std::move(snapshot));
  impl->log.Write(
      LogLevel::kInfo, "router created: {} reps, {} rules, config {}",
      rules.roster().size(), rules.config().rules.size(), rules.hash());
  return Router(std::move(impl));
}

Router::Router(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;
Router::~Router() = default;

Result<Assignment> Router::Route(const Lead& lead) noexcept {
  return Route(lead, RouteOptions{});
}

Result<Assignment> Router::Route(const Lead& lead,
                                 const RouteOptions& options) noexcept {
  // Valid until host code runs: RouteWith reads it only before its callback.
  return impl_->RouteWith(impl_->Current(), lead, options);
}

Status Router::RouteBatch(std::span<const Lead> leads,
                          std::span<Assignment> out,
                          const RouteOptions& options,
                          std::span<Status> errors) noexcept {
  if (out.size() != leads.size() ||
      (!errors.empty() && errors.size() != leads.size())) {
    const bool bad_out = out.size() != leads.size();
    return Status::InvalidArgument(
        std::string(bad_out ? "out" : "errors") + " has " +
        std::to_string(bad_out ? out.size() : errors.size()) +
        " elements for " + std::to_string(leads.size()) +
        " leads; the sizes must match");
  }
  // One counted reference for the whole batch, not Current(): the callbacks
  // run between leads, and host code may route on other Routers (evicting
  // this thread's cache entry) or route here after an Update (replacing it).
  const std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  Status first_failure;
  for (size_t i = 0; i < leads.size(); ++i) {
    Result<Assignment> routed = impl_->RouteWith(*snapshot, leads[i], options);
    if (routed.ok()) {
      // Move-assigned whole: no field of an earlier batch's out[i] (due,
      // variant, offer, trace) can survive. The decision's strings were
      // built by the trip anyway; copying them into out[i]'s buffers would
      // save no allocation, and short ids fit the inline buffer either way.
      out[i] = std::move(routed).value();
      if (!errors.empty()) errors[i] = Status();
      continue;
    }
    out[i] = Assignment{};
    Status failure = std::move(routed).status();
    if (first_failure.ok()) {
      first_failure =
          Status(failure.code(), "leads[" + std::to_string(i) +
                                     "]: " + std::string(failure.message()));
    }
    if (!errors.empty()) errors[i] = std::move(failure);
  }
  return first_failure;
}

Result<Assignment> Router::Impl::RouteWith(
    const Snapshot& snapshot, const Lead& lead,
    const RouteOptions& options) noexcept {
  if (lead.id().empty()) {
    return Status::InvalidArgument("the lead has no id");
  }
  StateStore& state = *this->state;
  if (std::optional<Assignment> existing = state.Find(lead.id())) {
    existing->repeated = true;
    internal::FillDue(*snapshot.rules, state, *existing);
    if (options.explain) {
      // The decision stays; the trace shows what the rules say now.
      existing->trace =
          DryRunTrace(snapshot, state, lead,
                      internal::RoutingInstant(lead, *clock), &*existing);
    }
    return std::move(*existing);
  }
  // A lead waiting for a claim (offer, pool): one lock-free load when
  // nothing is pending.
  if (std::optional<PendingLead> pending = state.FindPending(lead.id());
      pending && pending->decision.lead_id == lead.id()) {
    pending->decision.repeated = true;
    return std::move(pending->decision);
  }
  std::shared_ptr<Trace> trace;
  if (options.explain) {
    try {
      trace = std::make_shared<Trace>();
    } catch (...) {
      return NoMemoryForTrace();
    }
  }
  internal::TripOptions trip;
  trip.trace = trace.get();
  trip.keep_lead = keep_leads;
  Assignment decision = internal::RunTrip(
      snapshot, state, lead, internal::RoutingInstant(lead, *clock), trip);
  // An empty trace ran out of memory; the decision stands without it.
  if (trace != nullptr && !trace->lead_id.empty()) {
    decision.trace = std::move(trace);
  }
  if (decision.offer) {
    // Pending: no owner, so no SLA yet; a claim starts it.
    if (!decision.repeated) Notify(on_offered, decision);
    return decision;
  }
  if (decision.repeated) {
    internal::FillDue(*snapshot.rules, state, decision);
    return decision;
  }
  // A new decision is the lead's first: its SLA counts from now on.
  if (const Sla* sla = internal::SlaFor(*snapshot.rules, decision.rule_id)) {
    decision.due = decision.routed_at + sla->respond_within;
  }
  // Only RuleSets with a `sticky` step remember the lead's keys.
  if (snapshot.rules->sticky != nullptr) {
    internal::RememberStickyKeys(*snapshot.rules->sticky, state, lead,
                                 decision);
  }
  NotifyRouted(decision);
  return decision;
}

Result<Trace> Router::Explain(const Lead& lead) const {
  if (lead.id().empty()) {
    return Status::InvalidArgument("the lead has no id");
  }
  try {
    std::shared_ptr<const Snapshot> snapshot = impl_->Load();
    StateStore& state = *impl_->state;
    std::optional<Assignment> existing = state.Find(lead.id());
    if (existing) internal::FillDue(*snapshot->rules, state, *existing);
    std::shared_ptr<Trace> trace = DryRunTrace(
        *snapshot, state, lead, internal::RoutingInstant(lead, *impl_->clock),
        existing ? &*existing : nullptr);
    if (trace == nullptr) return NoMemoryForTrace();
    return std::move(*trace);
  } catch (...) {
    return NoMemoryForTrace();
  }
}

Status Router::Release(std::string_view lead_id) noexcept {
  Result<Assignment> released = impl_->state->Release(lead_id);
  if (!released.ok()) return released.status();
  return Status();
}

Status Router::SetPresence(std::string_view rep_id,
                           Presence presence) noexcept {
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  if (snapshot->rules->roster->Find(rep_id) == kNoRep) {
    return Status::NotFound("unknown rep \"" + std::string(rep_id) + "\"");
  }
  return impl_->state->SetPresence(rep_id, presence);
}

Status Router::Update(RuleSet rules) noexcept {
  std::lock_guard<std::mutex> lock(impl_->update_mutex);
  Status attached = impl_->state->Attach(rules.roster());
  if (!attached.ok()) return attached;
  std::shared_ptr<const Snapshot> current = impl_->Load();
  auto next = std::make_shared<Snapshot>();
  next->rules = rules.shared();
  next->accounts = current->accounts;
  next->generation = current->generation + 1;
  impl_->Publish(std::move(next));
  impl_->log.Write(LogLevel::kInfo, "rules updated to generation {} ({})",
                   current->generation + 1, rules.hash());
  return Status();
}

void Router::SetAccounts(AccountDirectory accounts) noexcept {
  std::lock_guard<std::mutex> lock(impl_->update_mutex);
  std::shared_ptr<const Snapshot> current = impl_->Load();
  auto next = std::make_shared<Snapshot>(*current);
  next->accounts = std::move(accounts);
  impl_->Publish(std::move(next));
}

Result<Instant> Router::NextAvailable(std::string_view rep_id,
                                      Instant t) const {
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  const CompiledRuleSet& rules = *snapshot->rules;
  RepIndex rep = rules.roster->Find(rep_id);
  if (rep == kNoRep) {
    return Status::NotFound("unknown rep \"" + std::string(rep_id) + "\"");
  }
  if (!rules.roster->rep(rep).active) {
    return Status::FailedPrecondition("rep \"" + std::string(rep_id) +
                                      "\" is inactive");
  }
  if (std::optional<Instant> next = rules.schedules[rep].Next(t)) return *next;
  return Status::NotFound("rep \"" + std::string(rep_id) +
                          "\" has no working time in the next 400 days");
}

std::optional<Assignment> Router::Find(std::string_view lead_id) const {
  std::optional<Assignment> found = impl_->state->Find(lead_id);
  if (found) internal::FillDue(*impl_->Load()->rules, *impl_->state, *found);
  return found;
}

RuleSet Router::rules() const noexcept {
  return internal::CompiledRuleSet::Wrap(impl_->Load()->rules);
}

uint64_t Router::generation() const noexcept {
  return impl_->Load()->generation;
}

StateStore& Router::state() const noexcept { return *impl_->state; }

LEADROUTE_NAMESPACE_END
