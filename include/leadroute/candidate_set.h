// CandidateSet: a bitset over a compiled RuleSet's rep indexes 0..N-1.
//
// Filters narrow it with a bitwise AND against precomputed sets; pickers scan
// only its set bits. Copying reuses the destination's storage when the sizes
// match, so routing allocates nothing in steady state. Not synchronised.
#ifndef LEADROUTE_CANDIDATE_SET_H_
#define LEADROUTE_CANDIDATE_SET_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// Index of a rep in a compiled RuleSet (its position in the roster).
using RepIndex = uint32_t;
inline constexpr RepIndex kNoRep = ~RepIndex{0};

class CandidateSet {
 public:
  CandidateSet() = default;
  // `size` reps, all unset (or all set when `all`).
  explicit CandidateSet(size_t size, bool all = false)
      : size_(size), words_((size + 63) / 64, 0) {
    if (all) SetAll();
  }

  size_t size() const noexcept { return size_; }
  bool test(RepIndex i) const noexcept {
    return (words_[i >> 6] >> (i & 63)) & 1;
  }
  void set(RepIndex i) noexcept { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void reset(RepIndex i) noexcept {
    words_[i >> 6] &= ~(uint64_t{1} << (i & 63));
  }
  void Clear() noexcept {
    for (auto& w : words_) w = 0;
  }
  void SetAll() noexcept {
    for (auto& w : words_) w = ~uint64_t{0};
    if (size_ % 64 != 0 && !words_.empty()) {
      words_.back() = (uint64_t{1} << (size_ % 64)) - 1;
    }
  }
  bool empty() const noexcept {
    for (uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }
  size_t count() const noexcept {
    size_t n = 0;
    for (uint64_t w : words_) n += static_cast<size_t>(std::popcount(w));
    return n;
  }

  // REQUIRES: other.size() == size() for the set operations.
  CandidateSet& operator&=(const CandidateSet& other) noexcept {
    for (size_t k = 0; k < words_.size(); ++k) words_[k] &= other.words_[k];
    return *this;
  }
  CandidateSet& operator|=(const CandidateSet& other) noexcept {
    for (size_t k = 0; k < words_.size(); ++k) words_[k] |= other.words_[k];
    return *this;
  }
  // Removes every member of `other`.
  void Subtract(const CandidateSet& other) noexcept {
    for (size_t k = 0; k < words_.size(); ++k) words_[k] &= ~other.words_[k];
  }
  // True when the intersection with `other` is non-empty.
  bool Intersects(const CandidateSet& other) const noexcept {
    for (size_t k = 0; k < words_.size(); ++k) {
      if ((words_[k] & other.words_[k]) != 0) return true;
    }
    return false;
  }

  // The lowest member >= `from`, or kNoRep. Loop:
  //   for (RepIndex i = s.first(); i != kNoRep; i = s.next(i)) ...
  RepIndex first() const noexcept { return NextFrom(0); }
  RepIndex next(RepIndex i) const noexcept { return NextFrom(size_t{i} + 1); }

  // Calls fn(RepIndex) for every member in ascending order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t k = 0; k < words_.size(); ++k) {
      uint64_t w = words_[k];
      while (w != 0) {
        fn(static_cast<RepIndex>(k * 64 + std::countr_zero(w)));
        w &= w - 1;
      }
    }
  }

  friend bool operator==(const CandidateSet&, const CandidateSet&) = default;

 private:
  RepIndex NextFrom(size_t from) const noexcept {
    if (from >= size_) return kNoRep;
    size_t k = from >> 6;
    uint64_t w = words_[k] & (~uint64_t{0} << (from & 63));
    while (true) {
      if (w != 0) return static_cast<RepIndex>(k * 64 + std::countr_zero(w));
      if (++k == words_.size()) return kNoRep;
      w = words_[k];
    }
  }

  size_t size_ = 0;
  std::vector<uint64_t> words_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_CANDIDATE_SET_H_
