// The implementation behind the public StepParams: a view of one JSON object
// of a step's parameters that records errors and the keys a factory read.
#ifndef LEADROUTE_CONFIG_STEP_PARAMS_H_
#define LEADROUTE_CONFIG_STEP_PARAMS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/json_util.h"
#include "leadroute/strategy.h"

namespace leadroute::internal {

// Shared by every StepParams of one step.
struct StepParamsState {
  Json document;  // the step's parameter object (owns the JSON)
  std::vector<ConfigError> errors;
  struct Seen {
    const Json* object;
    std::set<std::string, std::less<>> known;
  };
  std::map<std::string, Seen, std::less<>> objects;  // by JSON Pointer
};

// Builds the root StepParams of a step over `state->document` at `path`.
StepParams MakeStepParams(std::shared_ptr<StepParamsState> state,
                          std::string path);

// Appends an error for every key of every object the factory looked at (the
// root always) that it never asked about.
void ReportUnknownKeys(StepParamsState& state);

}  // namespace leadroute::internal

#endif  // LEADROUTE_CONFIG_STEP_PARAMS_H_
