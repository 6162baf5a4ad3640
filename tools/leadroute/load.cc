// Loading the input files of the subcommands and reporting their errors.
#include <fmt/format.h>

#include "cli.h"

namespace leadroute::cli {

std::span<const ConfigError> ErrorsOf(const Status& status,
                                      std::vector<ConfigError>& storage) {
  if (!status.errors().empty()) return status.errors();
  storage = {ConfigError{"", std::string(status.message())}};
  return storage;
}

void PrintErrors(std::FILE* to, const std::string& file, const Status& status) {
  std::vector<ConfigError> storage;
  for (const ConfigError& error : ErrorsOf(status, storage)) {
    fmt::print(to, "{}: {}: {}\n", file, error.path.empty() ? "/" : error.path,
               error.message);
  }
}

std::optional<RuleSet> LoadRules(const std::string& path) {
  auto rules = RuleSet::FromFile(path);
  if (!rules.ok()) {
    PrintErrors(stderr, path, rules.status());
    return std::nullopt;
  }
  return std::move(rules).value();
}

std::optional<AccountDirectory> LoadAccounts(const std::string& path) {
  auto accounts = AccountDirectory::FromFile(path);
  if (!accounts.ok()) {
    PrintErrors(stderr, path, accounts.status());
    return std::nullopt;
  }
  return std::move(accounts).value();
}

}  // namespace leadroute::cli
