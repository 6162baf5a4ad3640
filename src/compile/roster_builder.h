// RosterBuilder: builds the compiled rep table of a RuleSet.
#ifndef LEADROUTE_COMPILE_ROSTER_BUILDER_H_
#define LEADROUTE_COMPILE_ROSTER_BUILDER_H_

#include <memory>
#include <vector>

#include "leadroute/rep.h"
#include "leadroute/roster.h"
#include "leadroute/team.h"

namespace leadroute::internal {

class RosterBuilder {
 public:
  // REQUIRES: rep ids unique (validated before).
  static std::unique_ptr<Roster> Build(const std::vector<Rep>& reps,
                                       const std::vector<Team>& teams);
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_ROSTER_BUILDER_H_
