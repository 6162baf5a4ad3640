#include "leadroute/account_directory.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "config/json_util.h"
#include "util/text.h"

LEADROUTE_NAMESPACE_BEGIN

namespace {

using internal::Json;
using internal::PointerJoin;

constexpr uint32_t kNone = ~uint32_t{0};

// Which parts of an account entry failed to parse (FromJson) and so must not
// be validated again by Build.
enum Broken : uint8_t {
  kBrokenNone = 0,
  kBrokenEntry = 1,   // not an object: skip the account entirely
  kBrokenId = 2,      // id missing or of the wrong type (already reported)
  kBrokenParent = 4,  // parent of the wrong type (already reported)
};

// Cuts a web address or an email address down to its host, without
// allocating: "https://www.Acme.com/x" -> "www.Acme.com",
// "Bob@EU.Acme.com" -> "EU.Acme.com".
std::string_view HostPart(std::string_view s) noexcept {
  s = internal::Trim(s);
  if (auto scheme = s.find("://"); scheme != std::string_view::npos) {
    s.remove_prefix(scheme + 3);
    if (auto slash = s.find_first_of("/?#"); slash != std::string_view::npos) {
      s = s.substr(0, slash);
    }
  }
  if (auto at = s.rfind('@'); at != std::string_view::npos) {
    s.remove_prefix(at + 1);
  }
  return s;
}

// Drops a leading "www." (any case) and a trailing dot. No allocation.
std::string_view StripDomain(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (internal::StartsWithIgnoreCase(s, "www.")) s.remove_prefix(4);
  return s;
}

// Why `domain` (already normalised) cannot be a domain, or "" when it can.
std::string_view DomainProblem(std::string_view domain) noexcept {
  if (domain.empty()) return "empty domain";
  for (char c : domain) {
    if (c == '@') return "contains '@'; expected a domain such as \"acme.com\"";
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return "contains white space";
    }
    if (c == '/' || c == ':') {
      return "contains '/' or ':'; expected a bare domain, not a web address";
    }
  }
  if (domain.find('.') == std::string_view::npos) {
    return "has no dot; expected a domain such as \"acme.com\"";
  }
  if (domain.front() == '.' || domain.find("..") != std::string_view::npos) {
    return "has an empty label";
  }
  return {};
}

}  // namespace

struct AccountDirectory::Impl {
  std::vector<Account> accounts;
  std::vector<uint32_t> parent;  // index of each account's parent, or kNone
  std::unordered_map<std::string, uint32_t, internal::StringHash,
                     std::equal_to<>>
      by_id;
  // Normalised domains, probed caselessly with the lead's raw text.
  std::unordered_map<std::string, uint32_t, internal::CaselessHash,
                     internal::CaselessEqual>
      by_domain;

  // Validates `list` (every error collected into `errors`) and indexes it.
  // `broken[i]` marks parts FromJson already reported.
  static std::shared_ptr<const Impl> Build(std::vector<Account> list,
                                           const std::vector<uint8_t>& broken,
                                           std::vector<ConfigError>& errors);
};

std::shared_ptr<const AccountDirectory::Impl> AccountDirectory::Impl::Build(
    std::vector<Account> list, const std::vector<uint8_t>& broken,
    std::vector<ConfigError>& errors) {
  auto impl = std::make_shared<Impl>();
  const size_t n = list.size();
  auto flags = [&](size_t i) -> uint8_t {
    return i < broken.size() ? broken[i] : uint8_t{kBrokenNone};
  };
  auto base = [](size_t i) { return PointerJoin("/accounts", i); };

  // Ids: non-empty and unique. The first account with an id keeps it.
  std::vector<bool> usable(n, false);
  for (size_t i = 0; i < n; ++i) {
    uint8_t f = flags(i);
    if (f & (kBrokenEntry | kBrokenId)) continue;
    const Account& a = list[i];
    if (a.id.empty()) {
      errors.push_back({PointerJoin(base(i), "id"), "empty account id"});
      continue;
    }
    auto [it, inserted] = impl->by_id.emplace(a.id, static_cast<uint32_t>(i));
    if (!inserted) {
      errors.push_back({PointerJoin(base(i), "id"),
                        fmt::format("duplicate account id \"{}\" (first at "
                                    "/accounts/{})",
                                    a.id, it->second)});
      continue;
    }
    usable[i] = true;
  }

  // Parents must name a known account.
  impl->parent.assign(n, kNone);
  for (size_t i = 0; i < n; ++i) {
    if (flags(i) & (kBrokenEntry | kBrokenParent)) continue;
    const Account& a = list[i];
    if (a.parent.empty()) continue;
    auto it = impl->by_id.find(a.parent);
    if (it == impl->by_id.end()) {
      errors.push_back(
          {PointerJoin(base(i), "parent"),
           fmt::format("unknown parent account \"{}\"", a.parent)});
      continue;
    }
    // A duplicate-id entry is not in the index, so it can only be a child.
    if (usable[i]) impl->parent[i] = it->second;
  }

  // Cycles: follow parents from every account; a walk that comes back to an
  // account it started on in this pass is a cycle. Each cycle is reported
  // once, at the parent of its lowest-indexed account.
  enum : uint8_t { kUnseen, kOnPath, kDone };
  std::vector<uint8_t> state(n, kUnseen);
  std::vector<uint32_t> path;
  for (size_t start = 0; start < n; ++start) {
    if (state[start] != kUnseen) continue;
    path.clear();
    auto at = static_cast<uint32_t>(start);
    while (at != kNone && state[at] == kUnseen) {
      state[at] = kOnPath;
      path.push_back(at);
      at = impl->parent[at];
    }
    if (at != kNone && state[at] == kOnPath) {
      // The cycle is the tail of `path` from `at`.
      size_t from = 0;
      while (path[from] != at) ++from;
      size_t lowest = from;
      for (size_t k = from; k < path.size(); ++k) {
        if (path[k] < path[lowest]) lowest = k;
      }
      std::string names;
      size_t len = path.size() - from;
      for (size_t k = 0; k <= len; ++k) {
        if (k > 0) names += " -> ";
        names += list[path[from + (lowest - from + k) % len]].id;
      }
      errors.push_back({PointerJoin(base(path[lowest]), "parent"),
                        fmt::format("parent cycle: {}", names)});
    }
    for (uint32_t k : path) state[k] = kDone;
  }

  // Domains: normalised, valid, and claimed by one account only.
  for (size_t i = 0; i < n; ++i) {
    if (flags(i) & kBrokenEntry) continue;
    Account& a = list[i];
    std::vector<std::string> normalised;
    normalised.reserve(a.domains.size());
    for (size_t j = 0; j < a.domains.size(); ++j) {
      std::string path_j = PointerJoin(PointerJoin(base(i), "domains"), j);
      std::string domain =
          internal::ToLower(StripDomain(internal::Trim(a.domains[j])));
      if (std::string_view problem = DomainProblem(domain); !problem.empty()) {
        errors.push_back(
            {std::move(path_j),
             fmt::format("invalid domain \"{}\": {}", a.domains[j], problem)});
        continue;
      }
      auto [it, inserted] =
          impl->by_domain.emplace(domain, static_cast<uint32_t>(i));
      if (!inserted) {
        // Listing a domain twice on the same account is harmless.
        if (it->second != i) {
          errors.push_back(
              {std::move(path_j),
               fmt::format("domain \"{}\" is already claimed by account \"{}\" "
                           "(/accounts/{})",
                           domain, list[it->second].id, it->second)});
        }
        continue;
      }
      normalised.push_back(std::move(domain));
    }
    a.domains = std::move(normalised);
  }

  impl->accounts = std::move(list);
  return impl;
}

AccountDirectory::AccountDirectory() = default;

AccountDirectory::AccountDirectory(std::shared_ptr<const Impl> impl)
    : impl_(std::move(impl)) {}

Result<AccountDirectory> AccountDirectory::Build(
    std::vector<Account> accounts) {
  try {
    std::vector<ConfigError> errors;
    auto impl = Impl::Build(std::move(accounts), {}, errors);
    if (!errors.empty()) return Status::FromErrors(std::move(errors));
    return AccountDirectory(std::move(impl));
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("building accounts: {}", e.what()));
  }
}

namespace {

constexpr std::array<std::string_view, 1> kTopKeys = {"accounts"};
constexpr std::array<std::string_view, 5> kAccountKeys = {
    "id", "name", "domains", "parent", "owner"};

// Reads `object[key]` as a string (or, when `integer_ok`, an integer written
// in decimal) into `out`; null and a missing key leave `out` empty. Returns
// false after recording an error for any other type.
bool ReadText(const Json& object, std::string_view key, const std::string& base,
              bool integer_ok, std::string& out,
              std::vector<ConfigError>& errors) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (it->is_string()) {
    out = it->get<std::string>();
    return true;
  }
  if (integer_ok && it->is_number_unsigned()) {
    out = std::to_string(it->get<uint64_t>());
    return true;
  }
  if (integer_ok && it->is_number_integer()) {
    out = std::to_string(it->get<int64_t>());
    return true;
  }
  errors.push_back(
      {PointerJoin(base, key),
       fmt::format("{}, expected {}", internal::Found(*it),
                   integer_ok ? "a string or an integer" : "a string")});
  return false;
}

// The accounts of a parsed document, with what failed to read marked in
// `broken` so validation does not report it twice.
struct ParsedAccounts {
  std::vector<Account> accounts;
  std::vector<uint8_t> broken;
};

ParsedAccounts ReadAccounts(const Json& doc, std::vector<ConfigError>& errors) {
  ParsedAccounts out;
  if (!doc.is_object()) {
    errors.push_back({"", fmt::format("{}, expected an object with key "
                                      "\"accounts\"",
                                      internal::Found(doc))});
    return out;
  }
  internal::CheckKeys(doc, "", kTopKeys, errors);
  auto list = doc.find("accounts");
  if (list == doc.end()) {
    errors.push_back({"", "missing required key \"accounts\""});
    return out;
  }
  if (!list->is_array()) {
    errors.push_back({"/accounts", fmt::format("{}, expected an array of "
                                               "account objects",
                                               internal::Found(*list))});
    return out;
  }
  out.accounts.resize(list->size());
  out.broken.assign(list->size(), kBrokenNone);
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& entry = (*list)[i];
    std::string base = PointerJoin("/accounts", i);
    Account& a = out.accounts[i];
    if (!entry.is_object()) {
      errors.push_back({base, fmt::format("{}, expected an account object",
                                          internal::Found(entry))});
      out.broken[i] = kBrokenEntry;
      continue;
    }
    internal::CheckKeys(entry, base, kAccountKeys, errors);
    if (auto id = entry.find("id"); id == entry.end()) {
      errors.push_back({base, "missing required key \"id\""});
      out.broken[i] |= kBrokenId;
    } else if (id->is_null()) {
      errors.push_back({PointerJoin(base, "id"),
                        "found null, expected a string or an integer"});
      out.broken[i] |= kBrokenId;
    } else if (!ReadText(entry, "id", base, true, a.id, errors)) {
      out.broken[i] |= kBrokenId;
    }
    (void)ReadText(entry, "name", base, false, a.name, errors);
    if (!ReadText(entry, "parent", base, true, a.parent, errors)) {
      out.broken[i] |= kBrokenParent;
    }
    (void)ReadText(entry, "owner", base, false, a.owner, errors);
    if (auto domains = entry.find("domains");
        domains != entry.end() && !domains->is_null()) {
      std::string path = PointerJoin(base, "domains");
      if (!domains->is_array()) {
        errors.push_back({path, fmt::format("{}, expected an array of strings",
                                            internal::Found(*domains))});
        continue;
      }
      std::vector<std::string> values;
      bool ok = true;
      for (size_t j = 0; j < domains->size(); ++j) {
        const Json& d = (*domains)[j];
        if (!d.is_string()) {
          errors.push_back(
              {PointerJoin(path, j),
               fmt::format("{}, expected a string", internal::Found(d))});
          ok = false;
          continue;
        }
        values.push_back(d.get<std::string>());
      }
      // Keep paths truthful: with a bad item, the indexes would shift.
      if (ok) a.domains = std::move(values);
    }
  }
  return out;
}

}  // namespace

Result<AccountDirectory> AccountDirectory::FromJson(std::string_view json) {
  try {
    std::vector<ConfigError> errors;
    std::optional<Json> doc = internal::ParseJson(json, errors);
    if (!doc) return Status::FromErrors(std::move(errors));
    ParsedAccounts parsed = ReadAccounts(*doc, errors);
    auto impl = Impl::Build(std::move(parsed.accounts), parsed.broken, errors);
    if (!errors.empty()) return Status::FromErrors(std::move(errors));
    return AccountDirectory(std::move(impl));
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("reading accounts: {}", e.what()));
  }
}

Result<AccountDirectory> AccountDirectory::FromFile(const std::string& path) {
  std::optional<std::string> text = internal::ReadFile(path);
  if (!text) {
    return Status::NotFound(
        fmt::format("cannot read accounts file \"{}\"", path));
  }
  return FromJson(*text);
}

size_t AccountDirectory::size() const noexcept {
  return impl_ == nullptr ? 0 : impl_->accounts.size();
}

const Account* AccountDirectory::FindById(std::string_view id) const noexcept {
  if (impl_ == nullptr || id.empty()) return nullptr;
  auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? nullptr : &impl_->accounts[it->second];
}

const Account* AccountDirectory::FindByDomain(
    std::string_view domain_or_email) const noexcept {
  if (impl_ == nullptr || impl_->by_domain.empty()) return nullptr;
  std::string_view domain = StripDomain(HostPart(domain_or_email));
  // The domain, then each parent domain that still has two labels.
  while (domain.find('.') != std::string_view::npos) {
    auto it = impl_->by_domain.find(domain);
    if (it != impl_->by_domain.end()) return &impl_->accounts[it->second];
    domain.remove_prefix(domain.find('.') + 1);
  }
  return nullptr;
}

const Account* AccountDirectory::Parent(const Account& account) const noexcept {
  if (impl_ == nullptr || account.parent.empty()) return nullptr;
  const auto& accounts = impl_->accounts;
  // An account of this directory: its parent index is precomputed.
  if (!accounts.empty() && std::less_equal<>()(accounts.data(), &account) &&
      std::less<>()(&account, accounts.data() + accounts.size())) {
    uint32_t p = impl_->parent[static_cast<size_t>(&account - accounts.data())];
    return p == kNone ? nullptr : &accounts[p];
  }
  return FindById(account.parent);
}

LEADROUTE_NAMESPACE_END
