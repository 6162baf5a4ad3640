// Owner: who a lead goes to, a rep or a queue.
#ifndef LEADROUTE_OWNER_H_
#define LEADROUTE_OWNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

enum class OwnerKind : uint8_t { kRep, kQueue };

// "rep" or "queue".
LEADROUTE_EXPORT std::string_view OwnerKindName(OwnerKind kind) noexcept;

struct Owner {
  OwnerKind kind = OwnerKind::kQueue;
  std::string id{};

  static Owner Rep(std::string id) { return {OwnerKind::kRep, std::move(id)}; }
  static Owner Queue(std::string id) {
    return {OwnerKind::kQueue, std::move(id)};
  }
  friend bool operator==(const Owner&, const Owner&) = default;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_OWNER_H_
