// Offers and pools: distribution modes where reps take leads instead of
// having them pushed (docs/cookbook/offer-and-pool.md).
//
// A rule in `kOffer` mode narrows exactly as a push rule, then, where push
// would claim one rep, ranks a shortlist of up to `OfferSettings::size`
// eligible reps and leaves the lead pending: the first of them to
// `Router::Claim` it owns it ("shark tank", hybrid push-then-pick). A rule in
// `kPool` mode leaves the lead pending for every eligible rep; reps pull the
// oldest one they are eligible for with `Router::NextForRep` (blind pull).
#ifndef LEADROUTE_OFFER_H_
#define LEADROUTE_OFFER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/clock.h"
#include "leadroute/export.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN

// How a rule hands its lead to a rep.
enum class Distribution : uint8_t {
  kPush,   // claim one rep now (default)
  kOffer,  // offer to a ranked shortlist; the first claim wins
  kPool,   // leave it for any eligible rep to pull, oldest first
};

// "push", "offer" or "pool".
LEADROUTE_EXPORT std::string_view DistributionName(Distribution mode) noexcept;
// The mode named `name` (as DistributionName spells it), else nullopt.
LEADROUTE_EXPORT std::optional<Distribution> ParseDistribution(
    std::string_view name) noexcept;

// What happens to an offer nobody claimed in time (`Router::ExpireOffers`).
enum class OnExpiry : uint8_t {
  kPush,      // the offering rule routes it as a push (its on_empty applies)
  kFallback,  // the RuleSet's fallback owner gets it
};

// "push" or "fallback".
LEADROUTE_EXPORT std::string_view OnExpiryName(OnExpiry on_expiry) noexcept;
// The value named `name` (as OnExpiryName spells it), else nullopt.
LEADROUTE_EXPORT std::optional<OnExpiry> ParseOnExpiry(
    std::string_view name) noexcept;

// A `kOffer` rule's settings (config key "offer").
struct OfferSettings {
  int size = 3;  // shortlist length, 1..100
  // How long the shortlist may claim; > 0.
  std::chrono::seconds expires_after{std::chrono::minutes(15)};
  OnExpiry on_expiry = OnExpiry::kPush;
  friend bool operator==(const OfferSettings&, const OfferSettings&) = default;
};

// A lead waiting for a rep to take it.
struct OfferInfo {
  // "<lead id>#<n>": unique per store; `Router::Claim` takes it or the lead
  // id.
  std::string offer_id{};
  Distribution mode = Distribution::kOffer;
  // kOffer: the ranked shortlist, best first; kPool: the reps eligible when
  // the lead was routed, in the picker's order (any rep eligible at claim
  // time may take a pool lead).
  std::vector<std::string> reps{};
  Instant offered_at{};  // the routing instant
  // kOffer: offered_at + expires_after; kPool: nullopt (never expires).
  std::optional<Instant> expires_at{};
  friend bool operator==(const OfferInfo&, const OfferInfo&) = default;
};

LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_OFFER_H_
