// Rep: a sales rep who can own leads, and the presence states a host reports.
//
// A Rep is configuration: part of a RuleSet, immutable once compiled. Live
// state (presence, open load) lives in the StateStore, keyed by rep id.
#ifndef LEADROUTE_REP_H_
#define LEADROUTE_REP_H_

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

// Limits on how much a rep may own.
struct Capacity {
  // Hard cap on open leads (assigned and not released). No cap when unset.
  // Enforced on every claim, whatever the rule's steps say.
  std::optional<int> max_open{};
};

struct Rep {
  std::string id{};     // unique within a RuleSet; the owner id in decisions
  std::string name{};   // display name
  std::string email{};  // optional; `field_owner` accepts it in place of the id
  std::vector<std::string> teams{};  // team ids this rep belongs to
  std::string tier{};   // seniority label used by band steps, e.g. "senior"
  double weight = 1;  // share for weighted round robin and random; > 0
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
  // database. Reported in summaries; schedules are not evaluated yet.
  std::string time_zone{};
  // An inactive rep is in no pool and never receives a lead.
  bool active = true;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_REP_H_
