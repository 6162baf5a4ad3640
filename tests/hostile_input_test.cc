// Hostile input: huge, deep or malformed documents and lead values are a
// clear error with a path (the limits of src/config/json_util.h), or are
// routed like any other value; never a crash, a stack overflow or a hang.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "config/json_util.h"
#include "leadroute/leadroute.h"

namespace leadroute {
namespace {

using internal::DefaultJsonLimits;

std::string Nested(const std::string& open, const std::string& inner,
                   const std::string& close, int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += open;
  out += inner;
  for (int i = 0; i < depth; ++i) out += close;
  return out;
}

std::string Errors(const Status& status) { return status.ToString(); }

TEST(HostileRuleSet, DeeplyNestedConditionIsAnErrorNotAStackOverflow) {
  std::string when =
      Nested(R"({"not": )", R"({"field": "x", "eq": 1})", "}", 200000);
  std::string json = R"({"rules": [{"id": "r", "when": )" + when +
                     R"(}], "fallback": {"queue": "q"}})";
  auto rules = RuleSet::FromJson(json);
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(Errors(rules.status()).find("nesting deeper than 64 levels"),
            std::string::npos)
      << Errors(rules.status());
}

TEST(HostileRuleSet, NestingWithinTheLimitLoadsAndRoutes) {
  std::string when =
      Nested(R"({"not": )", R"({"field": "x", "eq": 1})", "}", 40);
  std::string json =
      R"({"reps": [{"id": "ana"}], "rules": [{"id": "r", "when": )" + when +
      R"(}], "fallback": {"queue": "q"}})";
  auto rules = RuleSet::FromJson(json);
  ASSERT_TRUE(rules.ok()) << Errors(rules.status());
  Router router = Router::Create(*rules).value();
  auto a = router.Route(Lead("L1").Set("x", 1));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->owner.id, "ana");  // 40 nots: even, so the test holds
}

TEST(HostileRuleSet, DeepArraysAreRejected) {
  auto rules = RuleSet::FromJson(Nested("[", "", "]", 1000000));
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(Errors(rules.status()).find("line 1, column 65"), std::string::npos)
      << Errors(rules.status());
}

TEST(HostileRuleSet, OversizedDocumentIsRejectedBeforeParsing) {
  std::string json(DefaultJsonLimits().max_document_bytes + 1, ' ');
  auto rules = RuleSet::FromJson(json);
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(Errors(rules.status()).find("document of"), std::string::npos);
}

TEST(HostileRuleSet, TooManyRulesIsAnErrorAtRules) {
  std::string json = R"({"rules": [)";
  for (size_t i = 0; i <= DefaultJsonLimits().max_rules; ++i) {
    if (i > 0) json += ',';
    json += R"({"id": "r)" + std::to_string(i) + R"("})";
  }
  json += R"(], "fallback": {"queue": "q"}})";
  auto rules = RuleSet::FromJson(json);
  ASSERT_FALSE(rules.ok());
  ASSERT_FALSE(rules.status().errors().empty());
  EXPECT_EQ(rules.status().errors()[0].path, "/rules");
  EXPECT_NE(Errors(rules.status()).find("expected at most 10000 \"rules\""),
            std::string::npos)
      << Errors(rules.status()).substr(0, 300);
}

TEST(HostileRuleSet, TooManyBandsIsAnErrorAtTheBands) {
  std::string bands;
  for (size_t i = 0; i <= DefaultJsonLimits().max_bands; ++i) {
    if (i > 0) bands += ',';
    bands += R"({"min": )" + std::to_string(i) + R"(, "max": )" +
             std::to_string(i + 1) + R"(, "tiers": ["*"]})";
  }
  std::string json =
      R"({"rules": [{"id": "r", "steps": [{"strategy": "score", "bands": [)" +
      bands + R"(]}]}], "fallback": {"queue": "q"}})";
  auto rules = RuleSet::FromJson(json);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/rules/0/steps/0/bands");
}

TEST(HostileRuleSet, HugeStringsAndKeysAreErrorsWithTheirPath) {
  std::string big(DefaultJsonLimits().max_string_bytes + 1, 'a');
  auto rules = RuleSet::FromJson(R"({"reps": [{"id": "ana", "name": ")" + big +
                                 R"("}], "fallback": {"queue": "q"}})");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/reps/0/name");

  std::string key(DefaultJsonLimits().max_key_bytes + 1, 'k');
  rules = RuleSet::FromJson(R"({"reps": [{"id": "ana", ")" + key +
                            R"(": 1}], "fallback": {"queue": "q"}})");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().errors()[0].path, "/reps/0");
}

TEST(HostileRuleSet, InvalidUtf8IsRejected) {
  auto rules = RuleSet::FromJson(
      "{\"name\": \"\xff\xfe\", \"fallback\": {\"queue\": \"q\"}}");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
}

TEST(HostileLead, HugeStringIsRejectedWithItsPath) {
  std::string big(DefaultJsonLimits().max_string_bytes + 1, 'x');
  auto lead = Lead::FromJson(R"({"id": "L1", "company": ")" + big + R"("})");
  ASSERT_FALSE(lead.ok());
  EXPECT_EQ(lead.status().errors()[0].path, "/company");
}

TEST(HostileLead, LargeStringWithinTheLimitRoutes) {
  std::string big(DefaultJsonLimits().max_string_bytes / 2, 'x');
  auto lead = Lead::FromJson(R"({"id": "L1", "company": ")" + big +
                             R"(", "country": "DE"})");
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  auto rules =
      RuleSet::FromJson(R"({"reps": [{"id": "ana", "territories": ["DE"]}],
      "rules": [{"id": "r", "when": {"field": "company", "contains": "xxy"},
                 "steps": [{"strategy": "territory"}]}, {"id": "s", "steps": [{"strategy": "territory"}]}],
      "fallback": {"queue": "q"}})");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  Router router = Router::Create(*rules).value();
  auto a = router.Route(*lead);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->rule_id, "s");
}

TEST(HostileLead, DeepNestingIsRejected) {
  std::string json =
      R"({"id": "L1", "a": )" + Nested(R"({"b": )", "1", "}", 100000) + "}";
  auto lead = Lead::FromJson(json);
  ASSERT_FALSE(lead.ok());
  EXPECT_NE(lead.status().ToString().find("nesting deeper"), std::string::npos);
}

TEST(HostileLead, InvalidUtf8IsRejected) {
  auto lead =
      Lead::FromJson("{\"id\": \"L1\", \"company\": \"Acme \xc3\x28\"}");
  ASSERT_FALSE(lead.ok());
  EXPECT_EQ(lead.status().code(), StatusCode::kInvalidArgument);
}

TEST(HostileLead, OverflowingNumbersAreRejectedOrRoutedCleanly) {
  for (const char* json :
       {R"({"id": "L1", "score": 1e999})", R"({"id": "L2", "score": -1e999})",
        R"({"id": 99999999999999999999999, "score": 1})",
        R"({"id": "L3", "score": NaN})"}) {
    auto lead = Lead::FromJson(json);
    if (!lead.ok()) {
      EXPECT_EQ(lead.status().code(), StatusCode::kInvalidArgument) << json;
      continue;
    }
    auto rules = RuleSet::FromJson(R"({"reps": [{"id": "ana", "tier": "a"}],
        "rules": [{"id": "r", "when": {"field": "score", "gte": 0},
                   "steps": [{"strategy": "score", "bands": [{"max": 50, "tiers": ["a"]}]}]}],
        "fallback": {"queue": "q"}})");
    Router router = Router::Create(*rules).value();
    auto a = router.Route(*lead);
    ASSERT_TRUE(a.ok()) << json;
    EXPECT_FALSE(a->owner.id.empty());
  }
}

// NaN and infinities cannot come from JSON but can from the C++ API: every
// comparison with NaN is false, so no band, no numeric test holds; the lead
// still gets exactly one owner.
TEST(HostileLead, NanAndInfinityFromCodeRouteToExactlyOneOwner) {
  auto rules = RuleSet::FromJson(
      R"({"reps": [{"id": "ana", "tier": "a"}, {"id": "ben", "tier": "b"}],
      "rules": [
        {"id": "low", "when": {"field": "score", "lt": 50}, "pool": {"reps": ["ana"]}},
        {"id": "band", "steps": [{"strategy": "score", "bands": [{"min": 50, "tiers": ["b"]}]}]},
        {"id": "between", "when": {"field": "score", "between": [0, 100]}}],
      "fallback": {"queue": "q"}})");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  Router router = Router::Create(*rules).value();
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  auto a = router.Route(Lead("L1").Set("score", nan));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->fallback);
  a = router.Route(Lead("L2").Set("score", inf));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->owner.id, "ben");  // the open-ended band [50, inf) holds inf
  a = router.Route(Lead("L3").Set("score", -inf));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->owner.id, "ana");
}

TEST(HostileAccounts, DeepNestingAndHugeDocumentsAreRejected) {
  auto accounts = AccountDirectory::FromJson(Nested("[", "", "]", 500000));
  ASSERT_FALSE(accounts.ok());
  std::string big(DefaultJsonLimits().max_string_bytes + 1, 'd');
  accounts = AccountDirectory::FromJson(
      R"({"accounts": [{"id": "a", "domains": [")" + big + R"("]}]})");
  ASSERT_FALSE(accounts.ok());
  EXPECT_EQ(accounts.status().errors()[0].path, "/accounts/0/domains/0");
}

// A parent chain far deeper than any real company loads and routes without
// recursion. The hierarchy walk stops after 64 levels (kMaxLevels in
// src/strategies/hierarchy.cc), so an owner 50,000 levels up is not found
// and the rule's round robin decides; an owner within 64 levels is.
TEST(HostileAccounts, LongParentChainLoadsAndWalks) {
  constexpr int kChain = 50000;
  std::string json = R"({"accounts": [)";
  for (int i = 0; i < kChain; ++i) {
    if (i > 0) json += ',';
    json += R"({"id": "a)" + std::to_string(i) + "\"";
    if (i > 0) json += R"(, "parent": "a)" + std::to_string(i - 1) + "\"";
    if (i == kChain - 1) json += R"(, "domains": ["leaf.com"])";
    if (i == 30) json += R"(, "domains": ["mid.com"])";
    if (i == 0) json += R"(, "owner": "ana")";
    json += "}";
  }
  json += "]}";
  auto accounts = AccountDirectory::FromJson(json);
  ASSERT_TRUE(accounts.ok()) << accounts.status().ToString().substr(0, 300);
  auto rules = RuleSet::FromJson(R"({"reps": [{"id": "ana"}, {"id": "ben"}],
      "rules": [{"id": "r", "steps": [{"strategy": "hierarchy"}, {"strategy": "round_robin"}]}],
      "fallback": {"queue": "q"}})");
  RouterOptions options;
  options.accounts = *accounts;
  Router router = Router::Create(*rules, std::move(options)).value();
  auto a = router.Route(Lead("L1").Set("email", "kim@leaf.com"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->decided_by, "round_robin");
  a = router.Route(Lead("L2").Set("email", "kim@mid.com"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->owner.id, "ana");
  EXPECT_EQ(a->decided_by, "hierarchy");
}

TEST(HostileAccounts, ParentCycleIsAnErrorNotAHang) {
  auto accounts = AccountDirectory::FromJson(
      R"({"accounts": [{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}]})");
  ASSERT_FALSE(accounts.ok());
}

}  // namespace
}  // namespace leadroute
