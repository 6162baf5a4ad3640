#include "progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace leadroute::cli {

Progress::Progress(uint64_t input_bytes)
    : terminal_(isatty(STDERR_FILENO) == 1),
      input_bytes_(input_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {
  enabled_ = terminal_ && (input_bytes == 0 || input_bytes >= kLargeInput);
}

void Progress::Redraw(bool force) {
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (!force && (now - last_ < std::chrono::milliseconds(200) ||
                 (input_bytes_ == 0 && elapsed < 1))) {
    return;
  }
  last_ = now;
  double rate = elapsed > 0 ? static_cast<double>(lines_) / elapsed : 0;
  std::string line;
  if (input_bytes_ > 0) {
    double done = std::min(
        1.0, static_cast<double>(bytes_) / static_cast<double>(input_bytes_));
    constexpr int kWidth = 30;
    int filled = static_cast<int>(done * kWidth);
    line =
        fmt::format("\r[{:#<{}}{: <{}}] {:3.0f}%  {} leads  {:.0f} leads/s", "",
                    filled, "", kWidth - filled, 100 * done, lines_, rate);
  } else {
    line = fmt::format("\r{} leads  {:.0f} leads/s", lines_, rate);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Finish(int64_t routed, int64_t errors) {
  if (shown_) std::fputs("\r\033[K", stderr);
  if (!terminal_) return;
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  fmt::print(stderr,
             "route: {} leads routed, {} errors in {:.2f} s ({:.0f} leads/s)\n",
             routed, errors, elapsed,
             elapsed > 0 ? static_cast<double>(routed) / elapsed : 0);
}

}  // namespace leadroute::cli
