// Team: a named group of reps, used as a rule's pool.
#ifndef LEADROUTE_TEAM_H_
#define LEADROUTE_TEAM_H_

#include <string>

#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// Membership is declared on the rep (`Rep::teams`); a team lists no members.
struct Team {
  std::string id{};    // unique within a RuleSet
  std::string name{};  // display name
  // The rep who takes this team's leads on a `team_lead` SLA escalation;
  // empty: none. Must be a rep of the RuleSet; need not be a member.
  std::string lead{};
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_TEAM_H_
