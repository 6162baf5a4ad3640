// Parameter readers shared by the filter factories (match.cc, territory.cc,
// bands.cc). They record their errors on the step, like the `StepParams`
// getters they wrap.
#ifndef LEADROUTE_STRATEGIES_FILTER_PARAMS_H_
#define LEADROUTE_STRATEGIES_FILTER_PARAMS_H_

#include <optional>
#include <string>
#include <string_view>

#include "leadroute/strategy.h"

namespace leadroute::internal {

// Reads "if_missing": "no_match" (the default) or "keep". True means a lead
// without the field keeps the candidates; anything else is an error.
bool ReadKeepIfMissing(const StepParams& params);

// Reads a name under `key`, `fallback` when the key is absent ("" = the key
// is required). Returns nullopt, with an error recorded, when the key is
// missing but required, is not a string, or is an empty string ("found an
// empty string, expected `what`").
std::optional<std::string> ReadName(const StepParams& params,
                                    std::string_view key,
                                    std::string_view fallback,
                                    std::string_view what);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STRATEGIES_FILTER_PARAMS_H_
