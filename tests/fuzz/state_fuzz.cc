// libFuzzer target: the saved-state loader (see fuzz_bodies.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_bodies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  leadroute::fuzz::FuzzState(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
