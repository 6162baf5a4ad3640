// Rep: a sales rep who can own leads, and the presence states a host reports.
//
// A Rep is configuration: part of a RuleSet, immutable once compiled. Live
// state (presence, open load) lives in the StateStore, keyed by rep id.
#ifndef LEADROUTE_REP_H_
#define LEADROUTE_REP_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/value.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// What the host says about a rep right now (`Router::SetPresence`).
enum class Presence : uint8_t { kAvailable, kAway, kOffline };

// "available", "away" or "offline".
LEADROUTE_EXPORT std::string_view PresenceName(Presence presence) noexcept;
// Parses the names above; nullopt for anything else.
LEADROUTE_EXPORT std::optional<Presence> ParsePresence(
    std::string_view name) noexcept;

// At most `count` claims in any `hours` hours (a rolling window).
struct RollingCap {
  int count = 0;  // >= 0
  int hours = 0;  // 1 .. 744 (31 days)
};

// Limits on how much a rep may own. Every limit is enforced on every claim,
// whatever the rule's steps say; the `availability` step (with `capacity`)
// also drops reps at a limit. The time-based caps count the claims the
// StateStore recorded (leads routed to the rep by a rule, released or not;
// fallback records are not counted) by their routing instant. Days, weeks
// (Monday to Sunday) and months are the rep's local ones, in the zone of its
// schedule (else its `time_zone`, else UTC), so `max_per_day` resets at the
// rep's local midnight.
struct Capacity {
  // Hard cap on open leads (assigned and not released). No cap when unset.
  std::optional<int> max_open{};
  std::optional<int> max_per_day{};
  std::optional<int> max_per_week{};
  std::optional<int> max_per_month{};
  std::optional<RollingCap> max_in_window{};

  // Whether any time-based cap is set.
  bool timed() const noexcept {
    return max_per_day || max_per_week || max_per_month || max_in_window;
  }
};

// One working block of a day, in the schedule's local wall-clock time:
// "HH:MM" from 00:00 to 24:00. A block whose `end` is not after its `start`
// crosses midnight and ends on the next day; it still belongs to the day it
// starts (a holiday on that day cancels all of it, one on the next day none).
struct TimeBlock {
  std::string start{};  // "09:00"
  std::string end{};    // "17:30"; "24:00" = midnight at the end of the day
};

// Time off. Either both ends are local dates "YYYY-MM-DD" (whole days, both
// inclusive, in the schedule's time zone: every block belonging to those
// days is cancelled) or both are RFC 3339 instants (`from` inclusive, `to`
// exclusive).
struct OutOfOffice {
  std::string from{};
  std::string to{};
  std::string note{};  // free text for people; not used in routing
};

// When a rep works, in wall-clock time of an IANA time zone. A rep is on
// schedule at instant t when t, converted to that zone, falls inside a
// working block of a day that is neither a holiday nor out of office, and t
// is in no out-of-office instant range. Wall-clock times that a DST change
// skips never occur (a block inside the missing hour has no instant); a
// repeated hour occurs twice (a block across it lasts an hour longer).
struct Schedule {
  // IANA name; empty: the rep's `time_zone`, or UTC when that is empty too.
  std::string time_zone{};
  // Working blocks by day, Monday first. nullopt: every day, all day
  // (holidays and out of office still apply). A day with no blocks is off.
  std::optional<std::array<std::vector<TimeBlock>, 7>> weekly{};
  // Whole local days off, "YYYY-MM-DD".
  std::vector<std::string> holidays{};
  std::vector<OutOfOffice> out_of_office{};
};

struct Rep {
  std::string id{};     // unique within a RuleSet; the owner id in decisions
  std::string name{};   // display name
  std::string email{};  // optional; `field_owner` accepts it in place of the id
  std::vector<std::string> teams{};  // team ids this rep belongs to
  std::string tier{};  // seniority label used by band steps, e.g. "senior"
  double weight = 1;   // share for weighted round robin and random; > 0
  // Attribute lists matched by the filter strategies. Entries compare
  // ASCII-case-insensitively; "*" matches every value.
  std::vector<std::string> territories{};  // "DE", "US-CA", "US:94*"
  std::vector<std::string> industries{};
  std::vector<std::string> products{};
  std::vector<std::string> languages{};
  // Custom attributes for `match`, e.g. {"skills.technical", 3}.
  std::map<std::string, Value, std::less<>> attributes{};
  Capacity capacity{};
  // IANA time zone name, e.g. "Europe/Berlin"; validated against the tz
  // database. The default zone of `schedule` and of local-midnight caps.
  std::string time_zone{};
  // Working hours and time off, checked by the `availability` step. nullopt:
  // always on schedule.
  std::optional<Schedule> schedule{};
  // An inactive rep is in no pool and never receives a lead.
  bool active = true;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_REP_H_
