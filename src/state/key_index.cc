// The in-memory store's sticky key index (state/key_index.h).
#include "state/key_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <utility>

#include "state/state_snapshot.h"

namespace leadroute::internal {

void KeyIndex::Contents::Add(StickyRecord record) {
  auto key = by_key_.find(record.key);
  if (key == by_key_.end()) {
    key = by_key_.emplace(std::move(record.key), Values()).first;
  }
  auto [it, inserted] = key->second.try_emplace(std::move(record.value));
  it->second.rep = std::move(record.rep);
  it->second.at = record.at;
  if (inserted) ++size_;
}

void KeyIndex::Remember(std::span<const StickyKey> keys,
                        std::string_view rep_id, Instant at,
                        std::chrono::seconds retention) noexcept {
  if (keys.empty()) return;
  std::unique_lock<std::shared_mutex> lock(mu_);
  retention_ = std::max(retention_, retention);
  newest_ = std::max(newest_, at);
  try {
    for (const StickyKey& k : keys) {
      auto key = contents_.by_key_.find(k.key);
      if (key == contents_.by_key_.end()) {
        key = contents_.by_key_.emplace(std::string(k.key), Contents::Values())
                  .first;
      }
      Contents::Values& values = key->second;
      auto entry = values.find(k.value);
      if (entry == values.end()) {
        entry = values.emplace(std::string(k.value), Contents::Entry()).first;
        ++contents_.size_;
      }
      // The latest decision wins, even when its instant is earlier (a lead
      // routed by an older `created_at`): it is the current owner.
      if (entry->second.rep != rep_id) entry->second.rep.assign(rep_id);
      entry->second.at = at;
    }
  } catch (...) {
    // Out of memory: the keys not yet stored are lost, nothing else.
  }
  MaybePrune();
}

std::optional<StickyEntry> KeyIndex::Lookup(
    const Roster& roster, std::string_view key,
    std::string_view value) const noexcept {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto k = contents_.by_key_.find(key);
  if (k == contents_.by_key_.end()) return std::nullopt;
  auto v = k->second.find(value);
  if (v == k->second.end()) return std::nullopt;
  RepIndex rep = roster.Find(v->second.rep);
  if (rep == kNoRep) return std::nullopt;
  return StickyEntry{rep, v->second.at};
}

std::vector<StickyRecord> KeyIndex::Records() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<StickyRecord> out;
  out.reserve(contents_.size_);
  for (const auto& [key, values] : contents_.by_key_) {
    for (const auto& [value, entry] : values) {
      out.push_back({key, value, entry.rep, entry.at});
    }
  }
  return out;
}

void KeyIndex::Replace(Contents& contents) noexcept {
  std::unique_lock<std::shared_mutex> lock(mu_);
  std::swap(contents_.by_key_, contents.by_key_);
  std::swap(contents_.size_, contents.size_);
  newest_ = Instant{};
  for (const auto& [key, values] : contents_.by_key_) {
    for (const auto& [value, entry] : values) {
      newest_ = std::max(newest_, entry.at);
    }
  }
  sweep_at_ = std::max(kMinSweep, 2 * contents_.size_);
}

size_t KeyIndex::size() const noexcept {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return contents_.size_;
}

void KeyIndex::MaybePrune() noexcept {
  if (contents_.size_ < sweep_at_) return;
  if (retention_ > std::chrono::seconds{0}) {
    const Instant cutoff = newest_ - retention_;
    for (auto key = contents_.by_key_.begin();
         key != contents_.by_key_.end();) {
      Contents::Values& values = key->second;
      contents_.size_ -= std::erase_if(
          values, [&](const auto& entry) { return entry.second.at < cutoff; });
      key = values.empty() ? contents_.by_key_.erase(key) : std::next(key);
    }
  }
  sweep_at_ = std::max(kMinSweep, 2 * contents_.size_);
}

namespace {

bool KnownKey(std::string_view key) {
  return key == "email" || key == "domain" || key == "account" ||
         (key.size() > 6 && key.starts_with("field:"));
}

// Whether `value` is as the `sticky` resolver writes it: trimmed, without
// upper-case ASCII.
bool Normalised(std::string_view value) {
  return Trim(value) == value &&
         std::none_of(value.begin(), value.end(),
                      [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

OrderedJson StickyJson(std::vector<StickyRecord> records) {
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.key != b.key ? a.key < b.key : a.value < b.value;
  });
  OrderedJson out = OrderedJson::array();
  for (const StickyRecord& r : records) {
    OrderedJson j = OrderedJson::object();
    j["key"] = r.key;
    j["value"] = r.value;
    j["rep"] = r.rep;
    j["at"] = StateInstantText(r.at);
    out.push_back(std::move(j));
  }
  return out;
}

void ReadStickyJson(const OrderedJson& json, const std::string& path,
                    std::vector<StickyRecord>& out,
                    std::vector<ConfigError>& errors) {
  static constexpr std::string_view kKeys[] = {"key", "value", "rep", "at"};
  auto error = [&](std::string at, std::string message) {
    errors.push_back({std::move(at), std::move(message)});
  };
  std::set<std::pair<std::string, std::string>, std::less<>> seen;
  ForEachObject(
      json, path, kKeys, errors,
      [&](const OrderedJson& item, const std::string& at) {
        // A non-empty string member, else an error and nullptr.
        auto text = [&](std::string_view name) -> const std::string* {
          auto found = item.find(name);
          if (found == item.end()) {
            error(at, fmt::format("missing \"{}\"", name));
            return nullptr;
          }
          if (!found->is_string() ||
              found->get_ref<const std::string&>().empty()) {
            error(PointerJoin(at, name),
                  "expected a non-empty string, " + Found(*found));
            return nullptr;
          }
          return &found->get_ref<const std::string&>();
        };
        StickyRecord record;
        bool ok = true;
        if (const std::string* key = text("key")) {
          if (KnownKey(*key)) {
            record.key = *key;
          } else {
            error(PointerJoin(at, "key"),
                  fmt::format("found \"{}\", expected \"email\", \"domain\", "
                              "\"account\" or \"field:<lead field>\"",
                              *key));
            ok = false;
          }
        } else {
          ok = false;
        }
        if (const std::string* value = text("value")) {
          if (Normalised(*value)) {
            record.value = *value;
          } else {
            error(PointerJoin(at, "value"),
                  fmt::format("found \"{}\", expected a normalised value "
                              "(trimmed, lower-case)",
                              *value));
            ok = false;
          }
        } else {
          ok = false;
        }
        if (const std::string* rep = text("rep")) {
          record.rep = *rep;
        } else {
          ok = false;
        }
        if (auto when = item.find("at"); when == item.end()) {
          error(at, "missing \"at\"");
          ok = false;
        } else if (std::optional<Instant> t =
                       when->is_string()
                           ? ParseInstant(when->get_ref<const std::string&>())
                           : std::nullopt) {
          record.at = *t;
        } else {
          error(PointerJoin(at, "at"),
                "expected an RFC 3339 date-time, " + Found(*when));
          ok = false;
        }
        if (!ok) return;
        if (!seen.emplace(record.key, record.value).second) {
          error(PointerJoin(at, "value"),
                fmt::format("duplicate sticky key {} \"{}\"", record.key,
                            record.value));
          return;
        }
        out.push_back(std::move(record));
      });
}

}  // namespace leadroute::internal
