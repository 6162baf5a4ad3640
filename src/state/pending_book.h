// The in-memory store's pending leads (offers and pools,
// leadroute/offer.h) and their part of the saved-state document.
//
// Not thread-safe: the store guards it with its mutex, except `size()`,
// which Route reads without the lock so that a store with nothing pending
// costs one atomic load per route.
#ifndef LEADROUTE_STATE_PENDING_BOOK_H_
#define LEADROUTE_STATE_PENDING_BOOK_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/json_util.h"
#include "leadroute/state_store.h"
#include "leadroute/status.h"
#include "util/text.h"

namespace leadroute::internal {

class PendingBook {
 public:
  // Lock-free: how many leads are pending (exact under the store's lock).
  size_t size() const noexcept { return size_.load(std::memory_order_acquire); }

  // The entry with this offer id or lead id; nullptr when none.
  const PendingLead* Find(std::string_view offer_or_lead_id) const;
  // Keeps a new entry for `decision.lead_id` (which must not be pending),
  // assigning its sequence and offer id. May throw (allocation) before it
  // changes anything.
  const PendingLead& Add(Assignment decision, const Lead& lead);
  // Removes the entry of `lead_id`; nullopt when it had none. Moves only:
  // never allocates.
  std::optional<PendingLead> Erase(std::string_view lead_id) noexcept;
  // Every entry, oldest first (routed_at, then sequence).
  std::vector<PendingLead> List() const;
  // Replaces every entry (LoadSnapshot: `entries` were validated). The next
  // sequence continues after the largest loaded one.
  void Replace(std::vector<PendingLead> entries);

 private:
  // By lead id.
  std::unordered_map<std::string, PendingLead, StringHash, std::equal_to<>>
      entries_;
  // Offer id -> lead id.
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>
      offers_;
  uint64_t sequence_ = 0;  // last handed out
  std::atomic<size_t> size_{0};
};

// The "pending" array of the saved state, sorted by sequence.
OrderedJson PendingToJson(const std::vector<PendingLead>& entries);

// Reads the "pending" array at `path` ("/pending"), validating every field
// with its JSON Pointer into `errors`. A lead in `decided` (the document's
// "leads") may not also be pending.
std::vector<PendingLead> ReadPendingJson(
    const OrderedJson& array, const std::string& path,
    const std::unordered_set<std::string>& decided,
    std::vector<ConfigError>& errors);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STATE_PENDING_BOOK_H_
