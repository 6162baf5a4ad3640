// `leadroute route`: route a JSON Lines file of leads through a rules file,
// one decision (or one error record) per non-empty input line.
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
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
// Lines per batch handed from the reading thread to the routing thread:
// large enough that the hand-over costs nothing per lead, small enough that
// the first decisions come out at once.
constexpr size_t kBatchLines = 4096;
// Batches in flight; bounds memory whatever the input size.
constexpr size_t kQueueBatches = 4;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr && f != stdout && f != stdin) std::fclose(f);
  }
};

// Splits a stream into lines as std::getline does ('\n' ends a line and is
// not part of it; a last line without '\n' still counts), reading in large
// blocks. A line may be longer than the buffer: it grows.
class LineReader {
 public:
  explicit LineReader(std::FILE* file) : file_(file), buffer_(kBufferSize) {}

  // The next line, valid until the next call; false at the end of the input
  // or on a read error (failed()).
  bool Next(std::string_view& line) {
    size_t scanned = begin_;  // no '\n' in [begin_, scanned)
    while (true) {
      char* data = buffer_.data();
      if (const void* nl = std::memchr(data + scanned, '\n', end_ - scanned)) {
        size_t at = static_cast<size_t>(static_cast<const char*>(nl) - data);
        line = std::string_view(data + begin_, at - begin_);
        begin_ = at + 1;
        return true;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        line = std::string_view(data + begin_, end_ - begin_);
        begin_ = end_;
        return true;
      }
      // Keep the partial line, at the front, and read more behind it.
      size_t partial = end_ - begin_;
      std::memmove(data, data + begin_, partial);
      begin_ = 0;
      end_ = partial;
      scanned = partial;
      if (end_ == buffer_.size()) {
        buffer_.resize(buffer_.size() * 2);
        data = buffer_.data();
      }
      size_t n = std::fread(data + end_, 1, buffer_.size() - end_, file_);
      end_ += n;
      if (n == 0) {
        eof_ = true;
        failed_ = std::ferror(file_) != 0;
      }
    }
  }

  bool failed() const noexcept { return failed_; }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // unread bytes are [begin_, end_)
  size_t end_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

// One input line, read and parsed, on its way to the router.
struct ParsedLine {
  int64_t number = 0;  // 1-based line number
  uint64_t bytes = 0;  // consumed, with the '\n'
  bool blank = false;  // skipped: no decision, no error
  Lead lead;           // when `error` is OK
  Status error;
};
using Batch = std::vector<ParsedLine>;

// A bounded first-in-first-out hand-over between two threads.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}

  void Push(Batch batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // Nothing more will be pushed.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  // The oldest batch; false once closed and drained.
  bool Pop(Batch& batch) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return false;
    batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return true;
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Batch> queue_;
  bool closed_ = false;
};

// Reads and parses every line of `in` into `queue`, in order, then closes
// it. Runs on its own thread, so parsing the next leads overlaps routing
// these: the router sees the leads in file order, one at a time, exactly as
// a single thread would give them.
struct ReadResult {
  bool failed = false;
  int64_t lines = 0;
};
ReadResult ReadAndParse(std::FILE* in, BatchQueue& queue) {
  LineReader reader(in);
  ReadResult result;
  Batch batch;
  batch.reserve(kBatchLines);
  std::string_view line;
  while (reader.Next(line)) {
    ParsedLine& parsed = batch.emplace_back();
    parsed.number = ++result.lines;
    parsed.bytes = line.size() + 1;
    parsed.blank = IsBlank(line);
    if (!parsed.blank) {
      Result<Lead> lead = Lead::FromJson(line);
      if (lead.ok()) {
        parsed.lead = std::move(*lead);
      } else {
        parsed.error = lead.status();
      }
    }
    if (batch.size() == kBatchLines) {
      queue.Push(std::move(batch));
      batch = Batch();
      batch.reserve(kBatchLines);
    }
  }
  if (!batch.empty()) queue.Push(std::move(batch));
  result.failed = reader.failed();
  queue.Close();
  return result;
}

}  // namespace

int RunRoute(const RouteOptions& options) {
  // Load everything before writing anything.
  std::optional<RuleSet> rules = LoadRules(options.rules);
  if (!rules) return kExitLoadFailed;
  int exit_code = kExitOk;
  std::optional<RouterOptions> router_options =
      RouterOptionsFor(options.at, options.accounts, exit_code);
  if (!router_options) return exit_code;
  // Without --state nothing can reassign these leads after the run (and
  // saved state is where the fields would go): keep no copies of them.
  router_options->keep_leads = !options.state.empty();
  std::optional<Router> router =
      NewRouter(*rules, options.rules, std::move(*router_options));
  if (!router) return kExitLoadFailed;
  if (!options.state.empty() &&
      !LoadStateFile(*router, options.state, /*must_exist=*/false)) {
    return kExitLoadFailed;
  }

  std::unique_ptr<std::FILE, FileCloser> in(
      options.leads == "-" ? stdin : std::fopen(options.leads.c_str(), "rb"));
  if (!in) {
    fmt::print(stderr, "{}: cannot read: {}\n", options.leads,
               std::strerror(errno));
    return kExitLoadFailed;
  }
  // LineReader reads blocks of its own: a second buffer would only copy.
  std::setvbuf(in.get(), nullptr, _IONBF, 0);

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
  BatchQueue queue(kQueueBatches);
  ReadResult read;
  std::thread reader([&] { read = ReadAndParse(in.get(), queue); });
  Batch batch;
  while (queue.Pop(batch)) {
    for (ParsedLine& line : batch) {
      progress.Advance(line.bytes);
      if (line.blank) continue;
      ++stats.lines;
      if (!line.error.ok()) {
        ++stats.errors;
        ReportLineError(line.number, line.error);
        continue;
      }
      auto assignment = router->Route(line.lead);
      if (!assignment.ok()) {
        ++stats.errors;
        ReportLineError(line.number, assignment.status());
        continue;
      }
      pending += assignment->ToJson();
      pending.push_back('\n');
      if (pending.size() >= kBufferSize) flush();
      stats.Add(*assignment);
    }
  }
  reader.join();
  int64_t line_number = read.lines;
  flush();
  progress.Finish(stats.routed, stats.errors);
  bool read_failed = read.failed;
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
