#include "compile/condition.h"

#include <fmt/format.h>

#include "config/json_util.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

bool IsScalar(const Value& v) {
  return v.is_string() || v.is_number() || v.is_bool();
}

// Equality as conditions define it: caseless strings, numeric numbers,
// bools; different kinds are never equal.
bool ScalarEquals(const Value& field, const Value& operand) noexcept {
  if (const std::string* s = field.string_if()) {
    const std::string* o = operand.string_if();
    return o != nullptr && EqualsIgnoreCase(*s, *o);
  }
  if (field.is_number()) {
    return operand.is_number() && *field.number() == *operand.number();
  }
  if (field.is_bool()) {
    return operand.is_bool() && field.as_bool() == operand.as_bool();
  }
  return false;
}

bool Comparable(const Value& field, const Value& operand) noexcept {
  return (field.is_string() && operand.is_string()) ||
         (field.is_number() && operand.is_number()) ||
         (field.is_bool() && operand.is_bool());
}

class Compiler {
 public:
  Compiler(FieldTable& fields, std::vector<ConfigError>& errors,
           std::vector<Value>& values)
      : fields_(fields), errors_(errors), values_(values) {}

  template <typename Node>
  void Add(const Condition& c, const std::string& path,
           std::vector<Node>& nodes) {
    size_t index = nodes.size();
    nodes.push_back(Node{c.op, 0, 0, 0, 0, -1});
    switch (c.op) {
      case ConditionOp::kAll:
      case ConditionOp::kAny: {
        std::string base = PointerJoin(path, ConditionOpName(c.op));
        for (size_t k = 0; k < c.children.size(); ++k) {
          Add(c.children[k], PointerJoin(base, k), nodes);
        }
        break;
      }
      case ConditionOp::kNot:
        if (c.children.size() != 1) {
          Error(path + "/not",
                fmt::format("found {} conditions, expected exactly one",
                            c.children.size()));
        } else {
          Add(c.children[0], path + "/not", nodes);
        }
        break;
      default:
        CheckTest(c, path);
        if (!c.field.empty()) nodes[index].slot = fields_.Intern(c.field);
        nodes[index].first_value = static_cast<uint32_t>(values_.size());
        nodes[index].value_count = static_cast<uint32_t>(c.values.size());
        for (const Value& v : c.values) values_.push_back(v);
        break;
    }
    nodes[index].end = static_cast<uint32_t>(nodes.size());
  }

 private:
  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  void CheckTest(const Condition& c, const std::string& path) {
    std::string op_path = PointerJoin(path, ConditionOpName(c.op));
    if (c.field.empty()) {
      Error(path + "/field", "missing field name, expected a lead field");
    }
    const auto& vs = c.values;
    auto expect_count = [&](size_t n, std::string_view what) {
      if (vs.size() == n) return true;
      Error(op_path,
            fmt::format("found {} operands, expected {}", vs.size(), what));
      return false;
    };
    switch (c.op) {
      case ConditionOp::kEq:
      case ConditionOp::kNe:
        if (expect_count(1, "one string, number or boolean") &&
            !IsScalar(vs[0])) {
          Error(op_path, fmt::format("found {}, expected a string, number or "
                                     "boolean",
                                     Value::TypeName(vs[0].type())));
        }
        break;
      case ConditionOp::kIn:
      case ConditionOp::kNotIn:
        if (vs.empty()) {
          Error(op_path, "found an empty list, expected at least one value");
        }
        for (size_t k = 0; k < vs.size(); ++k) {
          if (!IsScalar(vs[k])) {
            Error(PointerJoin(op_path, k),
                  fmt::format("found {}, expected a string, number or boolean",
                              Value::TypeName(vs[k].type())));
          }
        }
        break;
      case ConditionOp::kGt:
      case ConditionOp::kGte:
      case ConditionOp::kLt:
      case ConditionOp::kLte:
        if (expect_count(1, "one number") && !vs[0].is_number()) {
          Error(op_path, fmt::format("found {}, expected a number",
                                     Value::TypeName(vs[0].type())));
        }
        break;
      case ConditionOp::kBetween:
        if (!expect_count(2, "two numbers [low, high]")) break;
        if (!vs[0].is_number() || !vs[1].is_number()) {
          Error(op_path, "expected two numbers [low, high]");
        } else if (*vs[0].number() > *vs[1].number()) {
          Error(op_path, fmt::format("found low {} above high {}, expected "
                                     "low <= high",
                                     vs[0].ToJson(), vs[1].ToJson()));
        }
        break;
      case ConditionOp::kExists:
        if (vs.size() > 1 || (vs.size() == 1 && !vs[0].is_bool())) {
          Error(op_path, "expected true or false");
        }
        break;
      case ConditionOp::kPrefix:
      case ConditionOp::kContains:
        if (expect_count(1, "one string") && !vs[0].is_string()) {
          Error(op_path, fmt::format("found {}, expected a string",
                                     Value::TypeName(vs[0].type())));
        }
        break;
      default:
        break;
    }
  }

  FieldTable& fields_;
  std::vector<ConfigError>& errors_;
  std::vector<Value>& values_;
};

}  // namespace

CompiledCondition CompiledCondition::Compile(const Condition& condition,
                                             const std::string& path,
                                             FieldTable& fields,
                                             std::vector<ConfigError>& errors) {
  CompiledCondition out;
  Compiler compiler(fields, errors, out.values_);
  compiler.Add(condition, path, out.nodes_);
  out.BuildStringSets();
  return out;
}

void CompiledCondition::BuildStringSets() {
  for (Node& node : nodes_) {
    if (node.op != ConditionOp::kIn && node.op != ConditionOp::kNotIn) {
      continue;
    }
    StringSet set;
    for (uint32_t k = 0; k < node.value_count; ++k) {
      const Value& operand = values_[node.first_value + k];
      if (const std::string* text = operand.string_if()) {
        set.FindOrAdd(*text, true);
      }
    }
    if (set.size() < kMinSetSize) continue;
    node.string_set = static_cast<int32_t>(string_sets_.size());
    string_sets_.push_back(std::move(set));
  }
}

bool CompiledCondition::Evaluate(const LeadView& lead) const noexcept {
  return nodes_.empty() || Eval(0, lead);
}

bool CompiledCondition::Eval(uint32_t index,
                             const LeadView& lead) const noexcept {
  const Node& node = nodes_[index];
  switch (node.op) {
    case ConditionOp::kAll:
      for (uint32_t child = index + 1; child < node.end;
           child = nodes_[child].end) {
        if (!Eval(child, lead)) return false;
      }
      return true;
    case ConditionOp::kAny:
      for (uint32_t child = index + 1; child < node.end;
           child = nodes_[child].end) {
        if (Eval(child, lead)) return true;
      }
      return false;
    case ConditionOp::kNot:
      return index + 1 < node.end && !Eval(index + 1, lead);
    case ConditionOp::kExists: {
      const Value* field = lead.Get(node.slot);
      bool present = field != nullptr && !field->is_null();
      bool want = node.value_count == 0 || values_[node.first_value].as_bool();
      return present == want;
    }
    default: {
      const Value* field = lead.Get(node.slot);
      return field != nullptr && Test(node, *field);
    }
  }
}

bool CompiledCondition::Test(const Node& node,
                             const Value& field) const noexcept {
  const Value* ops = values_.data() + node.first_value;
  switch (node.op) {
    case ConditionOp::kEq:
      return ScalarEquals(field, ops[0]);
    case ConditionOp::kNe:
      return Comparable(field, ops[0]) && !ScalarEquals(field, ops[0]);
    case ConditionOp::kIn:
      if (const std::string* text = field.string_if();
          text != nullptr && node.string_set >= 0) {
        return string_sets_[node.string_set].Find(*text) != nullptr;
      }
      for (uint32_t k = 0; k < node.value_count; ++k) {
        if (ScalarEquals(field, ops[k])) return true;
      }
      return false;
    case ConditionOp::kNotIn: {
      // As `ne`: the field must be comparable with the operands (a number
      // is not "not in" a list of strings; it is the wrong type).
      if (const std::string* text = field.string_if();
          text != nullptr && node.string_set >= 0) {
        return string_sets_[node.string_set].Find(*text) == nullptr;
      }
      bool comparable = false;
      for (uint32_t k = 0; k < node.value_count; ++k) {
        if (ScalarEquals(field, ops[k])) return false;
        comparable = comparable || Comparable(field, ops[k]);
      }
      return comparable;
    }
    case ConditionOp::kGt:
    case ConditionOp::kGte:
    case ConditionOp::kLt:
    case ConditionOp::kLte:
    case ConditionOp::kBetween: {
      auto x = field.number();
      if (!x) return false;
      double v = *x;
      switch (node.op) {
        case ConditionOp::kGt:
          return v > *ops[0].number();
        case ConditionOp::kGte:
          return v >= *ops[0].number();
        case ConditionOp::kLt:
          return v < *ops[0].number();
        case ConditionOp::kLte:
          return v <= *ops[0].number();
        default:
          return v >= *ops[0].number() && v <= *ops[1].number();
      }
    }
    case ConditionOp::kPrefix: {
      const std::string* s = field.string_if();
      return s != nullptr && StartsWithIgnoreCase(*s, ops[0].as_string());
    }
    case ConditionOp::kContains: {
      const std::string& item = ops[0].as_string();
      if (const auto* list = field.list_if()) {
        for (const auto& element : *list) {
          if (EqualsIgnoreCase(element, item)) return true;
        }
        return false;
      }
      const std::string* s = field.string_if();
      return s != nullptr && ContainsIgnoreCase(*s, item);
    }
    default:
      return false;
  }
}

}  // namespace leadroute::internal
