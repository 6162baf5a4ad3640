#include "state/outcome_book.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

LEADROUTE_NAMESPACE_BEGIN

namespace {
constexpr std::string_view kOutcomeKindNames[] = {"converted", "lost"};
}  // namespace

std::string_view OutcomeKindName(OutcomeKind kind) noexcept {
  auto i = static_cast<size_t>(kind);
  return i < std::size(kOutcomeKindNames) ? kOutcomeKindNames[i] : "unknown";
}

std::optional<OutcomeKind> ParseOutcomeKind(std::string_view name) noexcept {
  for (size_t i = 0; i < std::size(kOutcomeKindNames); ++i) {
    if (kOutcomeKindNames[i] == name) return static_cast<OutcomeKind>(i);
  }
  return std::nullopt;
}

LEADROUTE_NAMESPACE_END

namespace leadroute::internal {
namespace {

void Add(OutcomeStats& stats, const Outcome& outcome) noexcept {
  if (outcome.kind == OutcomeKind::kConverted) {
    ++stats.converted;
  } else {
    ++stats.lost;
  }
  stats.value += outcome.value;
}

bool IsZero(const OutcomeStats& stats) noexcept {
  return stats.converted == 0 && stats.lost == 0 && stats.value == 0;
}

}  // namespace

OutcomeStats OutcomeBook::Get(std::string_view rep,
                              std::string_view segment) const noexcept {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto found = reps_.find(rep);
  if (found == reps_.end()) return {};
  if (segment.empty()) return found->second.overall;
  auto tally = found->second.segments.find(segment);
  return tally == found->second.segments.end() ? OutcomeStats{} : tally->second;
}

void OutcomeBook::Credit(std::string_view rep,
                         std::span<const std::string> segments,
                         const Outcome& outcome) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  // Create every entry first (may throw; an entry at zero is the same as
  // none), then add, which cannot fail.
  auto found = reps_.find(rep);
  if (found == reps_.end()) found = reps_.try_emplace(std::string(rep)).first;
  RepTallies& tallies = found->second;
  std::vector<OutcomeStats*> targets;
  targets.reserve(segments.size() + 1);
  targets.push_back(&tallies.overall);
  for (const std::string& segment : segments) {
    auto s = tallies.segments.find(segment);
    if (s == tallies.segments.end())
      s = tallies.segments.try_emplace(segment).first;
    // A segment named twice (two steps on the same field) counts once.
    if (std::find(targets.begin(), targets.end(), &s->second) ==
        targets.end()) {
      targets.push_back(&s->second);
    }
  }
  for (OutcomeStats* stats : targets) Add(*stats, outcome);
}

std::vector<OutcomeEntry> OutcomeBook::Entries() const {
  std::vector<OutcomeEntry> entries;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    for (const auto& [rep, tallies] : reps_) {
      if (!IsZero(tallies.overall)) {
        entries.push_back({rep, std::string(), tallies.overall});
      }
      for (const auto& [segment, stats] : tallies.segments) {
        if (!IsZero(stats)) entries.push_back({rep, segment, stats});
      }
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.rep, a.segment) < std::tie(b.rep, b.segment);
  });
  return entries;
}

OutcomeBook::Staged OutcomeBook::Stage(
    const std::vector<OutcomeEntry>& entries) {
  Staged staged;
  for (const OutcomeEntry& entry : entries) {
    RepTallies& tallies = staged.book_[entry.rep];
    if (entry.segment.empty()) {
      tallies.overall = entry.stats;
    } else {
      tallies.segments[entry.segment] = entry.stats;
    }
  }
  return staged;
}

void OutcomeBook::Commit(Staged& staged) noexcept {
  std::unique_lock<std::shared_mutex> lock(mu_);
  reps_.swap(staged.book_);
}

OrderedJson OutcomesJson(std::span<const OutcomeEntry> entries) {
  OrderedJson out = OrderedJson::array();
  for (const OutcomeEntry& entry : entries) {
    OrderedJson e = OrderedJson::object();
    e["rep"] = entry.rep;
    if (!entry.segment.empty()) e["segment"] = entry.segment;
    e["converted"] = entry.stats.converted;
    e["lost"] = entry.stats.lost;
    e["value"] = entry.stats.value;
    out.push_back(std::move(e));
  }
  return out;
}

void ReadOutcomesJson(const OrderedJson& json, const std::string& path,
                      std::vector<OutcomeEntry>& out,
                      std::vector<ConfigError>& errors) {
  static constexpr std::string_view kKeys[] = {"rep", "segment", "converted",
                                               "lost", "value"};
  auto error = [&](std::string at, std::string message) {
    errors.push_back({std::move(at), std::move(message)});
  };
  std::set<std::pair<std::string, std::string>> seen;
  ForEachObject(
      json, path, kKeys, errors,
      [&](const OrderedJson& item, const std::string& at) {
        OutcomeEntry entry;
        bool ok = true;
        auto rep = item.find("rep");
        if (rep == item.end()) {
          error(at, "missing \"rep\"");
          ok = false;
        } else if (!rep->is_string() ||
                   rep->get_ref<const std::string&>().empty()) {
          error(PointerJoin(at, "rep"),
                "expected a non-empty string, " + Found(*rep));
          ok = false;
        } else {
          entry.rep = rep->get<std::string>();
        }
        if (auto segment = item.find("segment"); segment != item.end()) {
          const std::string* text =
              segment->is_string() ? &segment->get_ref<const std::string&>()
                                   : nullptr;
          size_t eq = text != nullptr ? text->find('=') : std::string::npos;
          if (text == nullptr || eq == 0 || eq == std::string::npos) {
            error(PointerJoin(at, "segment"),
                  "expected \"field=value\", " + Found(*segment));
            ok = false;
          } else {
            entry.segment = *text;
          }
        }
        for (std::string_view key : {"converted", "lost"}) {
          auto count = item.find(std::string(key));
          int64_t n = 0;
          if (count == item.end()) {
            error(at, "missing \"" + std::string(key) + "\"");
            ok = false;
            continue;
          }
          if (!count->is_number_integer() || (n = count->get<int64_t>()) < 0) {
            error(PointerJoin(at, key),
                  "expected a non-negative integer, " + Found(*count));
            ok = false;
            continue;
          }
          (key == "converted" ? entry.stats.converted : entry.stats.lost) = n;
        }
        auto value = item.find("value");
        if (value == item.end()) {
          error(at, "missing \"value\"");
          ok = false;
        } else if (!value->is_number() ||
                   !std::isfinite(value->get<double>()) ||
                   value->get<double>() < 0) {
          error(PointerJoin(at, "value"),
                "expected a finite number >= 0, " + Found(*value));
          ok = false;
        } else {
          entry.stats.value = value->get<double>();
        }
        if (!ok) return;
        if (!seen.emplace(entry.rep, entry.segment).second) {
          error(at, "duplicate outcomes for rep \"" + entry.rep + "\"" +
                        (entry.segment.empty()
                             ? std::string(" overall")
                             : " in segment \"" + entry.segment + "\""));
          return;
        }
        out.push_back(std::move(entry));
      });
}

}  // namespace leadroute::internal
