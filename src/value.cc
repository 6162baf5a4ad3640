#include "leadroute/value.h"

#include "config/json_util.h"

LEADROUTE_NAMESPACE_BEGIN

std::string_view Value::TypeName(Type type) noexcept {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kDouble:
      return "number";
    case Type::kString:
      return "string";
    case Type::kList:
      return "list";
  }
  return "null";
}

std::string Value::ToJson() const {
  // `replace` keeps invalid UTF-8 from throwing: the output shows U+FFFD.
  return internal::FromValue(*this).dump(
      -1, ' ', false, internal::Json::error_handler_t::replace);
}

LEADROUTE_NAMESPACE_END
