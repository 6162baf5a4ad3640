#include "util/string_index.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "util/text.h"

namespace leadroute::internal {
namespace {

using ExactIndex = StringIndex<int, StringHash, std::equal_to<>>;
using CaselessIndex = StringIndex<int, CaselessHash, CaselessEqual>;

TEST(StringIndex, EmptyIndexFindsNothing) {
  const ExactIndex index;
  EXPECT_EQ(index.Find(""), nullptr);
  EXPECT_EQ(index.Find("x"), nullptr);
  EXPECT_TRUE(index.empty());
}

TEST(StringIndex, FindOrAddAddsOnceAndKeepsTheFirstValue) {
  ExactIndex index;
  index.FindOrAdd("de", 1) += 10;
  EXPECT_EQ(index.FindOrAdd("de", 2), 11);
  EXPECT_EQ(index.size(), 1u);
  ASSERT_NE(index.Find("de"), nullptr);
  EXPECT_EQ(*index.Find("de"), 11);
  EXPECT_EQ(index.Find("DE"), nullptr);  // exact keys
  EXPECT_EQ(index.Find("d"), nullptr);
  EXPECT_EQ(index.Find("de "), nullptr);
}

// Thousands of keys that differ only in their last characters (FNV-1a's
// weak bits), through every growth of the slot array: each is found with
// its own value, keys never added are not, and the entries keep their
// insertion order.
TEST(StringIndex, FindsEveryKeyThroughGrowth) {
  ExactIndex index;
  for (int i = 0; i < 5000; ++i) {
    index.FindOrAdd("lead-" + std::to_string(i), i);
    // The key just added and the first one stay reachable after a rehash.
    ASSERT_EQ(*index.Find("lead-" + std::to_string(i)), i);
    ASSERT_EQ(*index.Find("lead-0"), 0);
  }
  for (int i = 0; i < 5000; ++i) {
    const int* found = index.Find("lead-" + std::to_string(i));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(*found, i);
    EXPECT_EQ(index.Find("lead-" + std::to_string(i + 5000)), nullptr);
    EXPECT_EQ(index.entries()[i].key, "lead-" + std::to_string(i));
  }
}

TEST(StringIndex, CaselessKeysMatchInAnyCase) {
  CaselessIndex index;
  index.FindOrAdd("Financial-Services", 7);
  EXPECT_EQ(index.FindOrAdd("FINANCIAL-services", 8), 7);
  ASSERT_NE(index.Find("financial-SERVICES"), nullptr);
  EXPECT_EQ(*index.Find("financial-SERVICES"), 7);
  EXPECT_EQ(index.Find("financial services"), nullptr);
  // The key is kept as first added.
  EXPECT_EQ(index.entries().front().key, "Financial-Services");
}

}  // namespace
}  // namespace leadroute::internal
