#include "compile/condition.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadroute/condition.h"
#include "leadroute/lead.h"

namespace leadroute::internal {
namespace {

// Compiles `c` and evaluates it on `lead`.
class ConditionHarness {
 public:
  explicit ConditionHarness(const Condition& c)
      : compiled_(CompiledCondition::Compile(c, "/when", fields_, errors_)) {}

  bool Holds(const Lead& lead) {
    std::vector<const Value*> slots(fields_.size(), nullptr);
    for (const auto& [name, value] : lead.fields()) {
      if (auto slot = fields_.Find(name)) slots[*slot] = &value;
    }
    return compiled_.Evaluate(LeadView(lead, slots));
  }
  const std::vector<ConfigError>& errors() const { return errors_; }

 private:
  FieldTable fields_;
  std::vector<ConfigError> errors_;
  CompiledCondition compiled_;
};

bool Holds(const Condition& c, const Lead& lead) {
  ConditionHarness h(c);
  EXPECT_TRUE(h.errors().empty());
  return h.Holds(lead);
}

Lead Sample() {
  Lead lead("L1");
  lead.Set("country", "DE")
      .Set("score", 72)
      .Set("deal_value", 12500.5)
      .Set("products", std::vector<std::string>{"crm", "cpq"})
      .Set("company", "Acme University")
      .Set("vip", true)
      .Set("note", nullptr);
  return lead;
}

TEST(Condition, EmptyConditionAlwaysHolds) {
  EXPECT_TRUE(Holds(Condition::Always(), Lead("x")));
}

TEST(Condition, EqComparesStringsCaselesslyAndNumbersNumerically) {
  EXPECT_TRUE(Holds(Condition::Eq("country", "de"), Sample()));
  EXPECT_FALSE(Holds(Condition::Eq("country", "FR"), Sample()));
  EXPECT_TRUE(Holds(Condition::Eq("score", 72.0), Sample()));
  EXPECT_TRUE(Holds(Condition::Eq("vip", true), Sample()));
}

TEST(Condition, WrongTypeOrMissingFieldMakesTestFalse) {
  EXPECT_FALSE(Holds(Condition::Eq("score", "72"), Sample()));
  EXPECT_FALSE(Holds(Condition::Gt("country", 1), Sample()));
  EXPECT_FALSE(Holds(Condition::Eq("missing", "x"), Sample()));
  EXPECT_FALSE(Holds(Condition::Ne("missing", "x"), Sample()));
  EXPECT_FALSE(Holds(Condition::NotIn("missing", {"x"}), Sample()));
  EXPECT_FALSE(Holds(Condition::Prefix("score", "7"), Sample()));
}

TEST(Condition, NeRequiresAComparablePresentField) {
  EXPECT_TRUE(Holds(Condition::Ne("country", "FR"), Sample()));
  EXPECT_FALSE(Holds(Condition::Ne("country", "de"), Sample()));
  EXPECT_FALSE(Holds(Condition::Ne("country", 5), Sample()));
}

TEST(Condition, InAndNotIn) {
  EXPECT_TRUE(Holds(Condition::In("country", {"AT", "de", "CH"}), Sample()));
  EXPECT_FALSE(Holds(Condition::In("country", {"AT", "CH"}), Sample()));
  EXPECT_TRUE(Holds(Condition::In("score", {10, 72}), Sample()));
  EXPECT_TRUE(Holds(Condition::NotIn("country", {"AT", "CH"}), Sample()));
  EXPECT_FALSE(Holds(Condition::NotIn("country", {"DE"}), Sample()));
  EXPECT_FALSE(Holds(Condition::NotIn("products", {"x"}), Sample()));
  // A number is the wrong type for a list of strings, as with `ne`.
  EXPECT_FALSE(Holds(Condition::NotIn("score", {"DE"}), Sample()));
  EXPECT_FALSE(Holds(Condition::Ne("score", "DE"), Sample()));
  EXPECT_TRUE(Holds(Condition::NotIn("score", {"DE", 10}), Sample()));
}

// Long lists of strings are hashed (CompiledCondition::kMinSetSize); the
// answers are those of the scan, list by list, at and around the size where
// the hashing starts, with numbers and strings mixed in one list.
TEST(Condition, LongListsAnswerAsShortOnes) {
  const std::vector<std::string> codes = {"AT", "CH", "FR", "IT", "ES",
                                          "NL", "BE", "PL", "de"};
  for (size_t n = 1; n <= codes.size(); ++n) {
    std::vector<Value> list(codes.begin(), codes.begin() + n);
    const bool has_de = n == codes.size();
    SCOPED_TRACE(n);
    EXPECT_EQ(Holds(Condition::In("country", list), Sample()), has_de);
    EXPECT_EQ(Holds(Condition::NotIn("country", list), Sample()), !has_de);
    // A string field never equals a number; a number field is looked up
    // among the numbers only.
    // Copied from a named Value: pushing the temporary Value(72) trips
    // GCC 12's -Wmaybe-uninitialized in the tsan preset (-O2).
    const Value number(72);
    list.push_back(number);
    EXPECT_EQ(Holds(Condition::In("country", list), Sample()), has_de);
    EXPECT_TRUE(Holds(Condition::In("score", list), Sample()));
    EXPECT_FALSE(Holds(Condition::NotIn("score", list), Sample()));
    // Lists of strings and a list field: the wrong type either way.
    EXPECT_FALSE(Holds(Condition::In("products", list), Sample()));
    EXPECT_FALSE(Holds(Condition::NotIn("products", list), Sample()));
  }
  // Caseless both ways: an upper-case lead value against a lower-cased set.
  EXPECT_TRUE(
      Holds(Condition::In("company", {"a", "b", "c", "d", "acme university"}),
            Sample()));
}

TEST(Condition, NumericComparisons) {
  EXPECT_TRUE(Holds(Condition::Gt("score", 71), Sample()));
  EXPECT_FALSE(Holds(Condition::Gt("score", 72), Sample()));
  EXPECT_TRUE(Holds(Condition::Gte("score", 72), Sample()));
  EXPECT_TRUE(Holds(Condition::Lt("deal_value", 12501), Sample()));
  EXPECT_FALSE(Holds(Condition::Lt("deal_value", 12500.5), Sample()));
  EXPECT_TRUE(Holds(Condition::Lte("deal_value", 12500.5), Sample()));
}

TEST(Condition, BetweenIsInclusiveAtBothEnds) {
  EXPECT_TRUE(Holds(Condition::Between("score", 72, 80), Sample()));
  EXPECT_TRUE(Holds(Condition::Between("score", 50, 72), Sample()));
  EXPECT_FALSE(Holds(Condition::Between("score", 73, 80), Sample()));
}

TEST(Condition, ExistsTreatsNullAsAbsent) {
  EXPECT_TRUE(Holds(Condition::Exists("country"), Sample()));
  EXPECT_FALSE(Holds(Condition::Exists("note"), Sample()));
  EXPECT_FALSE(Holds(Condition::Exists("missing"), Sample()));
  EXPECT_TRUE(Holds(Condition::Exists("missing", false), Sample()));
  EXPECT_TRUE(Holds(Condition::Exists("note", false), Sample()));
  EXPECT_FALSE(Holds(Condition::Exists("country", false), Sample()));
}

TEST(Condition, PrefixAndContains) {
  EXPECT_TRUE(Holds(Condition::Prefix("company", "acme"), Sample()));
  EXPECT_FALSE(Holds(Condition::Prefix("company", "University"), Sample()));
  EXPECT_TRUE(Holds(Condition::Contains("products", "CPQ"), Sample()));
  EXPECT_FALSE(Holds(Condition::Contains("products", "cp"), Sample()));
  EXPECT_TRUE(Holds(Condition::Contains("company", "univers"), Sample()));
  EXPECT_FALSE(Holds(Condition::Contains("score", "7"), Sample()));
}

TEST(Condition, AllAnyNotCompose) {
  Condition c =
      Condition::All({Condition::Eq("country", "DE"),
                      Condition::Any({Condition::Gte("score", 90),
                                      Condition::Contains("products", "cpq")}),
                      Condition::Not(Condition::Eq("vip", false))});
  EXPECT_TRUE(Holds(c, Sample()));
  Lead other = Sample();
  other.Set("products", std::vector<std::string>{"crm"});
  EXPECT_FALSE(Holds(c, other));
  EXPECT_FALSE(Holds(Condition::Any({}), Sample()));
  EXPECT_TRUE(Holds(Condition::All({}), Sample()));
}

TEST(Condition, OperandErrorsCarryTheOperatorPath) {
  ConditionHarness between(Condition::Between("score", 80, 50));
  ASSERT_EQ(between.errors().size(), 1u);
  EXPECT_EQ(between.errors()[0].path, "/when/between");

  ConditionHarness gt(
      Condition::All({Condition::Eq("country", "DE"),
                      Condition::Test(ConditionOp::kGt, "score", {"high"})}));
  ASSERT_EQ(gt.errors().size(), 1u);
  EXPECT_EQ(gt.errors()[0].path, "/when/all/1/gt");

  ConditionHarness empty_in(Condition::In("country", {}));
  ASSERT_EQ(empty_in.errors().size(), 1u);
  EXPECT_EQ(empty_in.errors()[0].path, "/when/in");

  ConditionHarness no_field(Condition::Eq("", "x"));
  ASSERT_EQ(no_field.errors().size(), 1u);
  EXPECT_EQ(no_field.errors()[0].path, "/when/field");

  ConditionHarness not_two(Condition{
      ConditionOp::kNot, {}, {}, {Condition::Always(), Condition::Always()}});
  ASSERT_EQ(not_two.errors().size(), 1u);
  EXPECT_EQ(not_two.errors()[0].path, "/when/not");
}

}  // namespace
}  // namespace leadroute::internal
