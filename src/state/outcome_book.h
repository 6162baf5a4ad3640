// OutcomeBook: the outcomes credited to each rep, overall and per segment
// ("field=value"), as the in-memory store keeps them for the `performance`
// picker; and their part of the saved-state document (an optional
// "outcomes" array, see docs/lifecycle.md).
//
// Reads take a shared lock and never allocate (lookups by string_view), so
// any number of routes read concurrently; a credit takes the lock
// exclusively for a few increments.
#ifndef LEADROUTE_STATE_OUTCOME_BOOK_H_
#define LEADROUTE_STATE_OUTCOME_BOOK_H_

#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/json_util.h"
#include "leadroute/outcome.h"
#include "leadroute/status.h"
#include "util/text.h"

namespace leadroute::internal {

// One (rep, segment) tally of saved state; `segment` empty: the rep overall.
struct OutcomeEntry {
  std::string rep;
  std::string segment;
  OutcomeStats stats;
  friend bool operator==(const OutcomeEntry&, const OutcomeEntry&) = default;
};

class OutcomeBook {
 public:
  // Zeros when nothing was credited.
  OutcomeStats Get(std::string_view rep,
                   std::string_view segment) const noexcept;

  // Adds `outcome` to `rep` overall and to each of `segments` (full
  // "field=value" keys). Either everything is credited or, when allocating
  // a new entry throws, nothing is.
  void Credit(std::string_view rep, std::span<const std::string> segments,
              const Outcome& outcome);

  // Every non-zero tally, sorted by rep then segment (overall first).
  std::vector<OutcomeEntry> Entries() const;

  // Saved state loads in two steps so that the store can commit everything
  // at once: Stage builds the tallies of `entries` (may throw), Commit
  // swaps them in (cannot fail).
  class Staged;
  static Staged Stage(const std::vector<OutcomeEntry>& entries);
  void Commit(Staged& staged) noexcept;

 private:
  using Tallies = std::unordered_map<std::string, OutcomeStats, StringHash,
                                     std::equal_to<>>;
  struct RepTallies {
    OutcomeStats overall;
    Tallies segments;
  };
  using Book =
      std::unordered_map<std::string, RepTallies, StringHash, std::equal_to<>>;

 public:
  class Staged {
   private:
    friend class OutcomeBook;
    Book book_;
  };

 private:
  mutable std::shared_mutex mu_;
  Book reps_;
};

// The "outcomes" array of saved state for `entries` (already sorted).
OrderedJson OutcomesJson(std::span<const OutcomeEntry> entries);

// Reads the "outcomes" array `json` at JSON Pointer `path` into `out`,
// appending an error with its JSON Pointer for every bad entry (unknown
// key, empty rep, a segment that is not "field=value", a negative or
// non-integer count, a negative or non-finite value, a duplicate).
void ReadOutcomesJson(const OrderedJson& json, const std::string& path,
                      std::vector<OutcomeEntry>& out,
                      std::vector<ConfigError>& errors);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STATE_OUTCOME_BOOK_H_
