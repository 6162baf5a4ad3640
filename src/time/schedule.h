// The compiled form of a rep's `Schedule` (and of a rule's active window):
// the zone pointer looked up once, working blocks as minutes per weekday,
// days off and absences sorted, so that "on schedule at t" is one
// conversion to local time plus a few comparisons, without allocating.
#ifndef LEADROUTE_TIME_SCHEDULE_H_
#define LEADROUTE_TIME_SCHEDULE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/clock.h"
#include "leadroute/rep.h"
#include "leadroute/status.h"
#include "time/local_time.h"

namespace leadroute::internal {

class CompiledSchedule {
 public:
  // Always on schedule.
  CompiledSchedule() = default;

  // Compiles `rep.schedule` (always on when it has none). Errors go to
  // `errors` with paths under `base` ("/reps/3").
  static CompiledSchedule ForRep(const Rep& rep, const std::string& base,
                                 std::vector<ConfigError>& errors);

  // A weekly window in `zone` (nullptr: UTC): the given days (all when
  // `days` is empty) and blocks (all day when empty). `days` and `blocks`
  // are already validated by the caller.
  static CompiledSchedule Window(
      const date::time_zone* zone, const std::vector<int>& days,
      const std::vector<std::pair<int, int>>& blocks);

  // Whether `t` is inside working time. noexcept, allocation-free.
  bool Contains(Instant t) const noexcept;

  // The first instant at or after `t`, within `horizon_days` local days,
  // at which Contains holds; nullopt when there is none.
  std::optional<Instant> Next(Instant t, int horizon_days = 400) const noexcept;

  bool always() const noexcept { return always_; }
  const date::time_zone* zone() const noexcept { return zone_; }

 private:
  struct Block {
    int16_t start;  // minutes after the day's midnight
    int16_t end;    // > start; up to 2 * 1440 for blocks crossing midnight
  };

  bool DayOff(int64_t day) const noexcept;
  bool InBlocks(int64_t day, int day_index, int minute) const noexcept;

  bool always_ = true;
  const date::time_zone* zone_ = nullptr;     // nullptr: UTC
  std::array<std::vector<Block>, 7> week_{};  // Monday first
  // Days off as inclusive ranges of local day numbers (days since
  // 1970-01-01), sorted and merged.
  std::vector<std::pair<int64_t, int64_t>> days_off_;
  // Absent instants [from, to), sorted by `from`.
  std::vector<std::pair<Instant, Instant>> away_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_TIME_SCHEDULE_H_
