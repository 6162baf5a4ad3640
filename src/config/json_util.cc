#include "config/json_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

namespace leadroute::internal {

std::string PointerJoin(std::string_view base, std::string_view token) {
  std::string out(base);
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PointerJoin(std::string_view base, size_t index) {
  return fmt::format("{}/{}", base, index);
}

std::string_view JsonTypeName(const Json& value) noexcept {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

std::string Found(const Json& value) {
  if (value.is_object()) return "found an object";
  if (value.is_array())
    return fmt::format("found an array of {}", value.size());
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return fmt::format("found {} {}", JsonTypeName(value), text);
}

std::string Found(const OrderedJson& value) {
  // Error path only: the same wording as for Json.
  return Found(Json::parse(
      value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace)));
}

const JsonLimits& DefaultJsonLimits() noexcept {
  static const JsonLimits limits;
  return limits;
}

namespace {

std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

template <class JsonType>
bool CheckValues(const JsonType& value, const std::string& path,
                 std::string_view key, const JsonLimits& limits,
                 std::vector<ConfigError>& errors) {
  bool ok = true;
  if (value.is_string()) {
    const auto& s = value.template get_ref<const std::string&>();
    if (s.size() > limits.max_string_bytes) {
      errors.push_back({path, fmt::format("string of {} bytes, expected at "
                                          "most {}",
                                          s.size(), limits.max_string_bytes)});
      return false;
    }
  } else if (value.is_array()) {
    size_t cap = limits.max_array_items;
    if (key == "rules") cap = limits.max_rules;
    if (key == "reps") cap = limits.max_reps;
    if (key == "teams") cap = limits.max_teams;
    if (key == "steps") cap = limits.max_steps;
    if (key == "bands") cap = limits.max_bands;
    if (key == "accounts") cap = limits.max_accounts;
    if (value.size() > cap) {
      errors.push_back(
          {path,
           fmt::format(
               "array of {} items, expected at most {}{}", value.size(), cap,
               key.empty() ? std::string() : fmt::format(" \"{}\"", key))});
      return false;
    }
    size_t i = 0;
    for (const auto& item : value) {
      ok = CheckValues(item, PointerJoin(path, i++), "", limits, errors) && ok;
    }
  } else if (value.is_object()) {
    if (value.size() > limits.max_object_members) {
      errors.push_back(
          {path, fmt::format("object of {} members, expected at most {}",
                             value.size(), limits.max_object_members)});
      return false;
    }
    for (const auto& [k, item] : value.items()) {
      if (k.size() > limits.max_key_bytes) {
        errors.push_back(
            {path, fmt::format("key of {} bytes, expected at most {}", k.size(),
                               limits.max_key_bytes)});
        ok = false;
        continue;
      }
      ok = CheckValues(item, PointerJoin(path, k), k, limits, errors) && ok;
    }
  }
  return ok;
}

}  // namespace

bool CheckJsonText(std::string_view text, std::vector<ConfigError>& errors,
                   const JsonLimits& limits) {
  if (text.size() > limits.max_document_bytes) {
    errors.push_back({"", fmt::format("document of {} bytes, expected at "
                                      "most {}",
                                      text.size(), limits.max_document_bytes)});
    return false;
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        auto [line, column] = LineAndColumn(text, i);
        errors.push_back(
            {"", fmt::format("nesting deeper than {} levels at line {}, "
                             "column {}",
                             limits.max_depth, line, column)});
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

bool CheckJsonValues(const Json& doc, std::vector<ConfigError>& errors,
                     const JsonLimits& limits) {
  return CheckValues(doc, "", "", limits, errors);
}

bool CheckJsonValues(const OrderedJson& doc, std::vector<ConfigError>& errors,
                     const JsonLimits& limits) {
  return CheckValues(doc, "", "", limits, errors);
}

std::optional<Json> ParseJson(std::string_view text,
                              std::vector<ConfigError>& errors) {
  if (!CheckJsonText(text, errors)) return std::nullopt;
  try {
    Json doc = Json::parse(text.begin(), text.end());
    if (!CheckJsonValues(doc, errors)) return std::nullopt;
    return doc;
  } catch (const Json::parse_error& e) {
    // Translate the byte offset into a line and column a person can open.
    size_t offset = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    auto [line, column] = LineAndColumn(text, offset);
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at ...:
    // ".
    if (auto pos = what.rfind(": "); pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    errors.push_back({"", fmt::format("invalid JSON at line {}, column {}: {}",
                                      line, column, what)});
    return std::nullopt;
  } catch (const Json::exception& e) {
    // Not a syntax error but a value JSON allows and a double cannot hold
    // ("1e999": out_of_range 406, "number overflow parsing ...").
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    errors.push_back({"", fmt::format("invalid JSON: {}", what)});
    return std::nullopt;
  }
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string_view ClosestKey(std::string_view key,
                            std::span<const std::string_view> known) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, key.size() / 3) + 1;
  for (std::string_view k : known) {
    size_t d = EditDistance(key, k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

namespace {

template <typename J>
void CheckKeysOf(const J& object, std::string_view path,
                 std::span<const std::string_view> known,
                 std::vector<ConfigError>& errors) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::vector<std::string_view> sorted(known.begin(), known.end());
    std::sort(sorted.begin(), sorted.end());
    std::string message;
    std::string_view close = ClosestKey(key, known);
    if (!close.empty()) {
      message = fmt::format(
          "unknown key \"{}\" (did you mean \"{}\"?); "
          "expected one of: {}",
          key, close, fmt::join(sorted, ", "));
    } else if (sorted.empty()) {
      message =
          fmt::format("unknown key \"{}\"; this object takes no keys", key);
    } else {
      message = fmt::format("unknown key \"{}\"; expected one of: {}", key,
                            fmt::join(sorted, ", "));
    }
    errors.push_back({PointerJoin(path, key), std::move(message)});
  }
}

}  // namespace

void CheckKeys(const Json& object, std::string_view path,
               std::span<const std::string_view> known,
               std::vector<ConfigError>& errors) {
  CheckKeysOf(object, path, known, errors);
}

void CheckKeys(const OrderedJson& object, std::string_view path,
               std::span<const std::string_view> known,
               std::vector<ConfigError>& errors) {
  CheckKeysOf(object, path, known, errors);
}

namespace {

// ToValue for either kind of JSON document.
template <class JsonType>
std::optional<Value> ToValueOf(const JsonType& json, std::string_view path,
                               std::vector<ConfigError>& errors) {
  using Type = typename JsonType::value_t;
  switch (json.type()) {
    case Type::null:
      return Value();
    case Type::boolean:
      return Value(json.template get<bool>());
    case Type::number_integer:
      return Value(json.template get<int64_t>());
    case Type::number_unsigned: {
      auto u = json.template get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(double(u));
      return Value(static_cast<int64_t>(u));
    }
    case Type::number_float:
      return Value(json.template get<double>());
    case Type::string:
      return Value(json.template get<std::string>());
    case Type::array: {
      std::vector<std::string> list;
      list.reserve(json.size());
      bool ok = true;
      for (size_t i = 0; i < json.size(); ++i) {
        if (!json[i].is_string()) {
          errors.push_back({PointerJoin(path, i),
                            fmt::format("{}, expected a string (lists hold "
                                        "strings only)",
                                        Found(json[i]))});
          ok = false;
          continue;
        }
        list.push_back(json[i].template get<std::string>());
      }
      if (!ok) return std::nullopt;
      return Value(std::move(list));
    }
    default:
      errors.push_back({std::string(path),
                        fmt::format("{}, expected a string, number, boolean, "
                                    "null or array of strings",
                                    Found(json))});
      return std::nullopt;
  }
}

}  // namespace

std::optional<Value> ToValue(const Json& json, std::string_view path,
                             std::vector<ConfigError>& errors) {
  return ToValueOf(json, path, errors);
}

std::optional<Value> ToValue(const OrderedJson& json, std::string_view path,
                             std::vector<ConfigError>& errors) {
  return ToValueOf(json, path, errors);
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

Status ErrorsToStatus(std::vector<ConfigError> errors) {
  return Status::FromErrors(std::move(errors));
}

}  // namespace leadroute::internal
