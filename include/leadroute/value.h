// Value: the type of a lead field or a rep attribute.
//
// A Value is null, a bool, a number (int64 or double), a string, or a list of
// strings. It is a plain value type; not synchronised.
#ifndef LEADROUTE_VALUE_H_
#define LEADROUTE_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

class LEADROUTE_EXPORT Value {
 public:
  enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kList };

  Value() noexcept = default;                          // null
  Value(std::nullptr_t) noexcept {}                    // NOLINT
  Value(bool b) noexcept : v_(b) {}                    // NOLINT
  Value(int i) noexcept : v_(int64_t{i}) {}            // NOLINT
  Value(long i) noexcept : v_(int64_t{i}) {}           // NOLINT
  Value(long long i) noexcept : v_(int64_t{i}) {}      // NOLINT
  Value(double d) noexcept : v_(d) {}                  // NOLINT
  Value(const char* s) : v_(std::string(s)) {}         // NOLINT
  Value(std::string s) noexcept : v_(std::move(s)) {}  // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}    // NOLINT
  Value(std::vector<std::string> list) noexcept        // NOLINT
      : v_(std::move(list)) {}

  Type type() const noexcept { return static_cast<Type>(v_.index()); }
  bool is_null() const noexcept { return type() == Type::kNull; }
  bool is_bool() const noexcept { return type() == Type::kBool; }
  bool is_int() const noexcept { return type() == Type::kInt; }
  bool is_double() const noexcept { return type() == Type::kDouble; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return type() == Type::kString; }
  bool is_list() const noexcept { return type() == Type::kList; }

  // Accessors. REQUIRES: the matching is_*() holds.
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const std::vector<std::string>& as_list() const {
    return std::get<std::vector<std::string>>(v_);
  }
  // The number as a double (ints convert), or nullopt for non-numbers.
  std::optional<double> number() const noexcept {
    if (const auto* i = std::get_if<int64_t>(&v_)) return double(*i);
    if (const auto* d = std::get_if<double>(&v_)) return *d;
    return std::nullopt;
  }
  // The string, or nullptr for non-strings. Never allocates.
  const std::string* string_if() const noexcept {
    return std::get_if<std::string>(&v_);
  }
  const std::vector<std::string>* list_if() const noexcept {
    return std::get_if<std::vector<std::string>>(&v_);
  }

  // "null", "bool", "int", "number", "string" or "list".
  static std::string_view TypeName(Type type) noexcept;
  // The value as JSON text, e.g. `"DE"`, `42`, `["crm","cpq"]`.
  std::string ToJson() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string,
               std::vector<std::string>>
      v_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_VALUE_H_
