#include "leadroute/lead.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Paths(const Status& status) {
  std::vector<std::string> out;
  for (const auto& e : status.errors()) out.push_back(e.path);
  return out;
}

TEST(Lead, SetAddsAndReplacesInFirstSetOrder) {
  Lead lead("L1");
  lead.Set("country", "DE").Set("score", 80).Set("country", "AT");
  ASSERT_EQ(lead.fields().size(), 2u);
  EXPECT_EQ(lead.fields()[0].first, "country");
  EXPECT_EQ(lead.fields()[1].first, "score");
  ASSERT_NE(lead.Find("country"), nullptr);
  EXPECT_EQ(*lead.Find("country"), Value("AT"));
  EXPECT_EQ(*lead.Find("score"), Value(80));
  EXPECT_EQ(lead.Find("state"), nullptr);
}

TEST(Lead, ToJsonWritesIdFirstThenFieldsInOrder) {
  Lead lead("L1");
  lead.Set("score", 80)
      .Set("country", "DE")
      .Set("products", std::vector<std::string>{"crm", "cpq"})
      .Set("vip", true)
      .Set("deal_value", 2.5)
      .Set("region", nullptr)
      .Set("a.b", "x");
  EXPECT_EQ(lead.ToJson(),
            R"({"id":"L1","score":80,"country":"DE","products":["crm","cpq"],)"
            R"("vip":true,"deal_value":2.5,"region":null,"a.b":"x"})");
}

TEST(Lead, ToJsonEscapes) {
  Lead lead("L\"1");
  lead.Set("note", "line\nbreak");
  EXPECT_EQ(lead.ToJson(), R"({"id":"L\"1","note":"line\nbreak"})");
}

TEST(Lead, FromJsonReadsFieldsInDocumentOrder) {
  auto lead = Lead::FromJson(
      R"({"id": "L7", "score": 80, "country": "DE", "email": "a@acme.com",
          "products": ["crm", "cpq"], "vip": false, "deal_value": 1e3,
          "region": null})");
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->id(), "L7");
  ASSERT_EQ(lead->fields().size(), 7u);
  EXPECT_EQ(lead->fields()[0].first, "score");
  EXPECT_EQ(lead->fields()[1].first, "country");
  EXPECT_EQ(*lead->Find("score"), Value(80));
  EXPECT_EQ(*lead->Find("country"), Value("DE"));
  EXPECT_EQ(*lead->Find("products"),
            Value(std::vector<std::string>{"crm", "cpq"}));
  EXPECT_EQ(*lead->Find("vip"), Value(false));
  EXPECT_EQ(*lead->Find("deal_value"), Value(1000.0));
  ASSERT_NE(lead->Find("region"), nullptr);
  EXPECT_TRUE(lead->Find("region")->is_null());
  EXPECT_EQ(lead->Find("id"), nullptr);
}

TEST(Lead, FromJsonAcceptsIntegerIds) {
  auto lead = Lead::FromJson(R"({"id": 12345})");
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->id(), "12345");
  auto negative = Lead::FromJson(R"({"id": -3})");
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->id(), "-3");
  auto big = Lead::FromJson(R"({"id": 18446744073709551615})");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->id(), "18446744073709551615");
}

TEST(Lead, FromJsonFlattensNestedObjects) {
  auto lead = Lead::FromJson(
      R"({"id": "L1", "address": {"country": "DE", "geo": {"lat": 52.5}},
          "skills": {}, "city": "Berlin"})");
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  ASSERT_EQ(lead->fields().size(), 3u);
  EXPECT_EQ(lead->fields()[0].first, "address.country");
  EXPECT_EQ(lead->fields()[1].first, "address.geo.lat");
  EXPECT_EQ(lead->fields()[2].first, "city");
  EXPECT_EQ(*lead->Find("address.geo.lat"), Value(52.5));
  // A nested "id" is an ordinary field.
  auto nested = Lead::FromJson(R"({"id": "L1", "account": {"id": "A9"}})");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(*nested->Find("account.id"), Value("A9"));
}

TEST(Lead, FromJsonRoundTripsToJson) {
  std::string text =
      R"({"id":"L1","address.country":"DE","products":["a"],"n":null})";
  auto lead = Lead::FromJson(text);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->ToJson(), text);
}

TEST(Lead, FromJsonRequiresId) {
  auto lead = Lead::FromJson(R"({"country": "DE"})");
  ASSERT_FALSE(lead.ok());
  EXPECT_EQ(lead.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Paths(lead.status()), ElementsAre(""));
  EXPECT_THAT(lead.status().errors()[0].message, HasSubstr("\"id\""));
}

TEST(Lead, FromJsonRejectsEmptyId) {
  auto lead = Lead::FromJson(R"({"id": ""})");
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(Paths(lead.status()), ElementsAre("/id"));
}

TEST(Lead, FromJsonRejectsIdOfWrongType) {
  for (const char* json :
       {R"({"id": 1.5})", R"({"id": true})", R"({"id": null})",
        R"({"id": ["L1"]})", R"({"id": {"x": 1}})"}) {
    auto lead = Lead::FromJson(json);
    ASSERT_FALSE(lead.ok()) << json;
    EXPECT_THAT(Paths(lead.status()), ElementsAre("/id")) << json;
    EXPECT_THAT(lead.status().errors()[0].message,
                HasSubstr("expected a string or an integer"));
  }
}

TEST(Lead, FromJsonRejectsListsOfNonStrings) {
  auto lead = Lead::FromJson(
      R"({"id": "L1", "products": ["crm", 2, "cpq", {"a": 1}],
          "nested": {"tags": [true]}})");
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(Paths(lead.status()),
              ElementsAre("/products/1", "/products/3", "/nested/tags/0"));
  EXPECT_THAT(lead.status().errors()[0].message, HasSubstr("found integer 2"));
}

TEST(Lead, FromJsonReportsEveryError) {
  auto lead = Lead::FromJson(R"({"id": "", "a": [1], "b": {"c": [null]}})");
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(Paths(lead.status()), ElementsAre("/id", "/a/0", "/b/c/0"));
}

TEST(Lead, FromJsonRejectsFlattenedNameCollisions) {
  auto lead = Lead::FromJson(R"({"id": "L1", "a.b": 1, "a": {"b": 2}})");
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(Paths(lead.status()), ElementsAre("/a/b"));
  EXPECT_THAT(lead.status().errors()[0].message, HasSubstr("\"a.b\""));
}

TEST(Lead, FromJsonEscapesPointerTokens) {
  auto lead = Lead::FromJson(R"({"id": "L1", "a/b": [1]})");
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(Paths(lead.status()), ElementsAre("/a~1b/0"));
}

TEST(Lead, FromJsonReportsLineAndColumnOfMalformedJson) {
  auto lead = Lead::FromJson("{\n  \"id\": \"L1\",\n  \"score\": 80,\n}");
  ASSERT_FALSE(lead.ok());
  EXPECT_EQ(lead.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(lead.status().errors().size(), 1u);
  EXPECT_EQ(lead.status().errors()[0].path, "");
  EXPECT_THAT(lead.status().errors()[0].message, HasSubstr("line 4"));
}

TEST(Lead, FromJsonRejectsNonObjects) {
  for (const char* json : {"[]", "\"L1\"", "42", "null"}) {
    auto lead = Lead::FromJson(json);
    ASSERT_FALSE(lead.ok()) << json;
    EXPECT_THAT(Paths(lead.status()), ElementsAre("")) << json;
  }
  EXPECT_FALSE(Lead::FromJson("").ok());
}

TEST(Lead, FromJsonRejectsDeepNesting) {
  std::string json = R"({"id":"L1","x":)";
  for (int i = 0; i < 40; ++i) json += R"({"x":)";
  json += "1";
  for (int i = 0; i < 40; ++i) json += "}";
  json += "}";
  auto lead = Lead::FromJson(json);
  ASSERT_FALSE(lead.ok());
  EXPECT_THAT(lead.status().errors()[0].message, HasSubstr("nested deeper"));
}

}  // namespace
}  // namespace leadroute
