// KeyIndex: the in-memory store's sticky key index (StateStore::RememberKeys
// and LookupKey; docs/cookbook/sticky.md): key name -> normalised value ->
// the rep who last got a lead with that value, and when.
//
// It has its own reader/writer lock, so a `sticky` lookup on the route never
// waits for a Claim, and lookups run in parallel. Growth is bounded lazily:
// when the index has doubled since the last sweep, entries not renewed
// within the retention (the longest window any RememberKeys call asked for)
// are dropped, measured from the latest instant remembered.
//
// Also its part of the saved-state document: the optional "sticky" array
// (docs/lifecycle.md).
#ifndef LEADROUTE_STATE_KEY_INDEX_H_
#define LEADROUTE_STATE_KEY_INDEX_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/json_util.h"
#include "leadroute/clock.h"
#include "leadroute/roster.h"
#include "leadroute/state_store.h"
#include "util/text.h"

namespace leadroute::internal {

// One remembered key value, as saved state carries it.
struct StickyRecord {
  std::string key;    // "email", "domain", "account" or "field:<name>"
  std::string value;  // normalised
  std::string rep;    // rep id
  Instant at{};
  friend bool operator==(const StickyRecord&, const StickyRecord&) = default;
};

class KeyIndex {
 public:
  // The contents, built apart from the index (LoadSnapshot builds them
  // before it commits anything).
  class Contents {
   public:
    // Adds `record`, replacing an entry for the same key and value.
    void Add(StickyRecord record);
    size_t size() const noexcept { return size_; }

   private:
    friend class KeyIndex;
    struct Entry {
      std::string rep;
      Instant at{};
    };
    using Values =
        std::unordered_map<std::string, Entry, StringHash, std::equal_to<>>;
    std::unordered_map<std::string, Values, StringHash, std::equal_to<>>
        by_key_;
    size_t size_ = 0;
  };

  // StateStore::RememberKeys. Never throws: out of memory drops the keys.
  void Remember(std::span<const StickyKey> keys, std::string_view rep_id,
                Instant at, std::chrono::seconds retention) noexcept;
  // StateStore::LookupKey: allocation-free, under the shared lock.
  std::optional<StickyEntry> Lookup(const Roster& roster, std::string_view key,
                                    std::string_view value) const noexcept;
  // Every entry, for saved state (order unspecified).
  std::vector<StickyRecord> Records() const;
  // Replaces the contents (LoadSnapshot's commit); never throws.
  void Replace(Contents& contents) noexcept;
  size_t size() const noexcept;

 private:
  // Drops entries older than the retention when the index has doubled
  // since the last sweep. REQUIRES: mu_ held exclusively.
  void MaybePrune() noexcept;

  mutable std::shared_mutex mu_;
  Contents contents_;
  std::chrono::seconds retention_{0};  // the longest asked for; 0: none yet
  Instant newest_{};                   // the latest instant remembered
  size_t sweep_at_ = kMinSweep;        // size that triggers the next sweep
  static constexpr size_t kMinSweep = 1024;
};

// The "sticky" array of saved state: [{"key", "value", "rep", "at"}],
// sorted by key, then value, so that equal indexes give equal text.
OrderedJson StickyJson(std::vector<StickyRecord> records);

// Reads the "sticky" array `json` at JSON Pointer `path` into `out`,
// appending an error with its JSON Pointer for every bad entry (unknown
// member, a key that is not "email", "domain", "account" or "field:<name>",
// an empty or unnormalised value, an empty rep, a bad instant, a duplicate
// key and value).
void ReadStickyJson(const OrderedJson& json, const std::string& path,
                    std::vector<StickyRecord>& out,
                    std::vector<ConfigError>& errors);

}  // namespace leadroute::internal

#endif  // LEADROUTE_STATE_KEY_INDEX_H_
