// The `sticky` resolver's shared pieces (docs/cookbook/sticky.md): how a
// lead's key values are read and normalised, and the plan a compiled RuleSet
// keeps so that the Router remembers those values after a decision.
//
// The strategy (sticky.cc) reads keys from a LeadView on the route; the
// Router reads the same keys from the Lead after a decision commits. Both go
// through StickyValue, so what is looked up is exactly what was remembered.
#ifndef LEADROUTE_STRATEGIES_STICKY_H_
#define LEADROUTE_STRATEGIES_STICKY_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/assignment.h"
#include "leadroute/lead.h"
#include "leadroute/state_store.h"
#include "leadroute/strategy.h"
#include "leadroute/value.h"

namespace leadroute::internal {

enum class StickyKeyKind : uint8_t {
  kEmail,    // the lead's `email`, whole
  kDomain,   // the lead's `domain`, else the part of `email` after '@'
  kAccount,  // the lead's `account_id`
  kField,    // any lead field, configured as "field:<name>"
};

// One configured key: its kind, the name it has in the key index ("email",
// "domain", "account" or "field:<name>") and the lead field it reads.
struct StickyKeySpec {
  StickyKeyKind kind = StickyKeyKind::kEmail;
  std::string name;
  std::string field;
};

// The longest normalised value a key may have; longer values are not keys
// (an email address is at most 254 characters).
inline constexpr size_t kMaxStickyValue = 256;
using StickyBuffer = std::array<char, kMaxStickyValue>;

// The normalised value of a key of `kind`: `primary` is the value of the
// key's own field, `email` the lead's `email` (read only by kDomain when
// `primary` is missing). Strings are trimmed and lower-cased, a domain loses
// a leading "www." and a trailing '.', an email must contain '@' with text on
// both sides; an integer reads as its decimal text. Empty when the lead has
// no usable value. Writes into `buffer`; allocation-free.
std::string_view StickyValue(StickyKeyKind kind, const Value* primary,
                             const Value* email, StickyBuffer& buffer) noexcept;

// Which domains a step never uses as keys.
class DomainFilter {
 public:
  DomainFilter(bool free_mail, std::vector<std::string> extra);
  // `domain` is normalised (StickyValue). Sub-domains of an ignored domain
  // are ignored too ("mail.gmail.com").
  bool Ignores(std::string_view domain) const noexcept;

 private:
  bool free_mail_;
  std::vector<std::string> extra_;  // normalised
};

// Whether `domain` (normalised) is a free-mail provider's domain (gmail.com,
// outlook.com, ...; the list is in sticky.cc and docs/cookbook/sticky.md).
bool IsFreeMailDomain(std::string_view domain) noexcept;

// What a compiled RuleSet remembers after each decision: the union of the
// keys its sticky steps look up (first use first) and how long entries must
// be kept (the longest window).
struct StickyPlan {
  std::vector<StickyKeySpec> keys;
  std::chrono::seconds retention{0};
  // The domain filters of the steps that look up "domain": a domain is
  // remembered unless every one of them ignores it.
  std::vector<std::shared_ptr<const DomainFilter>> domain_filters;
};

// Adds `step` to `plan` (creating it) when `step` is a built-in sticky step;
// otherwise leaves `plan` unchanged. For the RuleSet compiler.
void AddStickyStep(std::shared_ptr<const StickyPlan>& plan,
                   const Strategy& step);

// After a committed decision: remembers the lead's values for the plan's
// keys -> the decision's owner at `decision.routed_at`. Does nothing for a
// queue owner or a fallback decision. Out of memory loses the keys, never
// throws.
void RememberStickyKeys(const StickyPlan& plan, StateStore& state,
                        const Lead& lead, const Assignment& decision) noexcept;

}  // namespace leadroute::internal

#endif  // LEADROUTE_STRATEGIES_STICKY_H_
