#include "leadroute/clock.h"

#include <gtest/gtest.h>

#include <chrono>

#include "leadroute/testing.h"

namespace leadroute {
namespace {

using std::chrono::milliseconds;

int64_t Millis(std::optional<Instant> t) {
  return t ? static_cast<int64_t>(t->time_since_epoch().count()) : -1;
}

TEST(ParseInstant, AcceptsRfc3339WithZOrOffset) {
  EXPECT_EQ(Millis(ParseInstant("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(Millis(ParseInstant("2024-03-10T07:30:00Z")), 1710055800000);
  EXPECT_EQ(Millis(ParseInstant("2024-03-10T02:30:00-05:00")), 1710055800000);
  EXPECT_EQ(Millis(ParseInstant("2024-03-10T13:00:00+05:30")), 1710055800000);
  EXPECT_EQ(Millis(ParseInstant("2024-03-10t07:30:00.25z")), 1710055800250);
  EXPECT_EQ(Millis(ParseInstant("2024-03-10 07:30:00.123456Z")), 1710055800123);
}

TEST(ParseInstant, RejectsEverythingElse) {
  for (const char* bad :
       {"", "2024-03-10", "2024-03-10T07:30:00", "2024-03-10T07:30Z",
        "2024-02-30T00:00:00Z", "2024-03-10T24:00:00Z",
        "2024-03-10T07:30:00+0500", "2024-03-10T07:30:00.Z",
        "2024-03-10T07:30:00Zjunk", "yesterday", "2024-13-01T00:00:00Z",
        "+2024-03-10T07:30:00Z"}) {
    EXPECT_FALSE(ParseInstant(bad).has_value()) << bad;
  }
}

TEST(FormatInstant, RoundTrips) {
  EXPECT_EQ(FormatInstant(*ParseInstant("2024-03-10T02:30:00-05:00")),
            "2024-03-10T07:30:00Z");
  EXPECT_EQ(FormatInstant(*ParseInstant("2024-03-10T07:30:00.5Z")),
            "2024-03-10T07:30:00.500Z");
}

TEST(SystemClock, IsAfter2020) {
  EXPECT_GT(SystemClock()->Now(), *ParseInstant("2020-01-01T00:00:00Z"));
  EXPECT_EQ(SystemClock()->Name(), "system");
}

TEST(FakeClock, SetsAndAdvances) {
  testing::FakeClock clock(*ParseInstant("2024-01-01T00:00:00Z"));
  clock.Advance(milliseconds(90'000));
  EXPECT_EQ(FormatInstant(clock.Now()), "2024-01-01T00:01:30Z");
  clock.Set(*ParseInstant("2023-06-01T12:00:00Z"));
  EXPECT_EQ(FormatInstant(clock.Now()), "2023-06-01T12:00:00Z");
}

}  // namespace
}  // namespace leadroute
