// A/B experiments (docs/cookbook/experiments.md): an `experiment` step
// splits a rule's leads into named variants by a stable hash of a salt and
// the lead id, each variant with its own steps. This file reads the step and
// assigns buckets; the compiler (compile/compiled_rule_set.cc) builds one
// full step list per variant and the trip (trip.cc) runs the lead's.
#ifndef LEADROUTE_COMPILE_EXPERIMENT_H_
#define LEADROUTE_COMPILE_EXPERIMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/rule.h"
#include "leadroute/status.h"

namespace leadroute::internal {

// The step name the compiler recognises before the strategy registry: a
// host strategy registered under this name is never reached.
inline constexpr std::string_view kExperimentStrategy = "experiment";

// Buckets of the split: one per basis point (0.01 percentage point), the
// finest share a config can state.
inline constexpr uint32_t kExperimentBuckets = 10000;

// One variant as configured: its steps are not compiled yet.
struct ExperimentVariantSpec {
  std::string name;
  uint32_t share = 0;       // basis points; the shares sum to 10000
  std::vector<Step> steps;  // in config order; may be empty
  std::string path;         // ".../variants/<v>", for step paths
};

// An experiment step as configured, checked.
struct ExperimentSpec {
  std::string id;
  std::string salt;  // the id when the config names none
  std::vector<ExperimentVariantSpec> variants;
};

// Reads the experiment step at `path` (`step.params` holds its keys other
// than "strategy"). Appends every problem to `errors` with its JSON Pointer
// and returns nullopt when there was any.
std::optional<ExperimentSpec> ParseExperiment(const Step& step,
                                              const std::string& path,
                                              std::vector<ConfigError>& errors);

// The hash state of `salt` followed by a NUL byte: computed once per rule so
// that a route hashes only the lead id.
uint64_t ExperimentSeed(std::string_view salt) noexcept;

// The lead's bucket in [0, kExperimentBuckets): FNV-1a 64 of salt, "\0" and
// the lead id, through the splitmix64 finaliser (FNV-1a's low bits follow
// the last bytes too closely for ids that differ only in a counter), modulo
// 10000. Depends on nothing but the salt and the id.
uint32_t ExperimentBucket(uint64_t seed, std::string_view lead_id) noexcept;

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_EXPERIMENT_H_
