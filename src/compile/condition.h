// CompiledCondition: a rule's `when`, flattened into pre-order nodes over
// field slots, evaluated without allocation.
#ifndef LEADROUTE_COMPILE_CONDITION_H_
#define LEADROUTE_COMPILE_CONDITION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compile/field_table.h"
#include "leadroute/condition.h"
#include "leadroute/status.h"
#include "leadroute/strategy.h"
#include "leadroute/value.h"
#include "util/string_index.h"
#include "util/text.h"

namespace leadroute::internal {

class CompiledCondition {
 public:
  // Validates `condition` (operand counts and types) and compiles it,
  // appending errors under `path` (e.g. "/rules/0/when").
  static CompiledCondition Compile(const Condition& condition,
                                   const std::string& path, FieldTable& fields,
                                   std::vector<ConfigError>& errors);

  // True for an empty condition (always).
  bool Evaluate(const LeadView& lead) const noexcept;

 private:
  struct Node {
    ConditionOp op;
    FieldSlot slot;        // field tests
    uint32_t end;          // index one past this node's subtree
    uint32_t first_value;  // into values_
    uint32_t value_count;
    // in / not_in with kMinSetSize or more string operands: their set in
    // string_sets_, so a string field is one lookup; -1 otherwise.
    int32_t string_set = -1;
  };
  using StringSet = StringIndex<bool, CaselessHash, CaselessEqual>;
  // Below this many strings a scan of the operands is as fast as hashing.
  static constexpr uint32_t kMinSetSize = 4;

  void BuildStringSets();
  bool Eval(uint32_t index, const LeadView& lead) const noexcept;
  bool Test(const Node& node, const Value& field) const noexcept;

  std::vector<Node> nodes_;
  std::vector<Value> values_;  // strings stored lower-cased
  std::vector<StringSet> string_sets_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_CONDITION_H_
