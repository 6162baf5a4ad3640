// Outcome: how an open lead ended (converted or lost, with the deal value),
// as recorded by `Router::RecordOutcome`, and the per-rep tallies the
// `performance` picker weights reps by (docs/cookbook/performance.md).
#ifndef LEADROUTE_OUTCOME_H_
#define LEADROUTE_OUTCOME_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

enum class OutcomeKind : uint8_t {
  kConverted,  // the lead became a customer (a won deal)
  kLost,       // the lead was closed without a deal
};

// "converted" or "lost".
LEADROUTE_EXPORT std::string_view OutcomeKindName(OutcomeKind kind) noexcept;
// The kind named `name` (as OutcomeKindName spells it), else nullopt.
LEADROUTE_EXPORT std::optional<OutcomeKind> ParseOutcomeKind(
    std::string_view name) noexcept;

// How one lead ended.
struct Outcome {
  OutcomeKind kind = OutcomeKind::kLost;
  // The deal value when converted (any currency unit, the same for every
  // outcome). Must be finite and >= 0; a lost lead normally carries 0.
  double value = 0;

  static Outcome Converted(double value = 0) noexcept {
    return {OutcomeKind::kConverted, value};
  }
  static Outcome Lost() noexcept { return {OutcomeKind::kLost, 0}; }
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// The outcomes credited to one rep, overall or within one segment.
struct OutcomeStats {
  int64_t converted = 0;
  int64_t lost = 0;
  double value = 0;  // the sum of the recorded values

  int64_t leads() const noexcept { return converted + lost; }
  friend bool operator==(const OutcomeStats&, const OutcomeStats&) = default;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_OUTCOME_H_
