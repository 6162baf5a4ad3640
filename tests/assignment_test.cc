#include "leadroute/assignment.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace leadroute
