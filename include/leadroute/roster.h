// Roster: the reps of a compiled RuleSet, indexed 0..N-1 in config order.
//
// Strategies precompute their indexes against it at load and read it while
// routing. Immutable after compilation; safe to read from any thread.
#ifndef LEADROUTE_ROSTER_H_
#define LEADROUTE_ROSTER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leadroute/candidate_set.h"
#include "leadroute/export.h"
#include "leadroute/rep.h"
#include "leadroute/team.h"
#include "leadroute/version.h"

namespace leadroute::internal {
class RosterBuilder;
}  // namespace leadroute::internal

LEADROUTE_NAMESPACE_BEGIN

class LEADROUTE_EXPORT Roster {
 public:
  Roster(const Roster&) = delete;
  Roster& operator=(const Roster&) = delete;

  size_t size() const noexcept { return reps_.size(); }
  const Rep& rep(RepIndex i) const noexcept { return reps_[i]; }
  const std::string& id(RepIndex i) const noexcept { return reps_[i].id; }
  const std::vector<Rep>& reps() const noexcept { return reps_; }

  // The index of the rep with id `id` (exact), or kNoRep.
  RepIndex Find(std::string_view id) const noexcept;
  // The index of the rep whose email equals `email` caselessly, or kNoRep.
  RepIndex FindByEmail(std::string_view email) const noexcept;

  // Every active rep.
  const CandidateSet& active() const noexcept { return active_; }
  // The active members of team `team_id`, or nullptr for an unknown team.
  const CandidateSet* team(std::string_view team_id) const noexcept;
  const std::vector<Team>& teams() const noexcept { return teams_; }

  // Unique per compiled roster in this process; state stores key their
  // per-roster caches by it.
  uint64_t uid() const noexcept { return uid_; }

 private:
  friend class internal::RosterBuilder;
  Roster() = default;

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using IndexMap =
      std::unordered_map<std::string, RepIndex, StringHash, std::equal_to<>>;

  std::vector<Rep> reps_;
  std::vector<Team> teams_;
  IndexMap by_id_;
  IndexMap by_email_;  // lower-cased
  std::unordered_map<std::string, CandidateSet, StringHash, std::equal_to<>>
      team_members_;
  CandidateSet active_;
  uint64_t uid_ = 0;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ROSTER_H_
