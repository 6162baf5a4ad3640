// Rng: the seeded generator of the randomised tests (splitmix64). The same
// seed gives the same sequence with every standard library, unlike
// std::uniform_int_distribution, so a failing seed replays anywhere.
#ifndef LEADROUTE_TESTS_TESTING_RNG_H_
#define LEADROUTE_TESTS_TESTING_RNG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace leadroute::testing {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  int Below(int n) { return static_cast<int>(Next() % uint64_t(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Below(static_cast<int>(v.size())))];
  }
  // Each element of `from` with probability `percent`%.
  std::vector<std::string> Sample(const std::vector<std::string>& from,
                                  int percent) {
    std::vector<std::string> out;
    for (const auto& s : from) {
      if (Chance(percent)) out.push_back(s);
    }
    return out;
  }

 private:
  uint64_t state_;
};

}  // namespace leadroute::testing

#endif  // LEADROUTE_TESTS_TESTING_RNG_H_
