// Lead: one incoming lead to route, an id plus named fields.
//
// Standard field names are `email`, `domain`, `company`, `account_id`,
// `country`, `state`, `postal_code`, `city`, `region`, `industry`,
// `employees`, `score`, `deal_value`, `products`, `language`, `source`,
// `use_case` and `created_at`; any other name works the same way. A Lead is a
// plain value; not synchronised.
#ifndef LEADROUTE_LEAD_H_
#define LEADROUTE_LEAD_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/status.h"
#include "leadroute/value.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

class LEADROUTE_EXPORT Lead {
 public:
  using Field = std::pair<std::string, Value>;

  Lead() = default;
  explicit Lead(std::string id) : id_(std::move(id)) {}

  // Parses one JSON object: `"id"` (string or integer, required) and the
  // fields. Nested objects flatten to dotted names (`{"a": {"b": 1}}` is field
  // `a.b`); arrays must hold strings. Errors are kInvalidArgument with the
  // JSON Pointer of each bad value.
  static Result<Lead> FromJson(std::string_view json);

  const std::string& id() const noexcept { return id_; }
  void set_id(std::string id) { id_ = std::move(id); }

  // Sets field `name` to `value`, replacing an earlier value. Returns *this
  // so calls chain: `Lead("L1").Set("country", "DE").Set("score", 80)`.
  Lead& Set(std::string name, Value value);
  // The field's value, or nullptr when the lead has no such field.
  const Value* Find(std::string_view name) const noexcept;
  // Every field, in the order first set.
  const std::vector<Field>& fields() const noexcept { return fields_; }

  // The lead as one line of JSON (id first, then fields in order).
  std::string ToJson() const;

 private:
  std::string id_;
  std::vector<Field> fields_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_LEAD_H_
