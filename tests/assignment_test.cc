#include "leadroute/assignment.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/rng.h"

namespace leadroute {
namespace {

TEST(Assignment, ToJsonWritesRuleDecision) {
  Assignment a;
  a.lead_id = "L1";
  a.owner = Owner::Rep("ana");
  a.rule_id = "emea";
  a.decided_by = "round_robin";
  a.generation = 7;
  EXPECT_EQ(a.ToJson(),
            R"({"lead_id":"L1","owner":"ana","owner_kind":"rep",)"
            R"("rule":"emea","decided_by":"round_robin","fallback":false})");
}

TEST(Assignment, ToJsonWritesNullRuleForFallback) {
  Assignment a;
  a.lead_id = "L2";
  a.owner = Owner::Queue("inbox");
  a.decided_by = "fallback";
  a.fallback = true;
  EXPECT_EQ(a.ToJson(),
            R"({"lead_id":"L2","owner":"inbox","owner_kind":"queue",)"
            R"("rule":null,"decided_by":"fallback","fallback":true})");
}

TEST(Assignment, ToJsonMarksRepeatedDecisions) {
  Assignment a;
  a.lead_id = "L1";
  a.owner = Owner::Rep("ana");
  a.rule_id = "accounts";
  a.decided_by = "hierarchy";
  a.repeated = true;
  EXPECT_EQ(a.ToJson(),
            R"({"lead_id":"L1","owner":"ana","owner_kind":"rep",)"
            R"("rule":"accounts","decided_by":"hierarchy","fallback":false,)"
            R"("repeated":true})");
}

TEST(Assignment, ToJsonEscapesStrings) {
  Assignment a;
  a.lead_id = "L\"1\\";
  a.owner = Owner::Rep("m\xc3\xbcller\n");
  a.rule_id = "r";
  a.decided_by = "field_owner";
  EXPECT_EQ(a.ToJson(),
            "{\"lead_id\":\"L\\\"1\\\\\",\"owner\":\"m\xc3\xbcller\\n\","
            "\"owner_kind\":\"rep\",\"rule\":\"r\",\"decided_by\":"
            "\"field_owner\",\"fallback\":false}");
}

// What ToJson must write, built as a JSON tree (docs: the key order of
// Assignment::ToJson's comment): the direct writer for printable ASCII must
// give the same bytes as this, and so must the tree path it falls back to.
std::string Expected(const Assignment& a) {
  nlohmann::ordered_json out;
  out["lead_id"] = a.lead_id;
  out["owner"] = a.owner.id;
  out["owner_kind"] = OwnerKindName(a.owner.kind);
  out["rule"] = a.rule_id.empty() ? nlohmann::ordered_json(nullptr)
                                  : nlohmann::ordered_json(a.rule_id);
  out["decided_by"] = a.decided_by;
  out["fallback"] = a.fallback;
  if (a.repeated) out["repeated"] = true;
  if (a.due) out["due"] = FormatInstant(*a.due);
  if (!a.variant.empty()) out["variant"] = a.variant;
  return out.dump(-1, ' ', false,
                  nlohmann::ordered_json::error_handler_t::replace);
}

TEST(Assignment, ToJsonMatchesTheJsonTreeForAnyStrings) {
  testing::Rng rng(20261123);
  // Printable ASCII with the two characters JSON escapes in it, then
  // control characters, UTF-8 and invalid bytes (the tree path).
  const std::string alphabets[] = {"ab\"\\ {}:,xyz019~", "ab\n\t\x01\x1f\x7f",
                                   "a\xc3\xbc\xe2\x82\xac", "a\xff\xc3"};
  auto text = [&](int alphabet) {
    std::string s;
    const std::string& chars = alphabets[alphabet];
    int n = rng.Below(6);
    for (int i = 0; i < n; ++i) s += chars[rng.Below(int(chars.size()))];
    return s;
  };
  for (int i = 0; i < 4000; ++i) {
    int alphabet = i < 2000 ? 0 : rng.Below(4);
    Assignment a;
    a.lead_id = text(alphabet);
    a.owner = rng.Chance(50) ? Owner::Rep(text(alphabet))
                             : Owner::Queue(text(alphabet));
    a.rule_id = rng.Chance(30) ? "" : text(alphabet);
    a.decided_by = text(alphabet);
    a.fallback = rng.Chance(30);
    a.repeated = rng.Chance(30);
    if (rng.Chance(30)) {
      a.due = Instant(
          std::chrono::milliseconds(1'790'000'000'000 + rng.Below(1'000'000)));
    }
    if (rng.Chance(30)) a.variant = text(alphabet);
    ASSERT_EQ(a.ToJson(), Expected(a)) << i;
  }
}

}  // namespace
}  // namespace leadroute
