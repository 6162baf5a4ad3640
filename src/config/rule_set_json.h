// The RuleSet JSON format (docs/config.md) to and from RuleSetConfig.
//
// Parsing checks structure and types only: unknown keys, wrong JSON types,
// missing required keys, the shape of conditions and of the fallback.
// Semantic checks (references, duplicate ids, ranges, strategies and their
// parameters, time zones, a missing fallback) belong to the compile stage
// (src/compile/), which runs on the config returned here.
#ifndef LEADROUTE_CONFIG_RULE_SET_JSON_H_
#define LEADROUTE_CONFIG_RULE_SET_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "leadroute/rule_set.h"
#include "leadroute/status.h"

namespace leadroute::internal {

// Parses `json` into a RuleSetConfig, appending to `errors` every structural
// problem found, each with the JSON Pointer of the offending value (for a
// missing required key, the pointer the key would have) and a message saying
// what was found and what was expected. Malformed JSON gives one error at ""
// naming the line and column.
//
// Always returns the config as far as it could be read, so that the compile
// stage can still report its own errors. Partial configs are shaped so that
// it does so without cascades and at the right paths:
//   - every element of `teams`, `reps` and `rules` is kept, so indexes match
//     the document's; an element whose `id` is unreadable (missing, not a
//     string, empty) or that is not an object gets its JSON Pointer as a
//     placeholder id ("/reps/3");
//   - a value of the wrong type is dropped (the field keeps its default);
//   - a malformed condition becomes `Condition::Always()`;
//   - a malformed `fallback` becomes the queue "/fallback"; an absent one
//     stays nullopt (the compile stage reports it);
//   - a step whose `strategy` is unreadable keeps an empty strategy name.
RuleSetConfig ParseRuleSetJson(std::string_view json,
                               std::vector<ConfigError>& errors);

// The canonical JSON text of `config`: compact, keys in a fixed order
// (documented order for the format's own keys, sorted for step parameters
// and rep attributes), values equal to their defaults omitted. Equal configs
// give equal text; ParseRuleSetJson(RuleSetConfigToJson(c)) == c for every
// config that ParseRuleSetJson can produce without errors.
std::string RuleSetConfigToJson(const RuleSetConfig& config);

}  // namespace leadroute::internal

#endif  // LEADROUTE_CONFIG_RULE_SET_JSON_H_
