// Sizes and seeds of the randomized tests, from the environment, so that a
// failure replays from the seed it prints (docs/testing.md).
#ifndef LEADROUTE_TESTS_TESTING_SEEDS_H_
#define LEADROUTE_TESTS_TESTING_SEEDS_H_

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace leadroute::testing {

// The integer in environment variable `name`, or `fallback` when unset or
// empty.
inline int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v == nullptr || *v == '\0' ? fallback : std::atoi(v);
}

// The one seed in `seed_var` when set (a replay), else `count` seeds from
// `base` up.
inline std::vector<uint64_t> SeedsFromEnv(const char* seed_var, int count,
                                          uint64_t base = 1) {
  std::vector<uint64_t> seeds;
  const char* only = std::getenv(seed_var);
  if (only != nullptr && *only != '\0') {
    seeds.push_back(std::strtoull(only, nullptr, 10));
    return seeds;
  }
  for (int c = 0; c < count; ++c) seeds.push_back(base + uint64_t(c));
  return seeds;
}

}  // namespace leadroute::testing

#endif  // LEADROUTE_TESTS_TESTING_SEEDS_H_
