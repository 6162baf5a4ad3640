// The `leadroute` command-line program: its subcommands, their options and
// the exit codes every subcommand shares (docs/cli.md).
#ifndef LEADROUTE_TOOLS_LEADROUTE_CLI_H_
#define LEADROUTE_TOOLS_LEADROUTE_CLI_H_

#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/rule_set.h"
#include "leadroute/status.h"

namespace leadroute::cli {

// Exit codes. Scripts rely on them; never renumber.
inline constexpr int kExitOk = 0;
inline constexpr int kExitLoadFailed =
    1;                                // an input file is missing or invalid
inline constexpr int kExitUsage = 2;  // bad command line
inline constexpr int kExitSomeLeadsFailed = 3;  // `route`: some lines failed

struct ValidateOptions {
  std::string rules;
  bool json = false;
};

struct RouteOptions {
  std::string rules;
  std::string accounts;  // empty: no accounts
  std::string leads;     // "-": standard input
  std::string out;       // empty or "-": standard output
  bool summary = false;
};

int RunValidate(const ValidateOptions& options);
int RunRoute(const RouteOptions& options);

// The errors of a failed load, each with its JSON Pointer path; a failure
// without per-value errors (e.g. an unreadable file) becomes one error at "".
std::span<const ConfigError> ErrorsOf(const Status& status,
                                      std::vector<ConfigError>& storage);
// Prints each error as `<file>: <path>: <message>` (path "" shown as "/").
void PrintErrors(std::FILE* to, const std::string& file, const Status& status);

// Loads a RuleSet, printing its errors to stderr on failure.
std::optional<RuleSet> LoadRules(const std::string& path);
// Loads an AccountDirectory, printing its errors to stderr on failure.
std::optional<AccountDirectory> LoadAccounts(const std::string& path);

}  // namespace leadroute::cli

#endif  // LEADROUTE_TOOLS_LEADROUTE_CLI_H_
