#include "leadroute/lead.h"

#include <fmt/format.h>

#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "config/json_util.h"

LEADROUTE_NAMESPACE_BEGIN

namespace {

// Leads keep their fields in document order, so they parse into
// ordered_json rather than the sorted internal::Json.
using OrderedJson = nlohmann::ordered_json;
using internal::PointerJoin;

// Deeper nesting than this is almost certainly not a lead; the limit also
// bounds the recursion below.
constexpr int kMaxDepth = 32;

std::string FoundText(const OrderedJson& value) {
  // Error path only: reuse the shared wording of internal::Found.
  return internal::Found(internal::Json::parse(
      value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace)));
}

std::optional<Value> ToFieldValue(const OrderedJson& json,
                                  const std::string& path,
                                  std::vector<ConfigError>& errors) {
  switch (json.type()) {
    case OrderedJson::value_t::null:
      return Value();
    case OrderedJson::value_t::boolean:
      return Value(json.get<bool>());
    case OrderedJson::value_t::number_integer:
      return Value(json.get<int64_t>());
    case OrderedJson::value_t::number_unsigned: {
      auto u = json.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) {
        return Value(static_cast<double>(u));
      }
      return Value(static_cast<int64_t>(u));
    }
    case OrderedJson::value_t::number_float:
      return Value(json.get<double>());
    case OrderedJson::value_t::string:
      return Value(json.get<std::string>());
    case OrderedJson::value_t::array: {
      std::vector<std::string> list;
      list.reserve(json.size());
      bool ok = true;
      for (size_t i = 0; i < json.size(); ++i) {
        if (!json[i].is_string()) {
          errors.push_back({PointerJoin(path, i),
                            fmt::format("{}, expected a string (lists hold "
                                        "strings only)",
                                        FoundText(json[i]))});
          ok = false;
          continue;
        }
        list.push_back(json[i].get<std::string>());
      }
      if (!ok) return std::nullopt;
      return Value(std::move(list));
    }
    default:
      errors.push_back({path, fmt::format("{}, expected a string, number, "
                                          "boolean, null or array of strings",
                                          FoundText(json))});
      return std::nullopt;
  }
}

// Adds every member of `object` to `lead`, flattening nested objects into
// dotted names under `prefix`.
void AddFields(const OrderedJson& object, const std::string& prefix,
               const std::string& path, int depth, Lead& lead,
               std::vector<ConfigError>& errors) {
  for (const auto& [key, value] : object.items()) {
    if (depth == 0 && key == "id") continue;
    std::string member_path = PointerJoin(path, key);
    if (key.empty()) {
      errors.push_back({member_path, "empty field name"});
      continue;
    }
    std::string name = prefix;
    if (!name.empty()) name += '.';
    name += key;
    if (value.is_object()) {
      if (depth + 1 >= kMaxDepth) {
        errors.push_back(
            {member_path,
             fmt::format("objects nested deeper than {} levels", kMaxDepth)});
        continue;
      }
      AddFields(value, name, member_path, depth + 1, lead, errors);
      continue;
    }
    std::optional<Value> v = ToFieldValue(value, member_path, errors);
    if (!v) continue;
    if (lead.Find(name) != nullptr) {
      errors.push_back(
          {member_path,
           fmt::format("field \"{}\" is given twice (nested objects flatten "
                       "to dotted names)",
                       name)});
      continue;
    }
    lead.Set(std::move(name), std::move(*v));
  }
}

OrderedJson ToOrderedJson(const Value& value) {
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

Result<Lead> ParseLead(std::string_view json) {
  std::vector<ConfigError> errors;
  OrderedJson doc = OrderedJson::parse(json.begin(), json.end(), nullptr,
                                       /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again only to word the error with its line and column.
    (void)internal::ParseJson(json, errors);
    if (errors.empty()) errors.push_back({"", "invalid JSON"});
    return Status::FromErrors(std::move(errors));
  }
  if (!doc.is_object()) {
    errors.push_back(
        {"", fmt::format("{}, expected a lead object", FoundText(doc))});
    return Status::FromErrors(std::move(errors));
  }

  Lead lead;
  auto id = doc.find("id");
  if (id == doc.end()) {
    errors.push_back({"", "missing required key \"id\""});
  } else if (id->is_string()) {
    lead.set_id(id->get<std::string>());
    if (lead.id().empty()) errors.push_back({"/id", "empty lead id"});
  } else if (id->is_number_unsigned()) {
    lead.set_id(std::to_string(id->get<uint64_t>()));
  } else if (id->is_number_integer()) {
    lead.set_id(std::to_string(id->get<int64_t>()));
  } else {
    errors.push_back({"/id", fmt::format("{}, expected a string or an integer",
                                         FoundText(*id))});
  }

  AddFields(doc, "", "", 0, lead, errors);
  if (!errors.empty()) return Status::FromErrors(std::move(errors));
  return lead;
}

}  // namespace

Lead& Lead::Set(std::string name, Value value) {
  for (auto& field : fields_) {
    if (field.first == name) {
      field.second = std::move(value);
      return *this;
    }
  }
  fields_.emplace_back(std::move(name), std::move(value));
  return *this;
}

const Value* Lead::Find(std::string_view name) const noexcept {
  for (const auto& field : fields_) {
    if (field.first == name) return &field.second;
  }
  return nullptr;
}

std::string Lead::ToJson() const {
  OrderedJson out = OrderedJson::object();
  out["id"] = id_;
  for (const auto& [name, value] : fields_) {
    // The id key belongs to the lead id; a field of that name cannot be
    // written without making the line ambiguous.
    if (name == "id") continue;
    out[name] = ToOrderedJson(value);
  }
  return out.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

Result<Lead> Lead::FromJson(std::string_view json) {
  // No exception crosses the public API; only allocation can throw here.
  try {
    return ParseLead(json);
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("reading lead: {}", e.what()));
  }
}

LEADROUTE_NAMESPACE_END
