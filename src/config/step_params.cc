#include "config/step_params.h"

#include <fmt/format.h>

#include <utility>

namespace leadroute {

struct StepParams::Impl {
  std::shared_ptr<internal::StepParamsState> state;
  const internal::Json* object;
  std::string path;
};

StepParams::StepParams(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
StepParams::StepParams(const StepParams&) = default;
StepParams& StepParams::operator=(const StepParams&) = default;
StepParams::StepParams(StepParams&&) noexcept = default;
StepParams& StepParams::operator=(StepParams&&) noexcept = default;
StepParams::~StepParams() = default;

namespace {

using internal::Json;

// Marks `key` known and returns its value, or nullptr when missing (with an
// error when required).
const Json* Lookup(const StepParams::Impl& impl, std::string_view key,
                   StepParams::Need need) {
  auto& seen = impl.state->objects[impl.path];
  seen.object = impl.object;
  seen.known.emplace(key);
  auto it = impl.object->find(key);
  if (it == impl.object->end()) {
    if (need == StepParams::Need::kRequired) {
      // The pointer of the key that should be there, as the JSON loader
      // reports missing keys.
      impl.state->errors.push_back(
          {internal::PointerJoin(impl.path, key),
           fmt::format("missing required key \"{}\"", key)});
    }
    return nullptr;
  }
  return &*it;
}

void WrongType(const StepParams::Impl& impl, std::string_view key,
               const Json& value, std::string_view expected) {
  impl.state->errors.push_back(
      {internal::PointerJoin(impl.path, key),
       fmt::format("{}, expected {}", internal::Found(value), expected)});
}

}  // namespace

const std::string& StepParams::path() const noexcept { return impl_->path; }

bool StepParams::Has(std::string_view key) const {
  return Lookup(*impl_, key, Need::kOptional) != nullptr;
}

std::optional<std::string> StepParams::String(std::string_view key,
                                              Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    WrongType(*impl_, key, *v, "a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> StepParams::Number(std::string_view key,
                                         Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    WrongType(*impl_, key, *v, "a number");
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<int64_t> StepParams::Integer(std::string_view key,
                                           Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) {
    WrongType(*impl_, key, *v, "an integer");
    return std::nullopt;
  }
  if (v->is_number_unsigned()) {
    return static_cast<int64_t>(v->get<uint64_t>());
  }
  return v->get<int64_t>();
}

std::optional<bool> StepParams::Bool(std::string_view key, Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    WrongType(*impl_, key, *v, "true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> StepParams::Strings(
    std::string_view key, Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    WrongType(*impl_, key, *v, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      impl_->state->errors.push_back(
          {internal::PointerJoin(internal::PointerJoin(impl_->path, key), i),
           fmt::format("{}, expected a string", internal::Found(item))});
      ok = false;
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Value> StepParams::Any(std::string_view key, Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  return internal::ToValue(*v, internal::PointerJoin(impl_->path, key),
                           impl_->state->errors);
}

std::optional<StepParams> StepParams::Object(std::string_view key,
                                             Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    WrongType(*impl_, key, *v, "an object");
    return std::nullopt;
  }
  std::string path = internal::PointerJoin(impl_->path, key);
  impl_->state->objects[path].object = v;
  return StepParams(std::make_shared<Impl>(Impl{impl_->state, v, path}));
}

std::optional<std::vector<StepParams>> StepParams::Objects(std::string_view key,
                                                           Need need) const {
  const Json* v = Lookup(*impl_, key, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    WrongType(*impl_, key, *v, "an array of objects");
    return std::nullopt;
  }
  std::string base = internal::PointerJoin(impl_->path, key);
  std::vector<StepParams> out;
  bool ok = true;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    std::string path = internal::PointerJoin(base, i);
    if (!item.is_object()) {
      impl_->state->errors.push_back(
          {path, fmt::format("{}, expected an object", internal::Found(item))});
      ok = false;
      continue;
    }
    impl_->state->objects[path].object = &item;
    out.emplace_back(std::make_shared<Impl>(Impl{impl_->state, &item, path}));
  }
  if (!ok) return std::nullopt;
  return out;
}

void StepParams::Error(std::string_view key, std::string message) const {
  impl_->state->errors.push_back(
      {key.empty() ? impl_->path : internal::PointerJoin(impl_->path, key),
       std::move(message)});
}

void StepParams::Error(std::string_view key, size_t index,
                       std::string message) const {
  impl_->state->errors.push_back(
      {internal::PointerJoin(internal::PointerJoin(impl_->path, key), index),
       std::move(message)});
}

bool StepParams::ok() const noexcept { return impl_->state->errors.empty(); }

namespace internal {

StepParams MakeStepParams(std::shared_ptr<StepParamsState> state,
                          std::string path) {
  const Json* root = &state->document;
  state->objects[path].object = root;
  return StepParams(std::make_shared<StepParams::Impl>(
      StepParams::Impl{std::move(state), root, std::move(path)}));
}

void ReportUnknownKeys(StepParamsState& state) {
  for (const auto& [path, seen] : state.objects) {
    if (seen.object == nullptr || !seen.object->is_object()) continue;
    std::vector<std::string_view> known(seen.known.begin(), seen.known.end());
    CheckKeys(*seen.object, path, known, state.errors);
  }
}

}  // namespace internal
}  // namespace leadroute
