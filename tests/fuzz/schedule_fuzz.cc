// libFuzzer target: schedule and time parsing (see schedule_fuzz_body.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schedule_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  leadroute::fuzz::FuzzSchedule(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
