#include "leadroute/value.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace leadroute {
namespace {

TEST(Value, TypeNames) {
  EXPECT_EQ(Value::TypeName(Value::Type::kNull), "null");
  EXPECT_EQ(Value::TypeName(Value::Type::kBool), "bool");
  EXPECT_EQ(Value::TypeName(Value::Type::kInt), "int");
  EXPECT_EQ(Value::TypeName(Value::Type::kDouble), "number");
  EXPECT_EQ(Value::TypeName(Value::Type::kString), "string");
  EXPECT_EQ(Value::TypeName(Value::Type::kList), "list");
}

TEST(Value, ConstructorsPickTheType) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(true).is_bool());
  EXPECT_TRUE(Value(42).is_int());
  EXPECT_TRUE(Value(2.5).is_double());
  EXPECT_TRUE(Value("DE").is_string());
  EXPECT_TRUE(Value(std::vector<std::string>{"a"}).is_list());
  EXPECT_EQ(Value(42).number(), 42.0);
  EXPECT_EQ(Value("x").number(), std::nullopt);
}

TEST(Value, ToJsonWritesEachType) {
  EXPECT_EQ(Value().ToJson(), "null");
  EXPECT_EQ(Value(true).ToJson(), "true");
  EXPECT_EQ(Value(false).ToJson(), "false");
  EXPECT_EQ(Value(42).ToJson(), "42");
  EXPECT_EQ(Value(-7).ToJson(), "-7");
  EXPECT_EQ(Value(2.5).ToJson(), "2.5");
  EXPECT_EQ(Value("DE").ToJson(), "\"DE\"");
  EXPECT_EQ(Value(std::vector<std::string>{"crm", "cpq"}).ToJson(),
            "[\"crm\",\"cpq\"]");
  EXPECT_EQ(Value(std::vector<std::string>{}).ToJson(), "[]");
}

TEST(Value, ToJsonEscapesStrings) {
  EXPECT_EQ(Value("a\"b\\c\n").ToJson(), R"("a\"b\\c\n")");
  EXPECT_EQ(Value("M\xc3\xbcnchen").ToJson(), "\"M\xc3\xbcnchen\"");
}

TEST(Value, ToJsonNeverThrowsOnInvalidUtf8) {
  std::string text;
  EXPECT_NO_THROW(text = Value(std::string("bad\xff")).ToJson());
  EXPECT_EQ(text.front(), '"');
}

TEST(Value, ToJsonWritesNonFiniteAsNull) {
  EXPECT_EQ(Value(std::numeric_limits<double>::quiet_NaN()).ToJson(), "null");
}

}  // namespace
}  // namespace leadroute
