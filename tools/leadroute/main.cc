// leadroute: check rules files and route lead files from the command line.
//
//   leadroute validate RULES.json [--json]
//   leadroute lint RULES.json [--json]
//   leadroute route --rules R.json [--accounts A.json] --leads L.jsonl
//                   [--out FILE] [--summary]
//   leadroute simulate --rules R.json --leads L.jsonl [--accounts A.json]
//                      [--json] [--html FILE]
//   leadroute diff --old OLD.json --new NEW.json --leads L.jsonl
//                  [--accounts A.json] [--top N] [--json]
//   leadroute explain --rules R.json [--accounts A.json]
//                     (--lead L.json | --leads L.jsonl --lead-id ID)
//                     [--at TIME] [--json]
//
// Exit codes (docs/cli.md): 0 success, 1 an input file failed to load,
// 2 bad command line (or `lint` found errors), 3 some lead lines had errors.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "cli.h"
#include "leadroute/version.h"

namespace {

// The input options several commands share.
void AddLeadsOption(CLI::App* command, std::string& leads) {
  command
      ->add_option("--leads", leads,
                   "Leads, one JSON object per line; - for stdin")
      ->required()
      ->type_name("L.jsonl");
}
void AddRulesOption(CLI::App* command, std::string& rules) {
  command->add_option("--rules", rules, "The rules file")
      ->required()
      ->type_name("R.json");
}

void AddAccountsOption(CLI::App* command, std::string& accounts) {
  command
      ->add_option("--accounts", accounts,
                   "Accounts for the hierarchy strategy")
      ->type_name("A.json");
}

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
      "Errors go to stderr as `RULES.json: <path>: <message>` (broken JSON "
      "text: `RULES.json:LINE:COLUMN: /: ...`); a valid file prints a "
      "one-line summary.\n"
      "Exit: 0 valid, 1 invalid or unreadable, 2 bad command line.\n\n"
      "Example:\n"
      "  leadroute validate examples/data/rules.json");

  leadroute::cli::RouteOptions route_options;
  CLI::App* route = app.add_subcommand(
      "route",
      "Route every lead of a JSON Lines file; write one decision per lead.");
  AddRulesOption(route, route_options.rules);
  AddAccountsOption(route, route_options.accounts);
  AddLeadsOption(route, route_options.leads);
  route
      ->add_option("--out", route_options.out,
                   "Where decisions go (default: stdout)")
      ->type_name("FILE");
  route
      ->add_option("--at", route_options.at,
                   "Route as of this RFC 3339 instant the leads that carry no "
                   "created_at (default: now)")
      ->type_name("TIME");
  route
      ->add_option("--state", route_options.state,
                   "Saved state (loads, rotations, open leads): loaded first "
                   "when the file exists, saved after the run")
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

  leadroute::cli::LintOptions lint_options;
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Find rules that never fire, conditions that never hold, empty pools, "
      "unreachable reps, band gaps and mixed value types.");
  lint->add_option("rules", lint_options.rules, "The rules file")
      ->required()
      ->type_name("RULES.json");
  lint->add_flag("--json", lint_options.json,
                 "Print {\"errors\", \"warnings\", \"findings\": "
                 "[{\"severity\", \"path\", \"message\"}]} on stdout");
  lint->footer(
      "Findings go to stdout as `RULES.json: error|warning: <path>: "
      "<message>`, errors first.\n"
      "Exit: 0 no errors (warnings allowed), 1 the file does not load, 2 "
      "errors found (or bad command line).\n\n"
      "Example:\n"
      "  leadroute lint examples/data/rules.json");

  leadroute::cli::SimulateOptions simulate_options;
  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Route a leads file with fresh in-memory state and report the spread: "
      "per rep, per rule, fallbacks, fairness, caps.");
  AddRulesOption(simulate, simulate_options.rules);
  AddLeadsOption(simulate, simulate_options.leads);
  AddAccountsOption(simulate, simulate_options.accounts);
  simulate
      ->add_option("--state", simulate_options.state,
                   "Start from this saved state (from `route --state`); it "
                   "is never written")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  simulate->add_flag("--json", simulate_options.json,
                     "Print the report as JSON on stdout");
  simulate
      ->add_option("--html", simulate_options.html,
                   "Also write a standalone HTML report (inline SVG charts)")
      ->type_name("FILE");
  simulate->footer(
      "Nothing is routed for real: state starts empty and is discarded. The "
      "timing goes to stderr.\n"
      "Exit: 0 all routed, 1 an input failed to load, 2 bad command line, 3 "
      "some lead lines had errors.\n\n"
      "Example:\n"
      "  leadroute simulate --rules examples/data/rules.json \\\n"
      "    --accounts examples/data/accounts.json \\\n"
      "    --leads examples/data/leads.jsonl --html report.html");

  leadroute::cli::DiffOptions diff_options;
  CLI::App* diff = app.add_subcommand(
      "diff",
      "Replay leads through two rules files and report which leads change "
      "owner.");
  diff->add_option("--old", diff_options.old_rules, "The current rules file")
      ->required()
      ->type_name("OLD.json");
  diff->add_option("--new", diff_options.new_rules, "The proposed rules file")
      ->required()
      ->type_name("NEW.json");
  AddLeadsOption(diff, diff_options.leads);
  AddAccountsOption(diff, diff_options.accounts);
  diff->add_option("--top", diff_options.top,
                   "Owner-to-owner changes shown in the text table (default "
                   "20; --json lists all)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  diff->add_flag("--json", diff_options.json,
                 "Print the comparison as JSON on stdout");
  diff->footer(
      "Each side routes the leads in order with its own fresh in-memory "
      "state.\n"
      "Exit: 0 compared, 1 an input failed to load, 2 bad command line, 3 "
      "some lead lines had errors.\n\n"
      "Example:\n"
      "  leadroute diff --old rules.json --new rules-proposed.json \\\n"
      "    --accounts examples/data/accounts.json \\\n"
      "    --leads examples/data/leads.jsonl");

  leadroute::cli::ExplainOptions explain_options;
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Show why a lead goes to its owner: every rule tried, each step's "
      "candidates, the reps eliminated and why, the pick and its runner-up.");
  AddRulesOption(explain, explain_options.rules);
  AddAccountsOption(explain, explain_options.accounts);
  CLI::Option* explain_lead = explain
                                  ->add_option("--lead", explain_options.lead,
                                               "The lead, one JSON object")
                                  ->type_name("L.json");
  CLI::Option* explain_leads =
      explain
          ->add_option("--leads", explain_options.leads,
                       "A leads file (JSON Lines) holding the lead named by "
                       "--lead-id")
          ->type_name("L.jsonl");
  CLI::Option* explain_id =
      explain
          ->add_option("--lead-id", explain_options.lead_id,
                       "The id of the lead in --leads")
          ->type_name("ID");
  explain_lead->excludes(explain_leads)->excludes(explain_id);
  explain_leads->needs(explain_id);
  explain_id->needs(explain_leads);
  explain
      ->add_option("--at", explain_options.at,
                   "Route as of this RFC 3339 instant when the lead carries "
                   "no created_at (default: now)")
      ->type_name("TIME");
  explain->add_flag("--json", explain_options.json,
                    "Print the trace as JSON (docs/explain.md)");
  explain->footer(
      "A dry run with fresh in-memory state: nothing is recorded. Either "
      "--lead or --leads with --lead-id.\n"
      "Exit: 0 explained, 1 an input failed to load or the lead id is not "
      "in the file, 2 bad command line.\n\n"
      "Example:\n"
      "  leadroute explain --rules examples/data/rules.json \\\n"
      "    --accounts examples/data/accounts.json \\\n"
      "    --leads examples/data/leads.jsonl --lead-id L-000003");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any other parse error is a usage error.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (validate->parsed()) return leadroute::cli::RunValidate(validate_options);
  if (lint->parsed()) return leadroute::cli::RunLint(lint_options);
  if (simulate->parsed()) return leadroute::cli::RunSimulate(simulate_options);
  if (diff->parsed()) return leadroute::cli::RunDiff(diff_options);
  if (explain->parsed()) {
    if (explain_options.lead.empty() && explain_options.leads.empty()) {
      std::fputs(
          "explain: give --lead L.json, or --leads L.jsonl with "
          "--lead-id ID\n",
          stderr);
      return kExitUsage;
    }
    return leadroute::cli::RunExplain(explain_options);
  }
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
