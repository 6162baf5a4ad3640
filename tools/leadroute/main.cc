// leadroute: check rules files and route lead files from the command line.
//
//   leadroute validate RULES.json [--json]
//   leadroute route --rules R.json [--accounts A.json] --leads L.jsonl
//                   [--out FILE] [--summary]
//
// Exit codes (docs/cli.md): 0 success, 1 an input file failed to load,
// 2 bad command line, 3 `route` finished but some lines had errors.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "cli.h"
#include "leadroute/version.h"

namespace {

int Main(int argc, char** argv) {
  using leadroute::cli::kExitUsage;

  CLI::App app{
      "leadroute: route sales leads to reps with a rules file.\n"
      "Run `leadroute <command> --help` for a command's options and an "
      "example.",
      "leadroute"};
  app.set_version_flag(
      "--version",
      fmt::format("leadroute {}.{}.{}", LEADROUTE_VERSION_MAJOR,
                  LEADROUTE_VERSION_MINOR, LEADROUTE_VERSION_PATCH));
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);

  leadroute::cli::ValidateOptions validate_options;
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check a rules file and report every error with its JSON Pointer path.");
  validate->add_option("rules", validate_options.rules, "The rules file")
      ->required()
      ->type_name("RULES.json");
  validate->add_flag("--json", validate_options.json,
                     "Print {\"valid\": bool, \"errors\": [{\"path\", "
                     "\"message\"}]} on stdout");
  validate->footer(
      "Errors go to stderr as `RULES.json: <path>: <message>`; a valid file "
      "prints a one-line summary.\n"
      "Exit: 0 valid, 1 invalid or unreadable, 2 bad command line.\n\n"
      "Example:\n"
      "  leadroute validate examples/data/rules.json");

  leadroute::cli::RouteOptions route_options;
  CLI::App* route = app.add_subcommand(
      "route",
      "Route every lead of a JSON Lines file; write one decision per lead.");
  route->add_option("--rules", route_options.rules, "The rules file")
      ->required()
      ->type_name("R.json");
  route
      ->add_option("--accounts", route_options.accounts,
                   "Accounts for the hierarchy strategy")
      ->type_name("A.json");
  route
      ->add_option("--leads", route_options.leads,
                   "Leads, one JSON object per line; - for stdin")
      ->required()
      ->type_name("L.jsonl");
  route
      ->add_option("--out", route_options.out,
                   "Where decisions go (default: stdout)")
      ->type_name("FILE");
  route->add_flag("--summary", route_options.summary,
                  "Print totals, leads per rep and per rule (to stdout when "
                  "--out is a file, else stderr)");
  route->footer(
      "Each non-empty input line yields one decision line\n"
      "  {\"lead_id\",\"owner\",\"owner_kind\",\"rule\",\"decided_by\","
      "\"fallback\"}\n"
      "or one error record {\"line\": N, \"error\": \"...\"} on stderr; "
      "routing goes on.\n"
      "Exit: 0 all routed, 1 rules/accounts/leads failed to load, 2 bad "
      "command line, 3 some lines had errors.\n\n"
      "Example:\n"
      "  leadroute route --rules examples/data/rules.json \\\n"
      "    --accounts examples/data/accounts.json \\\n"
      "    --leads examples/data/leads.jsonl --out routed.jsonl --summary");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any other parse error is a usage error.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (validate->parsed()) return leadroute::cli::RunValidate(validate_options);
  return leadroute::cli::RunRoute(route_options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // Out of memory and the like; the library itself never throws.
    std::fprintf(stderr, "leadroute: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "leadroute: unknown error\n");
  }
  return leadroute::cli::kExitLoadFailed;
}
