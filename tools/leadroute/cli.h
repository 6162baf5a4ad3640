// The `leadroute` command-line program: its subcommands, their options and
// the exit codes every subcommand shares (docs/cli.md).
#ifndef LEADROUTE_TOOLS_LEADROUTE_CLI_H_
#define LEADROUTE_TOOLS_LEADROUTE_CLI_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/lead.h"
#include "leadroute/router.h"
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
  std::string at;  // RFC 3339 instant of leads without created_at; empty: now
  std::string
      state;  // saved state loaded (when present) and saved; empty: none
};

struct SimulateOptions {
  std::string rules;
  std::string leads;     // "-": standard input
  std::string accounts;  // empty: no accounts
  std::string html;      // empty: no HTML report
  std::string state;  // saved state to start from (never written); empty: none
  bool json = false;
};

struct DiffOptions {
  std::string old_rules;
  std::string new_rules;
  std::string leads;     // "-": standard input
  std::string accounts;  // empty: no accounts
  int top = 20;          // rows of the owner-to-owner change table
  bool json = false;
};

struct LintOptions {
  std::string rules;
  bool json = false;
};

struct ExplainOptions {
  std::string rules;
  std::string accounts;  // empty: no accounts
  std::string lead;      // one JSON object; or else:
  std::string leads;     // JSON Lines, with
  std::string lead_id;   // the id of the lead to explain
  std::string at;  // RFC 3339 instant if the lead has no created_at; "": now
  bool json = false;
};

// `lint`: there are errors (exit 1 is a file that did not load).
inline constexpr int kExitLintErrors = 2;

int RunValidate(const ValidateOptions& options);
int RunRoute(const RouteOptions& options);
int RunSimulate(const SimulateOptions& options);
int RunDiff(const DiffOptions& options);
int RunLint(const LintOptions& options);
int RunExplain(const ExplainOptions& options);

// The errors of a failed load, each with its JSON Pointer path; a failure
// without per-value errors (e.g. an unreadable file) becomes one error at "".
std::span<const ConfigError> ErrorsOf(const Status& status,
                                      std::vector<ConfigError>& storage);
// Prints each error as `<file>: <path>: <message>` (path "" shown as "/").
void PrintErrors(std::FILE* to, const std::string& file, const Status& status);

// Line and column of a "line L, column C" in a malformed-JSON message.
struct TextPosition {
  int64_t line = 0;
  int64_t column = 0;
};
std::optional<TextPosition> PositionIn(std::string_view message);

// One record of the error stream of `route`, `simulate` and `diff`:
// {"line": N, "error": "..."} on stderr.
void ReportLineError(int64_t line, const Status& status);

// Loads a RuleSet, printing its errors to stderr on failure.
std::optional<RuleSet> LoadRules(const std::string& path);
// Loads an AccountDirectory, printing its errors to stderr on failure.
std::optional<AccountDirectory> LoadAccounts(const std::string& path);

// RouterOptions for `--at` (the clock for leads without a `created_at`;
// empty: the system clock) and `--accounts` (empty: none). nullopt after
// reporting a bad instant (`exit_code` = kExitUsage) or accounts that do not
// load (kExitLoadFailed).
std::optional<RouterOptions> RouterOptionsFor(const std::string& at,
                                              const std::string& accounts_path,
                                              int& exit_code);

// Loads the saved state in `path` into `router` (Router::LoadState). A file
// that does not exist is a fresh start unless `must_exist`. False after
// reporting an error.
bool LoadStateFile(Router& router, const std::string& path, bool must_exist);

// The leads of a JSON Lines file ("-": stdin), in order, blank lines
// skipped; each line that is not a lead is reported with ReportLineError and
// counted in `bad_lines`. nullopt (reported) when the file cannot be read.
std::optional<std::vector<Lead>> ReadLeads(const std::string& path,
                                           int64_t& bad_lines);

// A Router with fresh in-memory state over `rules` and, unless
// `accounts_path` is empty, the accounts loaded from it; errors reported.
std::optional<Router> NewRouter(const RuleSet& rules,
                                const std::string& rules_path,
                                const std::string& accounts_path);
// The same with RouterOptions already made (RouterOptionsFor).
std::optional<Router> NewRouter(const RuleSet& rules,
                                const std::string& rules_path,
                                RouterOptions options);

}  // namespace leadroute::cli

#endif  // LEADROUTE_TOOLS_LEADROUTE_CLI_H_
