#include "leadroute/lead.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "config/json_util.h"
#include "lead_parse.h"

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

// Reads the text of a plain lead directly; see lead_parse.h. Every check
// below that fails means "not the common case", never "error": the caller
// falls back to ParseLeadReference, which words the error.
class FastLeadParser {
 public:
  explicit FastLeadParser(std::string_view text)
      : p_(text.data()), end_(text.data() + text.size()) {}

  bool Parse(Lead& lead) {
    lead = Lead();
    SkipSpace();
    if (!Consume('{')) return false;
    std::string prefix;
    if (!ParseMembers(prefix, 0, lead)) return false;
    SkipSpace();
    return p_ == end_ && saw_id_;
  }

 private:
  // Well below every JsonLimits value, so that text the fast path accepts
  // never reaches a limit the reference parser would report.
  static constexpr size_t kMaxMembers = 256;          // per object
  static constexpr size_t kMaxFields = 1024;          // per lead
  static constexpr size_t kMaxItems = 4096;           // per array
  static constexpr size_t kMaxKeyBytes = 1024;        // limit 4096
  static constexpr size_t kMaxStringBytes = 1 << 16;  // limit 1 MiB

  void SkipSpace() {
    while (p_ != end_ &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }

  bool Consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // The members of an object whose '{' was just read, flattened under
  // `prefix` (empty at the top), through the closing '}'.
  bool ParseMembers(std::string& prefix, int depth, Lead& lead) {
    // Keys of this object, to refuse duplicates: the reference parser keeps
    // the last value of a duplicate key, which flattening cannot replay.
    std::vector<std::string> keys;
    SkipSpace();
    if (Consume('}')) return true;
    std::string key;
    while (true) {
      SkipSpace();
      if (!Consume('"') || !ParseString(key, kMaxKeyBytes) || key.empty()) {
        return false;
      }
      for (const auto& k : keys) {
        if (k == key) return false;
      }
      if (keys.size() == kMaxMembers) return false;
      keys.push_back(key);
      SkipSpace();
      if (!Consume(':')) return false;
      SkipSpace();
      if (depth == 0 && key == "id") {
        if (!ParseId(lead)) return false;
      } else if (!ParseField(prefix, key, depth, lead)) {
        return false;
      }
      SkipSpace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
    }
  }

  bool ParseId(Lead& lead) {
    if (p_ == end_) return false;
    if (*p_ == '"') {
      ++p_;
      std::string id;
      if (!ParseString(id, kMaxStringBytes) || id.empty()) return false;
      lead.set_id(std::move(id));
    } else {
      Value number;
      if (!ParseNumber(number) || !number.is_int()) return false;
      lead.set_id(std::to_string(number.as_int()));
    }
    saw_id_ = true;
    return true;
  }

  bool ParseField(std::string& prefix, const std::string& key, int depth,
                  Lead& lead) {
    size_t prefix_size = prefix.size();
    if (!prefix.empty()) prefix += '.';
    prefix += key;
    bool ok = ParseFieldValue(prefix, depth, lead);
    prefix.resize(prefix_size);
    return ok;
  }

  bool ParseFieldValue(std::string& name, int depth, Lead& lead) {
    if (p_ == end_) return false;
    Value value;
    switch (*p_) {
      case '{':
        ++p_;
        if (depth + 1 >= kMaxDepth) return false;
        return ParseMembers(name, depth + 1, lead);
      case '[':
        ++p_;
        if (!ParseList(value)) return false;
        break;
      case '"': {
        ++p_;
        std::string s;
        if (!ParseString(s, kMaxStringBytes)) return false;
        value = Value(std::move(s));
        break;
      }
      case 't':
        if (!Literal("true")) return false;
        value = Value(true);
        break;
      case 'f':
        if (!Literal("false")) return false;
        value = Value(false);
        break;
      case 'n':
        if (!Literal("null")) return false;
        break;
      default:
        if (!ParseNumber(value)) return false;
        break;
    }
    if (lead.fields().size() == kMaxFields || lead.Find(name) != nullptr) {
      return false;
    }
    lead.Set(name, std::move(value));
    return true;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A list of strings after its '['.
  bool ParseList(Value& value) {
    std::vector<std::string> items;
    SkipSpace();
    if (!Consume(']')) {
      while (true) {
        SkipSpace();
        if (items.size() == kMaxItems || !Consume('"')) return false;
        items.emplace_back();
        if (!ParseString(items.back(), kMaxStringBytes)) return false;
        SkipSpace();
        if (Consume(']')) break;
        if (!Consume(',')) return false;
      }
    }
    value = Value(std::move(items));
    return true;
  }

  // A JSON number, as the reference parser types it: an integer without
  // fraction or exponent is an int64 (at most 18 digits here, so it always
  // fits), anything else a double rounded as strtod rounds it.
  bool ParseNumber(Value& value) {
    const char* start = p_;
    bool negative = Consume('-');
    const char* digits = p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (!Digits()) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!Digits()) return false;
    }
    if (integer) {
      if (p_ - digits > 18) return false;
      int64_t n = 0;
      for (const char* d = digits; d != p_; ++d) n = n * 10 + (*d - '0');
      value = Value(negative ? -n : n);
      return true;
    }
    double d = 0;
    auto [end, ec] = std::from_chars(start, p_, d);
    // Out of range (1e999, 1e-999) is the reference parser's to judge.
    if (ec != std::errc() || end != p_) return false;
    value = Value(d);
    return true;
  }

  bool Digits() {
    const char* first = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ != first;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool Hex4(uint32_t& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(p_[i]);
      if (h < 0) return false;
      out = out << 4 | static_cast<uint32_t>(h);
    }
    p_ += 4;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | cp >> 6));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | cp >> 12));
      out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | cp >> 18));
      out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // One escape after its backslash.
  bool ParseEscape(std::string& out) {
    if (p_ == end_) return false;
    char c = *p_++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    uint32_t cp = 0;
    if (!Hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = 0;
      if (!Consume('\\') || !Consume('u') || !Hex4(low) || low < 0xDC00 ||
          low > 0xDFFF) {
        return false;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  // Length of the well-formed UTF-8 sequence at p_ (RFC 3629: no overlong
  // forms, no surrogates, nothing above U+10FFFF), 0 when it is not one.
  size_t Utf8Length() const {
    auto byte = [&](ptrdiff_t i) -> unsigned {
      return i < end_ - p_ ? static_cast<unsigned char>(p_[i]) : 0u;
    };
    auto in = [](unsigned b, unsigned lo, unsigned hi) {
      return b >= lo && b <= hi;
    };
    unsigned b0 = byte(0);
    if (in(b0, 0xC2, 0xDF)) return in(byte(1), 0x80, 0xBF) ? 2 : 0;
    if (in(b0, 0xE0, 0xEF)) {
      unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
      unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
      return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
    }
    if (in(b0, 0xF0, 0xF4)) {
      unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
      unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
      return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) &&
                     in(byte(3), 0x80, 0xBF)
                 ? 4
                 : 0;
    }
    return 0;
  }

  // The rest of a string after its opening quote, decoded into `out`
  // (replaced), through the closing quote.
  bool ParseString(std::string& out, size_t max_bytes) {
    out.clear();
    while (true) {
      const char* run = p_;
      while (p_ != end_) {
        auto c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      out.append(run, p_);
      if (p_ == end_) return false;
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return out.size() <= max_bytes;
      }
      if (c < 0x20) return false;  // control characters must be escaped
      if (c == '\\') {
        ++p_;
        if (!ParseEscape(out)) return false;
      } else {
        size_t n = Utf8Length();
        if (n == 0) return false;
        out.append(p_, n);
        p_ += n;
      }
      if (out.size() > max_bytes) return false;
    }
  }

  const char* p_;
  const char* end_;
  bool saw_id_ = false;
};

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
    Lead lead;
    if (FastLeadParser(json).Parse(lead)) return lead;
    return ParseLead(json);
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("reading lead: {}", e.what()));
  }
}

LEADROUTE_NAMESPACE_END

namespace leadroute::internal {

bool ParseLeadFast(std::string_view json, Lead& lead) {
  return FastLeadParser(json).Parse(lead);
}

Result<Lead> ParseLeadReference(std::string_view json) {
  return ParseLead(json);
}

}  // namespace leadroute::internal
