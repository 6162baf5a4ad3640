// Time for the reference router: the routing instant, schedules, rule active
// windows and the time-based caps, each written from its paragraph of
// docs/config.md ("The routing instant", "Schedules", "Active windows",
// "Caps") with the Howard Hinnant date/tz library and no code from src/.
// Everything compares wall-clock times in the zone: that is what the docs
// define, so DST gaps and repeats need no special case.
#ifndef LEADROUTE_TESTS_REFERENCE_REFERENCE_TIME_H_
#define LEADROUTE_TESTS_REFERENCE_REFERENCE_TIME_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/rep.h"
#include "leadroute/rule.h"

namespace leadroute::reference {

// A UTC instant to the millisecond, as the routing instant is.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// An RFC 3339 date-time with an offset ("2024-03-10T14:30:00Z",
// "2024-03-10T09:30:00.250-05:00"); nullopt for anything else (a date
// alone, no offset, an impossible date).
std::optional<TimePoint> ParseDateTime(std::string_view text);

// Whether `rep` is on its schedule at `t` (always, without a schedule).
bool OnSchedule(const Rep& rep, TimePoint t);

// Whether `t` falls in `window`, read in IANA zone `zone` ("" = UTC).
bool InWindow(const ActiveWindow& window, const std::string& zone, TimePoint t);

// One claim a rule gave a rep: its routing instant and its local day (days
// since 1970-01-01 in the rep's cap zone), computed once when recorded.
struct ClaimRecord {
  TimePoint at;
  int local_day = 0;
};

// The record of a claim of `rep` at `t`.
ClaimRecord RecordClaim(const Rep& rep, TimePoint t);

// Whether one more claim of `rep` at `t` stays within its time-based caps,
// given its earlier rule claims `claims` (released ones included).
bool UnderTimeCaps(const Rep& rep, const std::vector<ClaimRecord>& claims,
                   TimePoint t);

}  // namespace leadroute::reference

#endif  // LEADROUTE_TESTS_REFERENCE_REFERENCE_TIME_H_
