// A progress line on stderr for long runs of `leadroute route`: leads done,
// leads/s and, when the input size is known, a bar with the percentage.
// Shown only when stderr is a terminal, so redirected runs keep a clean,
// machine-readable error stream.
#ifndef LEADROUTE_TOOLS_LEADROUTE_PROGRESS_H_
#define LEADROUTE_TOOLS_LEADROUTE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace leadroute::cli {

class Progress {
 public:
  // `input_bytes`: size of the input, 0 when unknown (stdin, a pipe).
  // The bar appears for inputs of at least `kLargeInput` bytes, or of
  // unknown size once the run has lasted a second.
  explicit Progress(uint64_t input_bytes);

  // Call once per input line with the bytes consumed; cheap when no redraw
  // is due.
  void Advance(uint64_t bytes) {
    bytes_ += bytes;
    ++lines_;
    if (enabled_ && (lines_ & 1023) == 0) Redraw(false);
  }

  // Erases the bar and, when stderr is a terminal, prints the final count:
  // `route: N leads routed, E errors in T s (R leads/s)`.
  void Finish(int64_t routed, int64_t errors);

  static constexpr uint64_t kLargeInput = uint64_t{4} << 20;

 private:
  void Redraw(bool force);

  bool terminal_ = false;
  bool enabled_ = false;
  bool shown_ = false;
  uint64_t input_bytes_ = 0;
  uint64_t bytes_ = 0;
  int64_t lines_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace leadroute::cli

#endif  // LEADROUTE_TOOLS_LEADROUTE_PROGRESS_H_
