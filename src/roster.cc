#include "leadroute/roster.h"

#include <atomic>

#include "compile/roster_builder.h"
#include "util/text.h"

LEADROUTE_NAMESPACE_BEGIN

RepIndex Roster::Find(std::string_view id) const noexcept {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? kNoRep : it->second;
}

RepIndex Roster::FindByEmail(std::string_view email) const noexcept {
  // Emails are stored lower-cased; probe with a lower-cased copy on the
  // stack (addresses are short; longer ones cannot be stored reps' emails).
  char buffer[256];
  if (email.size() > sizeof(buffer)) return kNoRep;
  for (size_t i = 0; i < email.size(); ++i) {
    buffer[i] = internal::AsciiLower(email[i]);
  }
  auto it = by_email_.find(std::string_view(buffer, email.size()));
  return it == by_email_.end() ? kNoRep : it->second;
}

const CandidateSet* Roster::team(std::string_view team_id) const noexcept {
  auto it = team_members_.find(team_id);
  return it == team_members_.end() ? nullptr : &it->second;
}

LEADROUTE_NAMESPACE_END

namespace leadroute::internal {

std::unique_ptr<Roster> RosterBuilder::Build(const std::vector<Rep>& reps,
                                             const std::vector<Team>& teams) {
  static std::atomic<uint64_t> next_uid{1};
  std::unique_ptr<Roster> roster(new Roster());
  roster->uid_ = next_uid.fetch_add(1, std::memory_order_relaxed);
  roster->reps_ = reps;
  roster->teams_ = teams;
  roster->active_ = CandidateSet(reps.size());
  for (const auto& team : teams) {
    roster->team_members_.emplace(team.id, CandidateSet(reps.size()));
  }
  for (RepIndex i = 0; i < reps.size(); ++i) {
    const Rep& rep = reps[i];
    roster->by_id_.emplace(rep.id, i);
    if (!rep.email.empty() && rep.email.size() <= 256) {
      roster->by_email_.emplace(ToLower(rep.email), i);
    }
    if (!rep.active) continue;
    roster->active_.set(i);
    for (const auto& t : rep.teams) {
      auto it = roster->team_members_.find(t);
      if (it != roster->team_members_.end()) it->second.set(i);
    }
  }
  return roster;
}

}  // namespace leadroute::internal
