// The saved-state document (docs/lifecycle.md, "Saved state"): a plain copy
// of a state store's contents and its JSON form. Kept apart from the store
// so that the store holds only live state and its locking.
#ifndef LEADROUTE_STATE_STATE_SNAPSHOT_H_
#define LEADROUTE_STATE_STATE_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/json_util.h"
#include "leadroute/clock.h"
#include "leadroute/rep.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
#include "state/key_index.h"
#include "state/outcome_book.h"

namespace leadroute::internal {

// The only document version this build reads and writes.
inline constexpr int kStateFormatVersion = 1;

struct StateData {
  struct RepEntry {
    std::string id;
    Presence presence = Presence::kAvailable;
    int32_t open = 0;
    std::vector<Instant> claims;  // in claim order
  };
  struct RotationRep {
    std::string id;
    uint64_t last_seq = 0;
    double current = 0;
    int64_t period = 0;         // catch-up period of `period_claims`
    int64_t period_claims = 0;  // 0: not written
  };
  struct RotationEntry {
    std::string key;
    std::optional<uint64_t> rng;  // splitmix64 state once drawn
    std::vector<RotationRep> reps;
  };

  uint64_t sequence = 0;  // the last rotation sequence number handed out
  std::vector<RepEntry> reps;
  std::vector<RotationEntry> rotations;
  std::vector<LeadRecord> leads;
  // Optional "outcomes" (state/outcome_book.h): written only when non-empty.
  std::vector<OutcomeEntry> outcomes;
  // Optional "pending" (state/pending_book.h): leads waiting for a claim;
  // written only when non-empty.
  std::vector<PendingLead> pending;
  // Optional "sticky" (state/key_index.h): the sticky key index; written
  // only when non-empty, sorted by key then value.
  std::vector<StickyRecord> sticky;
};

// An instant as every section of the document writes it: RFC 3339 UTC,
// always with milliseconds.
std::string StateInstantText(Instant t);
// A uint64 as the document writes it: a number up to 2^53, beyond that a
// decimal string (a reader with double-only numbers would round it).
OrderedJson StateU64Json(uint64_t v);

// The document for `data`, with reps, rotations and leads sorted by id so
// that equal states give equal text. Never fails on finite values; a
// non-finite rotation weight is an error (kInternal).
Result<std::string> WriteStateJson(const StateData& data);

// Parses and validates a whole document. kInvalidArgument listing every
// problem at its JSON Pointer; a wrong "format" or an unknown "version" is
// reported alone.
Result<StateData> ReadStateJson(std::string_view json);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STATE_STATE_SNAPSHOT_H_
