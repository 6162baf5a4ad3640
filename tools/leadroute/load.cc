// Loading the input files of the subcommands and reporting their errors.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

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

std::optional<TextPosition> PositionIn(std::string_view message) {
  constexpr std::string_view kLine = "line ";
  constexpr std::string_view kColumn = ", column ";
  size_t at = message.find(kLine);
  if (at == std::string_view::npos) return std::nullopt;
  TextPosition position;
  size_t i = at + kLine.size();
  auto number = [&](int64_t& into) {
    size_t start = i;
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
      into = into * 10 + (message[i] - '0');
      ++i;
    }
    return i > start;
  };
  if (!number(position.line)) return std::nullopt;
  if (message.substr(i, kColumn.size()) != kColumn) return std::nullopt;
  i += kColumn.size();
  if (!number(position.column)) return std::nullopt;
  return position;
}

void ReportLineError(int64_t line, const Status& status) {
  std::string message;
  if (status.errors().empty()) {
    message = std::string(status.message());
  } else {
    for (const ConfigError& e : status.errors()) {
      if (!message.empty()) message += "; ";
      message +=
          fmt::format("{}: {}", e.path.empty() ? "/" : e.path, e.message);
    }
  }
  nlohmann::ordered_json record;
  record["line"] = line;
  record["error"] = message;
  fmt::print(
      stderr, "{}\n",
      record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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

namespace {

// The instant of `--at`.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant at) : at_(at) {}
  std::string_view Name() const noexcept override { return "fixed"; }
  Instant Now() const noexcept override { return at_; }

 private:
  Instant at_;
};

}  // namespace

std::optional<RouterOptions> RouterOptionsFor(const std::string& at,
                                              const std::string& accounts_path,
                                              int& exit_code) {
  RouterOptions options;
  if (!at.empty()) {
    std::optional<Instant> instant = ParseInstant(at);
    if (!instant) {
      fmt::print(stderr,
                 "--at: found \"{}\", expected an RFC 3339 instant such as "
                 "2024-03-10T14:30:00Z\n",
                 at);
      exit_code = kExitUsage;
      return std::nullopt;
    }
    options.clock = std::make_shared<FixedClock>(*instant);
  }
  if (!accounts_path.empty()) {
    std::optional<AccountDirectory> accounts = LoadAccounts(accounts_path);
    if (!accounts) {
      exit_code = kExitLoadFailed;
      return std::nullopt;
    }
    options.accounts = std::move(*accounts);
  }
  return options;
}

std::optional<std::vector<Lead>> ReadLeads(const std::string& path,
                                           int64_t& bad_lines) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      fmt::print(stderr, "{}: cannot read: {}\n", path, std::strerror(errno));
      return std::nullopt;
    }
    in = &file;
  }
  std::vector<Lead> leads;
  std::string line;
  int64_t line_number = 0;
  while (std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    auto lead = Lead::FromJson(line);
    if (!lead.ok()) {
      ++bad_lines;
      ReportLineError(line_number, lead.status());
      continue;
    }
    leads.push_back(std::move(lead).value());
  }
  if (in->bad()) {
    fmt::print(stderr, "{}: read error after line {}\n", path, line_number);
    return std::nullopt;
  }
  return leads;
}

bool LoadStateFile(Router& router, const std::string& path, bool must_exist) {
  std::error_code error;
  if (!must_exist && !std::filesystem::exists(path, error) && !error) {
    return true;  // the first run: routing starts from empty state
  }
  Status loaded = router.LoadState(path);
  if (!loaded.ok()) {
    fmt::print(stderr, "{}: cannot load state: {}\n", path, loaded.message());
    return false;
  }
  return true;
}

std::optional<Router> NewRouter(const RuleSet& rules,
                                const std::string& rules_path,
                                const std::string& accounts_path) {
  int exit_code = kExitOk;  // no --at here: only a load failure is possible
  std::optional<RouterOptions> options =
      RouterOptionsFor("", accounts_path, exit_code);
  if (!options) return std::nullopt;
  return NewRouter(rules, rules_path, std::move(*options));
}

std::optional<Router> NewRouter(const RuleSet& rules,
                                const std::string& rules_path,
                                RouterOptions options) {
  auto router = Router::Create(rules, std::move(options));
  if (!router.ok()) {
    PrintErrors(stderr, rules_path, router.status());
    return std::nullopt;
  }
  return std::move(router).value();
}

}  // namespace leadroute::cli
