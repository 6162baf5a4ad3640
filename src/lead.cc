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
// OrderedJson rather than the sorted internal::Json.
using internal::Found;
using internal::OrderedJson;
using internal::PointerJoin;

// Deeper nesting than this is almost certainly not a lead; the limit also
// bounds the recursion below.
constexpr int kMaxDepth = 32;

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
    std::optional<Value> v = internal::ToValue(value, member_path, errors);
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

Result<Lead> ParseLead(std::string_view json) {
  std::vector<ConfigError> errors;
  // Size and nesting limits first, so hostile input never builds a tree.
  if (!internal::CheckJsonText(json, errors)) {
    return Status::FromErrors(std::move(errors));
  }
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
        {"", fmt::format("{}, expected a lead object", Found(doc))});
    return Status::FromErrors(std::move(errors));
  }

  if (!internal::CheckJsonValues(doc, errors)) {
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
                                         Found(*id))});
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
    out[name] = internal::FromValue<OrderedJson>(value);
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
