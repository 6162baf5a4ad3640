#include "strategies/filter_params.h"

#include <fmt/format.h>

namespace leadroute::internal {

bool ReadKeepIfMissing(const StepParams& params) {
  std::optional<std::string> v = params.String("if_missing");
  if (!v || *v == "no_match") return false;
  if (*v == "keep") return true;
  params.Error(
      "if_missing",
      fmt::format("found \"{}\", expected \"no_match\" or \"keep\"", *v));
  return false;
}

std::optional<std::string> ReadName(const StepParams& params,
                                    std::string_view key,
                                    std::string_view fallback,
                                    std::string_view what) {
  std::optional<std::string> v =
      params.String(key, fallback.empty() ? StepParams::Need::kRequired
                                          : StepParams::Need::kOptional);
  if (!v) {
    // Absent and optional: the fallback. Present with the wrong type, or
    // absent and required: String recorded the error.
    if (fallback.empty() || params.Has(key)) return std::nullopt;
    return std::string(fallback);
  }
  if (v->empty()) {
    params.Error(key, fmt::format("found an empty string, expected {}", what));
    return std::nullopt;
  }
  return v;
}

}  // namespace leadroute::internal
