// Router: the public entry points over the rule chain (trip.cc) and the
// StateStore.
#include "leadroute/router.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "compile/compiled_rule_set.h"
#include "router_impl.h"
#include "trip.h"

LEADROUTE_NAMESPACE_BEGIN

using internal::CompiledRuleSet;
using internal::Snapshot;

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
  if (lead.id().empty()) {
    return Status::InvalidArgument("the lead has no id");
  }
  std::shared_ptr<const Snapshot> snapshot = impl_->Load();
  StateStore& state = *impl_->state;
  if (std::optional<Assignment> existing = state.Find(lead.id())) {
    existing->repeated = true;
    return std::move(*existing);
  }
  return internal::RunTrip(*snapshot, state, lead,
                           internal::RoutingInstant(lead, *impl_->clock));
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
  return impl_->state->Find(lead_id);
}

RuleSet Router::rules() const noexcept {
  return internal::CompiledRuleSet::Wrap(impl_->Load()->rules);
}

uint64_t Router::generation() const noexcept {
  return impl_->Load()->generation;
}

StateStore& Router::state() const noexcept { return *impl_->state; }

LEADROUTE_NAMESPACE_END
