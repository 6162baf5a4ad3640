// Builders for the built-in strategies' steps, for RuleSets built in code.
//
// Each returns a `Step` whose parameters are the JSON object the config
// format would hold (docs/config.md), e.g.
//   rule.steps = {steps::Territory(), steps::Availability(),
//                 steps::RoundRobin({.weighted = true})};
#ifndef LEADROUTE_STEPS_H_
#define LEADROUTE_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/rep.h"
#include "leadroute/rule.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN
namespace steps {

// What a filter does with a lead that lacks its field (or has the wrong
// type): empty the candidates so `on_empty` decides, or keep them all.
enum class IfMissing : uint8_t { kNoMatch, kKeep };

struct RoundRobinOptions {
  bool weighted = false;  // smooth weighted round robin by Rep::weight
};
LEADROUTE_EXPORT Step RoundRobin(RoundRobinOptions options = {});
// relative: rank by open / max_open instead of open.
LEADROUTE_EXPORT Step LeastLoaded(bool relative = false);
// seed: overrides the RuleSet's settings.seed for this step.
LEADROUTE_EXPORT Step Random(std::optional<uint64_t> seed = std::nullopt);

LEADROUTE_EXPORT Step Territory(IfMissing if_missing = IfMissing::kNoMatch);
LEADROUTE_EXPORT Step Industry(IfMissing if_missing = IfMissing::kNoMatch);
LEADROUTE_EXPORT Step Product(IfMissing if_missing = IfMissing::kNoMatch);
LEADROUTE_EXPORT Step Language(IfMissing if_missing = IfMissing::kNoMatch);

// Generic `match`. `op` is "overlap" (default), "eq", "gt", "gte", "lt" or
// "lte"; the rep's `attribute` is compared with the lead's `field`.
struct MatchOptions {
  std::string field{};
  std::string attribute{};
  std::string op = "overlap";
  IfMissing if_missing = IfMissing::kNoMatch;
};
LEADROUTE_EXPORT Step Match(const MatchOptions& options);
// `match` against a constant: keeps reps whose `attribute` `op` `value`,
// e.g. MatchConstant("skills.technical", "gte", 3).
LEADROUTE_EXPORT Step MatchConstant(const std::string& attribute,
                                    const std::string& op, double value);

// One band: min inclusive, max exclusive; unset = open-ended.
struct Band {
  std::optional<double> min{};
  std::optional<double> max{};
  std::vector<std::string> tiers{};  // rep tiers allowed for this band
};
LEADROUTE_EXPORT Step Bands(const std::string& field,
                            const std::vector<Band>& bands,
                            IfMissing if_missing = IfMissing::kNoMatch);
LEADROUTE_EXPORT Step Score(const std::vector<Band>& bands);
LEADROUTE_EXPORT Step DealValue(const std::vector<Band>& bands);

struct AvailabilityOptions {
  std::vector<Presence> presence = {Presence::kAvailable};
  bool capacity = true;  // drop reps at max_open or at a time-based cap
  bool schedule = true;  // drop reps off their schedule at the routing instant
  // "next_rule", "fallback" or "relax_to_away".
  std::string when_nobody = "next_rule";
};
LEADROUTE_EXPORT Step Availability(const AvailabilityOptions& options = {});

// walk: "nearest" or "ultimate".
LEADROUTE_EXPORT Step Hierarchy(const std::string& walk = "nearest");
LEADROUTE_EXPORT Step FieldOwner(const std::string& field);

}  // namespace steps
LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_STEPS_H_
