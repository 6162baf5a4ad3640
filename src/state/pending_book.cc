#include "state/pending_book.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "leadroute/lead.h"
#include "leadroute/offer.h"
#include "state/state_snapshot.h"

namespace leadroute::internal {
namespace {

using OJson = OrderedJson;

constexpr std::string_view kOfferDecider = "offer";
constexpr std::string_view kPoolDecider = "pool";

bool Older(const PendingLead& a, const PendingLead& b) noexcept {
  if (a.decision.routed_at != b.decision.routed_at) {
    return a.decision.routed_at < b.decision.routed_at;
  }
  return a.sequence < b.sequence;
}

// Reads one entry's members, collecting errors at their pointers.
class EntryReader {
 public:
  EntryReader(const OJson& item, std::string path,
              std::vector<ConfigError>& errors)
      : item_(item), path_(std::move(path)), errors_(errors) {}

  std::string At(std::string_view key) const { return PointerJoin(path_, key); }
  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  const OJson* Member(std::string_view key, bool required = true) {
    auto found = item_.find(key);
    if (found == item_.end()) {
      if (required) Error(path_, "missing \"" + std::string(key) + "\"");
      return nullptr;
    }
    return &*found;
  }

  std::optional<std::string> String(std::string_view key) {
    const OJson* v = Member(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
      Error(At(key), "expected a non-empty string, " + Found(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<uint64_t> U64(std::string_view key) {
    const OJson* v = Member(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number_unsigned()) return v->get<uint64_t>();
    if (v->is_string()) {
      const std::string& s = v->get_ref<const std::string&>();
      uint64_t out = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
        return out;
      }
    }
    Error(At(key), "expected a non-negative integer (or its decimal string), " +
                       Found(*v));
    return std::nullopt;
  }

  std::optional<Instant> Time(const OJson* v, const std::string& at) {
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) {
      if (auto t = ParseInstant(v->get_ref<const std::string&>())) return *t;
    }
    Error(at, "expected an RFC 3339 instant, " + Found(*v));
    return std::nullopt;
  }

 private:
  const OJson& item_;
  std::string path_;
  std::vector<ConfigError>& errors_;
};

}  // namespace

const PendingLead* PendingBook::Find(std::string_view offer_or_lead_id) const {
  if (size() == 0) return nullptr;
  auto found = entries_.find(offer_or_lead_id);
  if (found != entries_.end()) return &found->second;
  auto offer = offers_.find(offer_or_lead_id);
  if (offer == offers_.end()) return nullptr;
  found = entries_.find(offer->second);
  return found == entries_.end() ? nullptr : &found->second;
}

const PendingLead& PendingBook::Add(Assignment decision, const Lead& lead) {
  PendingLead entry;
  entry.sequence = sequence_ + 1;
  entry.lead = std::make_shared<const Lead>(lead);
  if (decision.offer) {
    decision.offer->offer_id =
        decision.lead_id + "#" + std::to_string(entry.sequence);
  }
  entry.decision = std::move(decision);
  std::string lead_id = entry.decision.lead_id;
  std::string offer_id =
      entry.decision.offer ? entry.decision.offer->offer_id : std::string();
  // Both insertions may throw; the second is undone when it does.
  auto [it, added] = entries_.emplace(lead_id, std::move(entry));
  try {
    offers_.emplace(std::move(offer_id), std::move(lead_id));
  } catch (...) {
    entries_.erase(it);
    throw;
  }
  ++sequence_;
  size_.store(entries_.size(), std::memory_order_release);
  return it->second;
}

std::optional<PendingLead> PendingBook::Erase(
    std::string_view lead_id) noexcept {
  if (size() == 0) return std::nullopt;
  auto found = entries_.find(lead_id);
  if (found == entries_.end()) return std::nullopt;
  PendingLead entry = std::move(found->second);
  entries_.erase(found);
  if (entry.decision.offer) {
    auto offer = offers_.find(entry.decision.offer->offer_id);
    if (offer != offers_.end()) offers_.erase(offer);
  }
  size_.store(entries_.size(), std::memory_order_release);
  return entry;
}

std::vector<PendingLead> PendingBook::List() const {
  std::vector<PendingLead> out;
  out.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) out.push_back(entry);
  std::sort(out.begin(), out.end(), Older);
  return out;
}

void PendingBook::Replace(std::vector<PendingLead> entries) {
  decltype(entries_) next;
  decltype(offers_) next_offers;
  uint64_t sequence = 0;
  for (PendingLead& entry : entries) {
    sequence = std::max(sequence, entry.sequence);
    std::string lead_id = entry.decision.lead_id;
    if (entry.decision.offer) {
      next_offers.emplace(entry.decision.offer->offer_id, lead_id);
    }
    next.emplace(std::move(lead_id), std::move(entry));
  }
  entries_.swap(next);
  offers_.swap(next_offers);
  sequence_ = sequence;
  size_.store(entries_.size(), std::memory_order_release);
}

OJson PendingToJson(const std::vector<PendingLead>& entries) {
  std::vector<const PendingLead*> sorted;
  for (const PendingLead& entry : entries) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->sequence < b->sequence; });
  OJson out = OJson::array();
  for (const PendingLead* entry : sorted) {
    const Assignment& d = entry->decision;
    OJson j = OJson::object();
    j["lead_id"] = d.lead_id;
    j["offer_id"] = d.offer->offer_id;
    j["sequence"] = StateU64Json(entry->sequence);
    j["mode"] = DistributionName(d.offer->mode);
    j["rule"] = d.rule_id;
    j["generation"] = StateU64Json(d.generation);
    j["offered_at"] = StateInstantText(d.offer->offered_at);
    j["expires_at"] = d.offer->expires_at
                          ? OJson(StateInstantText(*d.offer->expires_at))
                          : OJson(nullptr);
    j["reps"] = d.offer->reps;
    j["lead"] = OJson::parse(entry->lead->ToJson());
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<PendingLead> ReadPendingJson(
    const OJson& array, const std::string& path,
    const std::unordered_set<std::string>& decided,
    std::vector<ConfigError>& errors) {
  static constexpr std::string_view kKeys[] = {
      "lead_id",    "offer_id",   "sequence",   "mode", "rule",
      "generation", "offered_at", "expires_at", "reps", "lead"};
  std::vector<PendingLead> out;
  if (!array.is_array()) {
    errors.push_back(
        {path, "expected an array of pending leads, " + Found(array)});
    return out;
  }
  std::unordered_set<std::string> leads;
  std::unordered_set<std::string> offers;
  std::unordered_set<uint64_t> sequences;
  for (size_t i = 0; i < array.size(); ++i) {
    const OJson& item = array[i];
    const std::string item_path = PointerJoin(path, i);
    if (!item.is_object()) {
      errors.push_back(
          {item_path, "expected a pending lead object, " + Found(item)});
      continue;
    }
    EntryReader r(item, item_path, errors);
    CheckKeys(item, item_path, kKeys, errors);
    PendingLead entry;
    Assignment& d = entry.decision;
    OfferInfo& offer = d.offer.emplace();
    auto lead_id = r.String("lead_id");
    if (lead_id) {
      if (!leads.insert(*lead_id).second) {
        r.Error(r.At("lead_id"), "duplicate pending lead \"" + *lead_id + "\"");
      } else if (decided.count(*lead_id) != 0) {
        r.Error(r.At("lead_id"), "lead \"" + *lead_id +
                                     "\" is both pending and decided "
                                     "(in \"/leads\")");
      }
    }
    auto offer_id = r.String("offer_id");
    if (offer_id && !offers.insert(*offer_id).second) {
      r.Error(r.At("offer_id"), "duplicate offer \"" + *offer_id + "\"");
    }
    auto sequence = r.U64("sequence");
    if (sequence && (*sequence == 0 || !sequences.insert(*sequence).second)) {
      r.Error(r.At("sequence"),
              *sequence == 0
                  ? std::string("expected a sequence of 1 or more")
                  : "duplicate sequence " + std::to_string(*sequence));
    }
    auto mode_name = r.String("mode");
    // kPush stands for "no valid mode": a pending entry is never a push.
    // (A plain enum: GCC 12 -O3 warns a std::optional here may be read
    // uninitialised.)
    Distribution mode = Distribution::kPush;
    if (mode_name) {
      mode = ParseDistribution(*mode_name).value_or(Distribution::kPush);
      if (mode == Distribution::kPush) {
        r.Error(r.At("mode"),
                "expected \"offer\" or \"pool\", found \"" + *mode_name + "\"");
      }
    }
    const OJson* rule = r.Member("rule");
    if (rule != nullptr && !rule->is_string()) {
      r.Error(r.At("rule"), "expected a rule id, " + Found(*rule));
    }
    auto generation = r.U64("generation");
    auto offered_at = r.Time(r.Member("offered_at"), r.At("offered_at"));
    std::optional<Instant> expires_at;
    if (const OJson* e = r.Member("expires_at", false); e && !e->is_null()) {
      expires_at = r.Time(e, r.At("expires_at"));
      if (expires_at && mode == Distribution::kPool) {
        r.Error(r.At("expires_at"),
                "a pool entry never expires: expected null");
      }
    } else if (mode == Distribution::kOffer) {
      r.Error(r.At("expires_at"), "an offer needs its expiry instant");
    }
    if (const OJson* reps = r.Member("reps")) {
      if (!reps->is_array()) {
        r.Error(r.At("reps"), "expected an array of rep ids, " + Found(*reps));
      } else {
        for (size_t k = 0; k < reps->size(); ++k) {
          const OJson& rep = (*reps)[k];
          if (!rep.is_string() || rep.get_ref<const std::string&>().empty()) {
            r.Error(PointerJoin(r.At("reps"), k),
                    "expected a rep id, " + Found(rep));
          } else {
            offer.reps.push_back(rep.get<std::string>());
          }
        }
      }
    }
    if (const OJson* lead = r.Member("lead")) {
      if (!lead->is_object()) {
        r.Error(r.At("lead"), "expected a lead object, " + Found(*lead));
      } else {
        Result<Lead> parsed = Lead::FromJson(lead->dump());
        if (!parsed.ok()) {
          const auto& inner = parsed.status().errors();
          if (inner.empty()) {
            r.Error(r.At("lead"), std::string(parsed.status().message()));
          }
          for (const ConfigError& e : inner) {
            r.Error(r.At("lead") + e.path, e.message);
          }
        } else if (lead_id && parsed->id() != *lead_id) {
          r.Error(PointerJoin(r.At("lead"), "id"),
                  "the lead's id \"" + parsed->id() +
                      "\" is not the lead_id \"" + *lead_id + "\"");
        } else {
          entry.lead = std::make_shared<const Lead>(std::move(*parsed));
        }
      }
    }
    if (lead_id) d.lead_id = std::move(*lead_id);
    if (offer_id) offer.offer_id = std::move(*offer_id);
    if (sequence) entry.sequence = *sequence;
    if (mode != Distribution::kPush) {
      offer.mode = mode;
      d.decided_by = mode == Distribution::kPool ? kPoolDecider : kOfferDecider;
    }
    if (rule != nullptr && rule->is_string())
      d.rule_id = rule->get<std::string>();
    if (generation) d.generation = *generation;
    if (offered_at) {
      offer.offered_at = *offered_at;
      d.routed_at = *offered_at;
    }
    offer.expires_at = expires_at;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace leadroute::internal
