// AccountDirectory: the host's accounts (companies), with their domains,
// parent account and owner, for hierarchy routing.
//
// Immutable once built; copies share the same data; safe to read from any
// thread.
#ifndef LEADROUTE_ACCOUNT_DIRECTORY_H_
#define LEADROUTE_ACCOUNT_DIRECTORY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/export.h"
#include "leadroute/status.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

struct Account {
  std::string id{};
  std::string name{};
  // Web/email domains, e.g. "acme.com"; normalised (lower case, no "www.").
  std::vector<std::string> domains{};
  std::string parent{};  // parent account id; empty for a top-level account
  std::string owner{};   // owning rep id; may be empty
};

class LEADROUTE_EXPORT AccountDirectory {
 public:
  // An empty directory.
  AccountDirectory();

  // Validates and indexes `accounts`: ids unique and non-empty, parents
  // known, no cycles, each domain claimed by one account. Errors name the
  // JSON Pointer `/accounts/<i>/...`.
  static Result<AccountDirectory> Build(std::vector<Account> accounts);
  // `{"accounts":
  // [{"id":..,"name":..,"domains":[..],"parent":..,"owner":..}]}`.
  static Result<AccountDirectory> FromJson(std::string_view json);
  static Result<AccountDirectory> FromFile(const std::string& path);

  size_t size() const noexcept;
  const Account* FindById(std::string_view id) const noexcept;
  // Finds by a domain or an email address: lower-cased, "www." and a
  // trailing dot dropped, then the domain and each parent domain of at least
  // two labels ("eu.acme.com", then "acme.com"). Never allocates.
  const Account* FindByDomain(std::string_view domain_or_email) const noexcept;
  // The parent of `account`, or nullptr at the top.
  const Account* Parent(const Account& account) const noexcept;

 private:
  struct Impl;
  explicit AccountDirectory(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_ACCOUNT_DIRECTORY_H_
