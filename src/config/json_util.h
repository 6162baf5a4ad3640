// Reading JSON documents with errors that say where (JSON Pointer) and what
// was expected. Used by every loader: RuleSet, Lead, AccountDirectory.
#ifndef LEADROUTE_CONFIG_JSON_UTIL_H_
#define LEADROUTE_CONFIG_JSON_UTIL_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/status.h"
#include "leadroute/value.h"

namespace leadroute::internal {

using Json = nlohmann::json;
// Keeps object members in document order: leads, canonical output.
using OrderedJson = nlohmann::ordered_json;

// Appends one reference token to a JSON Pointer, escaping "~" and "/".
std::string PointerJoin(std::string_view base, std::string_view token);
std::string PointerJoin(std::string_view base, size_t index);

// "string", "number", "integer", "boolean", "null", "array" or "object".
std::string_view JsonTypeName(const Json& value) noexcept;
// "found <type> <value>" with long values shortened, for error messages.
std::string Found(const Json& value);
std::string Found(const OrderedJson& value);

// Limits on every JSON document leadroute reads (rulesets, accounts, leads,
// step parameters), so that hostile or broken input is a clear error with a
// path, never a crash, a stack overflow or a hang. One place for all of them.
struct JsonLimits {
  size_t max_document_bytes = size_t{32} << 20;  // 32 MiB
  int max_depth = 64;                            // nested arrays/objects
  size_t max_string_bytes = size_t{1} << 20;     // 1 MiB per string value
  size_t max_key_bytes = 4096;                   // per object key
  size_t max_array_items = 100000;               // any array, unless below
  size_t max_object_members = 10000;
  // Arrays under these keys (at any depth) have their own caps.
  size_t max_rules = 10000;       // "rules"
  size_t max_reps = 100000;       // "reps"
  size_t max_teams = 10000;       // "teams"
  size_t max_steps = 100;         // "steps"
  size_t max_bands = 1000;        // "bands"
  size_t max_accounts = 1000000;  // "accounts"
};
const JsonLimits& DefaultJsonLimits() noexcept;

// Checks the raw text against the size and nesting limits before anything
// is parsed (a deep document never becomes a deep tree). Appends one error
// at "" naming the line and column; returns false when a limit is exceeded.
bool CheckJsonText(std::string_view text, std::vector<ConfigError>& errors,
                   const JsonLimits& limits = DefaultJsonLimits());
// Checks string, key and count limits of a parsed document; appends an error
// at the JSON Pointer of every value over a limit; false when any is.
bool CheckJsonValues(const Json& doc, std::vector<ConfigError>& errors,
                     const JsonLimits& limits = DefaultJsonLimits());
bool CheckJsonValues(const OrderedJson& doc, std::vector<ConfigError>& errors,
                     const JsonLimits& limits = DefaultJsonLimits());

// Parses `text` within DefaultJsonLimits(); on failure appends the errors
// (one at "" naming the line and column for malformed JSON) and returns
// nullopt.
std::optional<Json> ParseJson(std::string_view text,
                              std::vector<ConfigError>& errors);

// Appends an error for every key of `object` not in `known`, naming the
// expected keys and the closest one when it looks like a typo.
void CheckKeys(const Json& object, std::string_view path,
               std::span<const std::string_view> known,
               std::vector<ConfigError>& errors);
void CheckKeys(const OrderedJson& object, std::string_view path,
               std::span<const std::string_view> known,
               std::vector<ConfigError>& errors);
// The records of a saved-state section: calls fn(item, item_path) for each
// item of the array `json` (at `path`), after CheckKeys(item, `known`). A
// `json` that is not an array, or an item that is not an object, is an error
// ("expected an array", "expected an object") and gets no call.
template <typename Fn>
void ForEachObject(const OrderedJson& json, const std::string& path,
                   std::span<const std::string_view> known,
                   std::vector<ConfigError>& errors, Fn&& fn) {
  if (!json.is_array()) {
    errors.push_back({path, "expected an array, " + Found(json)});
    return;
  }
  for (size_t i = 0; i < json.size(); ++i) {
    const OrderedJson& item = json[i];
    const std::string at = PointerJoin(path, i);
    if (!item.is_object()) {
      errors.push_back({at, "expected an object, " + Found(item)});
      continue;
    }
    CheckKeys(item, at, known, errors);
    fn(item, at);
  }
}
// The known key closest to `key` by edit distance, or "" when none is close.
std::string_view ClosestKey(std::string_view key,
                            std::span<const std::string_view> known);

// A scalar or an array of strings as a Value; nested objects are not
// Values. On a bad shape appends an error at `path` and returns nullopt.
std::optional<Value> ToValue(const Json& json, std::string_view path,
                             std::vector<ConfigError>& errors);
std::optional<Value> ToValue(const OrderedJson& json, std::string_view path,
                             std::vector<ConfigError>& errors);

// `value` as a `Json`, or as an `OrderedJson` for output that keeps its
// member order.
template <class JsonType = Json>
JsonType FromValue(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return nullptr;
    case Value::Type::kBool:
      return value.as_bool();
    case Value::Type::kInt:
      return value.as_int();
    case Value::Type::kDouble:
      return *value.number();
    case Value::Type::kString:
      return value.as_string();
    case Value::Type::kList:
      return value.as_list();
  }
  return nullptr;
}

// Reads a whole file; nullopt when it cannot be opened.
std::optional<std::string> ReadFile(const std::string& path);

// Joins errors into the Status message form "<path>: <message>" per line.
Status ErrorsToStatus(std::vector<ConfigError> errors);

}  // namespace leadroute::internal

#endif  // LEADROUTE_CONFIG_JSON_UTIL_H_
