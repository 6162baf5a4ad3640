// FieldTable: lead field names interned to slots when a RuleSet compiles.
#ifndef LEADROUTE_COMPILE_FIELD_TABLE_H_
#define LEADROUTE_COMPILE_FIELD_TABLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/strategy.h"
#include "util/string_index.h"
#include "util/text.h"

namespace leadroute::internal {

class FieldTable {
 public:
  // The slot for `name`, adding it on first use.
  FieldSlot Intern(std::string_view name) {
    return slots_.FindOrAdd(name, static_cast<FieldSlot>(slots_.size()));
  }
  // The slot for `name`, or nullopt when no rule reads that field.
  std::optional<FieldSlot> Find(std::string_view name) const noexcept {
    const FieldSlot* slot = slots_.Find(name);
    if (slot == nullptr) return std::nullopt;
    return *slot;
  }
  size_t size() const noexcept { return slots_.size(); }
  // Slots are numbered in interning order, as the index keeps its entries.
  const std::string& name(FieldSlot slot) const {
    return slots_.entries()[slot].key;
  }

 private:
  StringIndex<FieldSlot, StringHash, std::equal_to<>> slots_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_COMPILE_FIELD_TABLE_H_
