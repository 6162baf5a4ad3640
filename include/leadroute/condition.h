// Condition: when a rule applies, as data (no code is evaluated).
//
// A Condition is a tree: `all`, `any` and `not` over field tests. A field
// that is missing or of the wrong type makes its test false, never an error.
// String comparisons are ASCII-case-insensitive. Plain value; not synchronised.
#ifndef LEADROUTE_CONDITION_H_
#define LEADROUTE_CONDITION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/value.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

enum class ConditionOp : uint8_t {
  kAll,       // every child holds (no children: true)
  kAny,       // some child holds (no children: false)
  kNot,       // the one child does not hold
  kEq,        // field == value (numbers numerically, strings caselessly)
  kNe,        // field present, comparable and != value
  kIn,        // field equals one of values
  kNotIn,     // field present and equals none of values
  kGt,        // numeric field > value
  kGte,       // numeric field >= value
  kLt,        // numeric field < value
  kLte,       // numeric field <= value
  kBetween,   // numeric field in [values[0], values[1]], both inclusive
  kExists,    // field present and not null (values[0] == false: absent)
  kPrefix,    // string field starts with value
  kContains,  // list field holds value, or string field has it as substring
};

// The config name: "all", "any", "not", "eq", ..., "contains".
LEADROUTE_EXPORT std::string_view ConditionOpName(ConditionOp op) noexcept;

struct Condition {
  ConditionOp op = ConditionOp::kAll;
  std::string field{};                // field tests only
  std::vector<Value> values{};        // operands of field tests
  std::vector<Condition> children{};  // all / any / not

  // Builders, e.g. `Condition::All({Condition::Eq("country", "DE"),
  //                                 Condition::Gte("score", 50)})`.
  static Condition Always() { return {}; }
  static Condition All(std::vector<Condition> children) {
    return {ConditionOp::kAll, {}, {}, std::move(children)};
  }
  static Condition Any(std::vector<Condition> children) {
    return {ConditionOp::kAny, {}, {}, std::move(children)};
  }
  static Condition Not(Condition child) {
    return {ConditionOp::kNot, {}, {}, {std::move(child)}};
  }
  static Condition Test(ConditionOp op, std::string field,
                        std::vector<Value> values) {
    return {op, std::move(field), std::move(values), {}};
  }
  static Condition Eq(std::string field, Value v) {
    return Test(ConditionOp::kEq, std::move(field), {std::move(v)});
  }
  static Condition Ne(std::string field, Value v) {
    return Test(ConditionOp::kNe, std::move(field), {std::move(v)});
  }
  static Condition In(std::string field, std::vector<Value> vs) {
    return Test(ConditionOp::kIn, std::move(field), std::move(vs));
  }
  static Condition NotIn(std::string field, std::vector<Value> vs) {
    return Test(ConditionOp::kNotIn, std::move(field), std::move(vs));
  }
  static Condition Gt(std::string field, double v) {
    return Test(ConditionOp::kGt, std::move(field), {v});
  }
  static Condition Gte(std::string field, double v) {
    return Test(ConditionOp::kGte, std::move(field), {v});
  }
  static Condition Lt(std::string field, double v) {
    return Test(ConditionOp::kLt, std::move(field), {v});
  }
  static Condition Lte(std::string field, double v) {
    return Test(ConditionOp::kLte, std::move(field), {v});
  }
  static Condition Between(std::string field, double lo, double hi) {
    return Test(ConditionOp::kBetween, std::move(field), {lo, hi});
  }
  static Condition Exists(std::string field, bool present = true) {
    return Test(ConditionOp::kExists, std::move(field), {present});
  }
  static Condition Prefix(std::string field, std::string prefix) {
    return Test(ConditionOp::kPrefix, std::move(field), {std::move(prefix)});
  }
  static Condition Contains(std::string field, std::string item) {
    return Test(ConditionOp::kContains, std::move(field), {std::move(item)});
  }

  // Same tree: operators, fields and operands (Value equality) alike.
  friend bool operator==(const Condition&, const Condition&) = default;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_CONDITION_H_
