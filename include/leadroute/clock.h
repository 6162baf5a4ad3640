// Clock: where the Router gets "now" when a lead carries no `created_at`.
//
// A plugin in the manner of leveldb's `Env`: the system clock by default, a
// fake one in tests (`leadroute/testing.h`). Implementations must be
// thread-safe: `Now` is called concurrently from every routing thread.
#ifndef LEADROUTE_CLOCK_H_
#define LEADROUTE_CLOCK_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// A point in UTC time, to the millisecond (leap seconds are not counted, as
// in Unix time).
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

class LEADROUTE_EXPORT Clock {
 public:
  virtual ~Clock();
  // A stable name, e.g. "system".
  virtual std::string_view Name() const noexcept = 0;
  // The current instant. Thread-safe; must not throw or block.
  virtual Instant Now() const noexcept = 0;
};

// The process's wall clock (`std::chrono::system_clock`). Shared, stateless.
LEADROUTE_EXPORT std::shared_ptr<const Clock> SystemClock();

// Parses an RFC 3339 date-time: "2024-03-10T07:30:00Z",
// "2024-03-10T02:30:00.250-05:00" (a `T`, `t` or space between date and
// time; fractional seconds to any length, kept to the millisecond; `Z`, `z`
// or a `+hh:mm`/`-hh:mm` offset, which is required). nullopt when `text` is
// anything else, including impossible dates such as February 30. Allocation
// free; the Router uses it for the lead field `created_at`.
LEADROUTE_EXPORT std::optional<Instant> ParseInstant(
    std::string_view text) noexcept;

// `instant` as RFC 3339 in UTC: "2024-03-10T07:30:00Z", with ".250" when it
// has milliseconds.
LEADROUTE_EXPORT std::string FormatInstant(Instant instant);

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_CLOCK_H_
