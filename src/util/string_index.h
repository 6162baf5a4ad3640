// StringIndex: the string-keyed tables a RuleSet builds once and reads on
// every route (field names to slots, a territory's countries, a match
// step's values). Open addressing over a power-of-two slot array, each slot
// holding an entry's position and the high bits of its hash, so a lookup is
// one hash of the key, usually one slot, and one key comparison: no modulo
// by a prime and no chain of nodes, as in std::unordered_map.
//
// Built single-threaded (FindOrAdd), then read from any number of threads
// (Find). Entries keep their insertion order and never move once the build
// is done; `Hash` and `Equal` must agree (e.g. CaselessHash and
// CaselessEqual).
#ifndef LEADROUTE_UTIL_STRING_INDEX_H_
#define LEADROUTE_UTIL_STRING_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadroute::internal {

template <typename T, typename Hash, typename Equal>
class StringIndex {
 public:
  struct Entry {
    std::string key;
    T value;
  };

  // The value stored for `key`, or nullptr.
  const T* Find(std::string_view key) const noexcept {
    if (slots_.empty()) return nullptr;
    const uint64_t h = Hash()(key);
    const auto tag = static_cast<uint32_t>(h);
    for (size_t i = Home(h);; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.entry == 0) return nullptr;
      if (slot.tag == tag) {
        const Entry& entry = entries_[slot.entry - 1];
        if (Equal()(entry.key, key)) return &entry.value;
      }
    }
  }
  T* Find(std::string_view key) noexcept {
    return const_cast<T*>(std::as_const(*this).Find(key));
  }

  // The value for `key`; when there is none, adds one built from `args`.
  template <typename... Args>
  T& FindOrAdd(std::string_view key, Args&&... args) {
    if (T* found = Find(key)) return *found;
    entries_.push_back(Entry{std::string(key), T(std::forward<Args>(args)...)});
    // At most half full, so that a missing key meets an empty slot soon.
    if (entries_.size() * 2 > slots_.size()) {
      Rehash(slots_.empty() ? 8 : slots_.size() * 2);
    } else {
      Place(entries_.size() - 1);
    }
    return entries_.back().value;
  }

  bool empty() const noexcept { return entries_.empty(); }
  size_t size() const noexcept { return entries_.size(); }
  // The entries in insertion order.
  std::vector<Entry>& entries() noexcept { return entries_; }
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  struct Slot {
    uint32_t entry = 0;  // position in entries_ + 1; 0 = empty
    uint32_t tag = 0;    // the low 32 bits of the key's hash
  };

  // The first slot to probe: the top bits of the hash times 2^64 / phi
  // (Fibonacci hashing), which spreads keys whose hashes differ only in a
  // few bits, as FNV-1a's do for keys differing in their last character.
  size_t Home(uint64_t h) const noexcept {
    return static_cast<size_t>((h * 0x9e3779b97f4a7c15ULL) >> shift_);
  }

  void Rehash(size_t size) {
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    shift_ = 64;
    for (size_t n = size; n > 1; n >>= 1) --shift_;
    for (size_t e = 0; e < entries_.size(); ++e) Place(e);
  }

  void Place(size_t e) noexcept {
    const uint64_t h = Hash()(entries_[e].key);
    size_t i = Home(h);
    while (slots_[i].entry != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<uint32_t>(e + 1), static_cast<uint32_t>(h)};
  }

  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;  // 64 - log2(slots_.size())
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_UTIL_STRING_INDEX_H_
