// FieldTable: lead field names interned to slots when a RuleSet compiles.
#ifndef LEADROUTE_COMPILE_FIELD_TABLE_H_
#define LEADROUTE_COMPILE_FIELD_TABLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leadroute/strategy.h"
#include "util/text.h"

namespace leadroute::internal {

class FieldTable {
 public:
  // The slot for `name`, adding it on first use.
  FieldSlot Intern(std::string_view name) {
    auto it = slots_.find(name);
    if (it != slots_.end()) return it->second;
    auto slot = static_cast<FieldSlot>(names_.size());
    names_.emplace_back(name);
    slots_.emplace(std::string(name), slot);
    return slot;
  }
  // The slot for `name`, or nullopt when no rule reads that field.
  std::optional<FieldSlot> Find(std::string_view name) const noexcept {
    auto it = slots_.find(name);
    if (it == slots_.end()) return std::nullopt;
    return it->second;
  }
  size_t size() const noexcept { return names_.size(); }
  const std::string& name(FieldSlot slot) const { return names_[slot]; }

 private:
  std::unordered_map<std::string, FieldSlot, StringHash, std::equal_to<>>
      slots_;
  std::vector<std::string> names_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_FIELD_TABLE_H_
