// leadroute: the whole public API in one include.
#ifndef LEADROUTE_LEADROUTE_H_
#define LEADROUTE_LEADROUTE_H_

#include "leadroute/account_directory.h"
#include "leadroute/assignment.h"
#include "leadroute/candidate_set.h"
#include "leadroute/condition.h"
#include "leadroute/lead.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "leadroute/roster.h"
#include "leadroute/router.h"
#include "leadroute/rule.h"
#include "leadroute/rule_set.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
#include "leadroute/steps.h"
#include "leadroute/strategy.h"
#include "leadroute/team.h"
#include "leadroute/trace.h"
#include "leadroute/value.h"
#include "leadroute/version.h"

#endif  // LEADROUTE_LEADROUTE_H_
