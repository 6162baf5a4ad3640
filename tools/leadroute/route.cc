// `leadroute route`: route a JSON Lines file of leads through a rules file,
// one decision (or one error record) per non-empty input line.
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.h"
#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/router.h"
#include "progress.h"
#include "summary.h"

namespace leadroute::cli {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr && f != stdout) std::fclose(f);
  }
};

}  // namespace

int RunRoute(const RouteOptions& options) {
  // Load everything before writing anything.
  std::optional<RuleSet> rules = LoadRules(options.rules);
  if (!rules) return kExitLoadFailed;
  int exit_code = kExitOk;
  std::optional<RouterOptions> router_options =
      RouterOptionsFor(options.at, options.accounts, exit_code);
  if (!router_options) return exit_code;
  std::optional<Router> router =
      NewRouter(*rules, options.rules, std::move(*router_options));
  if (!router) return kExitLoadFailed;
  if (!options.state.empty() &&
      !LoadStateFile(*router, options.state, /*must_exist=*/false)) {
    return kExitLoadFailed;
  }

  std::vector<char> in_buffer(kBufferSize);
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.leads != "-") {
    file.rdbuf()->pubsetbuf(in_buffer.data(),
                            static_cast<std::streamsize>(in_buffer.size()));
    file.open(options.leads, std::ios::binary);
    if (!file) {
      fmt::print(stderr, "{}: cannot read: {}\n", options.leads,
                 std::strerror(errno));
      return kExitLoadFailed;
    }
    in = &file;
  }

  bool to_stdout = options.out.empty() || options.out == "-";
  std::unique_ptr<std::FILE, FileCloser> out(
      to_stdout ? stdout : std::fopen(options.out.c_str(), "wb"));
  if (!out) {
    fmt::print(stderr, "{}: cannot write: {}\n", options.out,
               std::strerror(errno));
    return kExitLoadFailed;
  }
  // Decisions collect here and go out in large writes.
  std::string pending;
  pending.reserve(kBufferSize + 4096);
  bool write_failed = false;
  auto flush = [&] {
    if (std::fwrite(pending.data(), 1, pending.size(), out.get()) !=
        pending.size()) {
      write_failed = true;
    }
    pending.clear();
  };

  std::error_code size_error;
  uint64_t input_bytes = options.leads == "-" ? 0
                                              : std::filesystem::file_size(
                                                    options.leads, size_error);
  Progress progress(size_error ? 0 : input_bytes);
  RouteStats stats;
  auto start = std::chrono::steady_clock::now();
  std::string line;
  int64_t line_number = 0;
  while (std::getline(*in, line)) {
    ++line_number;
    progress.Advance(line.size() + 1);
    if (IsBlank(line)) continue;
    ++stats.lines;
    auto lead = Lead::FromJson(line);
    if (!lead.ok()) {
      ++stats.errors;
      ReportLineError(line_number, lead.status());
      continue;
    }
    auto assignment = router->Route(*lead);
    if (!assignment.ok()) {
      ++stats.errors;
      ReportLineError(line_number, assignment.status());
      continue;
    }
    pending += assignment->ToJson();
    pending.push_back('\n');
    if (pending.size() >= kBufferSize) flush();
    stats.Add(*assignment);
  }
  flush();
  progress.Finish(stats.routed, stats.errors);
  bool read_failed = in->bad();
  write_failed = std::fflush(out.get()) != 0 || write_failed;
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!to_stdout) {
    write_failed = std::fclose(out.release()) != 0 || write_failed;
  }
  if (read_failed) {
    fmt::print(stderr, "{}: read error after line {}\n", options.leads,
               line_number);
    return kExitLoadFailed;
  }
  if (write_failed) {
    fmt::print(stderr, "{}: write error\n", to_stdout ? "stdout" : options.out);
    return kExitLoadFailed;
  }
  if (!options.state.empty()) {
    // Saved only after every decision was written: a failed run leaves the
    // previous state, so rerunning it routes the same leads again.
    Status saved = router->SaveState(options.state);
    if (!saved.ok()) {
      fmt::print(stderr, "{}: cannot save state: {}\n", options.state,
                 saved.message());
      return kExitLoadFailed;
    }
  }

  if (options.summary) {
    std::string text = FormatSummary(
        *rules, stats,
        {options.rules, options.leads, to_stdout ? "" : options.out});
    // Decisions own stdout unless they went to a file.
    std::fputs(text.c_str(), to_stdout ? stderr : stdout);
  }
  return stats.errors == 0 ? kExitOk : kExitSomeLeadsFailed;
}

}  // namespace leadroute::cli
