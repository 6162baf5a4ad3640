// `availability`: drops the reps who cannot take a lead right now: inactive,
// off their schedule at the routing instant (with `schedule`), with a
// presence the step does not allow, or (with `capacity`) at max_open.
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/builtin.h"

namespace leadroute::internal {
namespace {

constexpr uint8_t PresenceBit(Presence p) noexcept {
  return static_cast<uint8_t>(1u << static_cast<unsigned>(p));
}

// Trace reason codes by Presence (PresenceName's spellings, here as a table
// so the untraced loop makes no call for them).
constexpr std::string_view kPresenceCodes[] = {"available", "away", "offline"};

// What the step does when it leaves nobody.
enum class WhenNobody : uint8_t { kNextRule, kFallback, kRelaxToAway };

class AvailabilityStrategy final : public Strategy {
 public:
  AvailabilityStrategy(uint8_t presence_mask, bool capacity, bool schedule,
                       WhenNobody when_nobody, CandidateSet active,
                       std::vector<int32_t> max_open)
      : when_nobody_(when_nobody),
        presence_mask_(presence_mask),
        capacity_(capacity),
        schedule_(schedule),
        active_(std::move(active)),
        max_open_(std::move(max_open)) {}

  std::string_view Name() const noexcept override { return "availability"; }
  StrategyKind Kind() const noexcept override { return StrategyKind::kFilter; }
  // Relaxing must never hand a lead to someone away or at capacity.
  bool Relaxable() const noexcept override { return false; }

  StepResult Apply(const LeadView& /*lead*/, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    // Asked once per step: without a trace, the loops below pay one
    // predictable branch per removed rep and make no extra calls.
    const bool trace = ctx.tracing();
    candidates &= active_;
    if (when_nobody_ == WhenNobody::kRelaxToAway &&
        (presence_mask_ & PresenceBit(Presence::kAway)) == 0) {
      // Keep the away reps aside (a bitset copy: no allocation once the
      // thread's candidate sets have grown) in case nobody is available.
      thread_local CandidateSet away;
      away = candidates;
      Filter(candidates, ctx, presence_mask_, trace);
      if (candidates.empty()) {
        Filter(away, ctx, PresenceBit(Presence::kAway), trace);
        candidates = away;
      }
    } else {
      Filter(candidates, ctx, presence_mask_, trace);
    }
    if (candidates.empty() && when_nobody_ == WhenNobody::kFallback) {
      ctx.RequestFallback();
    }
    return StepResult::Narrowed();
  }

 private:
  // Removes the reps off schedule, with a presence not in `mask`, or (with
  // capacity_) at a cap; with `trace`, tells `ctx` why for each.
  void Filter(CandidateSet& candidates, StepContext& ctx, uint8_t mask,
              bool trace) const noexcept {
    for (RepIndex i = candidates.first(); i != kNoRep; i = candidates.next(i)) {
      std::string_view reason;
      if (schedule_ && !ctx.OnSchedule(i)) {
        reason = "off_schedule";
      } else {
        RepStatus status = ctx.Status(i);
        if ((mask & PresenceBit(status.presence)) == 0) {
          reason = kPresenceCodes[static_cast<size_t>(status.presence)];
        } else if (capacity_ && status.open >= max_open_[i]) {
          reason = "at_capacity";
        } else if (capacity_ && !ctx.UnderTimeCaps(i)) {
          reason = "time_cap";
        } else {
          continue;
        }
      }
      candidates.reset(i);
      if (trace) ctx.Eliminate(i, reason);
    }
  }

  WhenNobody when_nobody_;
  uint8_t presence_mask_;
  bool capacity_;
  bool schedule_;
  CandidateSet active_;
  std::vector<int32_t> max_open_;  // int32 max when uncapped
};

}  // namespace

StrategyPtr NewAvailabilityStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  uint8_t mask = PresenceBit(Presence::kAvailable);
  if (std::optional<std::vector<std::string>> names =
          params.Strings("presence")) {
    mask = 0;
    if (names->empty()) {
      params.Error("presence",
                   "found an empty array, expected at least one of: "
                   "available, away, offline");
    }
    for (size_t k = 0; k < names->size(); ++k) {
      if (std::optional<Presence> p = ParsePresence((*names)[k])) {
        mask |= PresenceBit(*p);
      } else {
        params.Error("presence", k,
                     fmt::format("found \"{}\", expected one of: available, "
                                 "away, offline",
                                 (*names)[k]));
      }
    }
  }
  bool capacity = params.Bool("capacity").value_or(true);
  bool schedule = params.Bool("schedule").value_or(true);
  WhenNobody when_nobody = WhenNobody::kNextRule;
  if (std::optional<std::string> name = params.String("when_nobody")) {
    if (*name == "fallback") {
      when_nobody = WhenNobody::kFallback;
    } else if (*name == "relax_to_away") {
      when_nobody = WhenNobody::kRelaxToAway;
    } else if (*name != "next_rule") {
      params.Error("when_nobody",
                   fmt::format("found \"{}\", expected one of: next_rule, "
                               "fallback, relax_to_away",
                               *name));
    }
  }
  if (!params.ok()) {
    return Status::InvalidArgument("invalid availability step at " +
                                   ctx.path());
  }

  const Roster& roster = ctx.roster();
  CandidateSet active(roster.size());
  std::vector<int32_t> max_open(roster.size(),
                                std::numeric_limits<int32_t>::max());
  for (RepIndex i = 0; i < roster.size(); ++i) {
    const Rep& rep = roster.rep(i);
    if (rep.active) active.set(i);
    if (rep.capacity.max_open) max_open[i] = *rep.capacity.max_open;
  }
  return std::unique_ptr<Strategy>(std::make_unique<AvailabilityStrategy>(
      mask, capacity, schedule, when_nobody, std::move(active),
      std::move(max_open)));
}

}  // namespace leadroute::internal
