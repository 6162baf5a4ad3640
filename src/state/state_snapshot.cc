// The saved-state document. Layout (docs/lifecycle.md has an example):
//
//   {"format": "leadroute-state", "version": 1, "sequence": N,
//    "reps": [{"id", "presence", "open", "claims": [instant, ...]}],
//    "rotations": [{"key", "rng": u64 | null,
//                   "reps": [{"id", "last_seq", "current",
//                             "period"?, "period_claims"?}]}],
//    "leads": [{"lead_id", "version", "owner": {"kind", "id"}, "rule",
//               "decided_by", "fallback", "generation", "routed_at",
//               "variant"?,
//               "history": [{"from": owner, "reason", "at"}],
//               "excluded": [rep id, ...], "lead": {lead} | null}],
//    "outcomes"?: [{"rep", "segment"?, "converted", "lost", "value"}],
//    "pending"?: [{"lead_id", "offer_id", "sequence", "mode", "rule",
//                  "generation", "offered_at", "expires_at": instant | null,
//                  "reps": [rep id, ...], "lead": {lead}}],
//    "sticky"?: [{"key", "value", "rep", "at"}]}
//
// Exact round trip: doubles are written in nlohmann's shortest round-trip
// form, 64-bit counters above 2^53 (which a double-based JSON reader would
// round) as decimal strings, instants as RFC 3339 with milliseconds.
// The document is parsed keeping member order, so that a lead's fields keep
// the order they were set in.
#include "state/state_snapshot.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>

#include "config/json_util.h"
#include "leadroute/lead.h"
#include "state/pending_book.h"

namespace leadroute::internal {
namespace {

using OJson = OrderedJson;

constexpr std::string_view kFormat = "leadroute-state";
constexpr uint64_t kMaxExactDouble = uint64_t{1} << 53;

// A saved state may hold far more open leads than a config holds rules.
const JsonLimits& StateLimits() {
  static const JsonLimits limits = [] {
    JsonLimits l = DefaultJsonLimits();
    l.max_document_bytes = size_t{1} << 30;  // 1 GiB
    l.max_array_items = 50000000;
    return l;
  }();
  return limits;
}

OJson OwnerJson(const Owner& owner) {
  OJson out = OJson::object();
  out["kind"] = OwnerKindName(owner.kind);
  out["id"] = owner.id;
  return out;
}

OJson RecordJson(const LeadRecord& record) {
  const Assignment& d = record.decision;
  OJson out = OJson::object();
  out["lead_id"] = d.lead_id;
  out["version"] = StateU64Json(record.version);
  out["owner"] = OwnerJson(d.owner);
  out["rule"] = d.rule_id;
  out["decided_by"] = d.decided_by;
  out["fallback"] = d.fallback;
  out["generation"] = StateU64Json(d.generation);
  out["routed_at"] = StateInstantText(d.routed_at);
  // Only for a lead an experiment decided: other records keep their keys.
  if (!d.variant.empty()) out["variant"] = d.variant;
  OJson history = OJson::array();
  for (const OwnerChange& change : record.history) {
    OJson h = OJson::object();
    h["from"] = OwnerJson(change.from);
    h["reason"] = ChangeReasonName(change.reason);
    h["at"] = StateInstantText(change.at);
    history.push_back(std::move(h));
  }
  out["history"] = std::move(history);
  out["excluded"] = record.excluded;
  if (record.lead != nullptr) {
    out["lead"] = OJson::parse(record.lead->ToJson());
  } else {
    out["lead"] = nullptr;
  }
  return out;
}

// Reads typed values, collecting an error at the JSON Pointer of each bad
// one.
class Reader {
 public:
  std::vector<ConfigError>& errors() { return errors_; }

  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  // Whether `v` is an object with only `known` keys (errors otherwise).
  bool Object(const OJson& v, const std::string& path,
              std::span<const std::string_view> known) {
    if (!v.is_object()) {
      Error(path, "expected an object, " + Found(v));
      return false;
    }
    CheckKeys(v, path, known, errors_);
    return true;
  }

  // Member `key` of object `v`; an error when it is missing.
  const OJson* Member(const OJson& v, const std::string& path,
                      std::string_view key) {
    auto found = v.find(key);
    if (found == v.end()) {
      Error(path, "missing \"" + std::string(key) + "\"");
      return nullptr;
    }
    return &*found;
  }

  std::optional<std::string> String(const OJson* v, const std::string& path,
                                    bool non_empty = false) {
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Error(path, "expected a string, " + Found(*v));
      return std::nullopt;
    }
    std::string s = v->get<std::string>();
    if (non_empty && s.empty()) {
      Error(path, "expected a non-empty string");
      return std::nullopt;
    }
    return s;
  }

  // A non-negative integer, or one written as a decimal string.
  std::optional<uint64_t> U64(const OJson* v, const std::string& path) {
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
    Error(path, "expected a non-negative integer (or its decimal string), " +
                    Found(*v));
    return std::nullopt;
  }

  std::optional<int64_t> I64(const OJson* v, const std::string& path) {
    if (v == nullptr) return std::nullopt;
    if (v->is_number_integer()) return v->get<int64_t>();
    Error(path, "expected an integer, " + Found(*v));
    return std::nullopt;
  }

  std::optional<int32_t> Count(const OJson* v, const std::string& path) {
    if (v == nullptr) return std::nullopt;
    if (v->is_number_integer()) {
      int64_t n = v->get<int64_t>();
      if (n >= 0 && n <= INT32_MAX) return static_cast<int32_t>(n);
    }
    Error(path, "expected an integer from 0 to 2147483647, " + Found(*v));
    return std::nullopt;
  }

  std::optional<double> Double(const OJson* v, const std::string& path) {
    if (v == nullptr) return std::nullopt;
    if (v->is_number()) {
      double d = v->get<double>();
      if (std::isfinite(d)) return d;
    }
    Error(path, "expected a finite number, " + Found(*v));
    return std::nullopt;
  }

  std::optional<bool> Bool(const OJson* v, const std::string& path) {
    if (v == nullptr) return std::nullopt;
    if (v->is_boolean()) return v->get<bool>();
    Error(path, "expected true or false, " + Found(*v));
    return std::nullopt;
  }

  std::optional<Instant> Time(const OJson* v, const std::string& path) {
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) {
      if (auto t = ParseInstant(v->get_ref<const std::string&>())) return *t;
    }
    Error(path, "expected an RFC 3339 date-time, " + Found(*v));
    return std::nullopt;
  }

  std::optional<Owner> OwnerOf(const OJson* v, const std::string& path) {
    static constexpr std::string_view kKeys[] = {"kind", "id"};
    if (v == nullptr || !Object(*v, path, kKeys)) return std::nullopt;
    auto kind = String(Member(*v, path, "kind"), PointerJoin(path, "kind"));
    auto id = String(Member(*v, path, "id"), PointerJoin(path, "id"), true);
    if (!kind || !id) return std::nullopt;
    if (*kind == OwnerKindName(OwnerKind::kRep)) return Owner::Rep(*id);
    if (*kind == OwnerKindName(OwnerKind::kQueue)) return Owner::Queue(*id);
    Error(PointerJoin(path, "kind"),
          "expected \"rep\" or \"queue\", found \"" + *kind + "\"");
    return std::nullopt;
  }

  // An array (errors otherwise); calls fn(item, path) for each item.
  template <typename Fn>
  void Array(const OJson* v, const std::string& path, Fn&& fn) {
    if (v == nullptr) return;
    if (!v->is_array()) {
      Error(path, "expected an array, " + Found(*v));
      return;
    }
    for (size_t i = 0; i < v->size(); ++i) fn((*v)[i], PointerJoin(path, i));
  }

 private:
  std::vector<ConfigError> errors_;
};

void ReadReps(Reader& r, const OJson& doc, StateData& data) {
  static constexpr std::string_view kKeys[] = {"id", "presence", "open",
                                               "claims"};
  std::unordered_set<std::string> seen;
  r.Array(r.Member(doc, "", "reps"), "/reps",
          [&](const OJson& item, const std::string& path) {
            if (!r.Object(item, path, kKeys)) return;
            StateData::RepEntry rep;
            auto id = r.String(r.Member(item, path, "id"),
                               PointerJoin(path, "id"), true);
            if (id && !seen.insert(*id).second) {
              r.Error(PointerJoin(path, "id"), "duplicate rep \"" + *id + "\"");
            }
            auto presence = r.String(r.Member(item, path, "presence"),
                                     PointerJoin(path, "presence"));
            if (presence) {
              if (auto p = ParsePresence(*presence)) {
                rep.presence = *p;
              } else {
                r.Error(PointerJoin(path, "presence"),
                        "expected \"available\", \"away\" or \"offline\", "
                        "found \"" +
                            *presence + "\"");
              }
            }
            auto open = r.Count(r.Member(item, path, "open"),
                                PointerJoin(path, "open"));
            r.Array(r.Member(item, path, "claims"), PointerJoin(path, "claims"),
                    [&](const OJson& c, const std::string& cpath) {
                      if (auto t = r.Time(&c, cpath)) rep.claims.push_back(*t);
                    });
            if (id) rep.id = std::move(*id);
            if (open) rep.open = *open;
            data.reps.push_back(std::move(rep));
          });
}

void ReadRotations(Reader& r, const OJson& doc, StateData& data) {
  static constexpr std::string_view kKeys[] = {"key", "rng", "reps"};
  static constexpr std::string_view kRepKeys[] = {"id", "last_seq", "current",
                                                  "period", "period_claims"};
  std::unordered_set<std::string> seen_keys;
  r.Array(r.Member(doc, "", "rotations"), "/rotations",
          [&](const OJson& item, const std::string& path) {
            if (!r.Object(item, path, kKeys)) return;
            StateData::RotationEntry rotation;
            auto key =
                r.String(r.Member(item, path, "key"), PointerJoin(path, "key"));
            if (key && !seen_keys.insert(*key).second) {
              r.Error(PointerJoin(path, "key"),
                      "duplicate rotation \"" + *key + "\"");
            }
            if (key) rotation.key = std::move(*key);
            const OJson* rng = r.Member(item, path, "rng");
            if (rng != nullptr && !rng->is_null()) {
              rotation.rng = r.U64(rng, PointerJoin(path, "rng"));
            }
            std::unordered_set<std::string> seen_reps;
            r.Array(r.Member(item, path, "reps"), PointerJoin(path, "reps"),
                    [&](const OJson& e, const std::string& epath) {
                      if (!r.Object(e, epath, kRepKeys)) return;
                      StateData::RotationRep rep;
                      auto id = r.String(r.Member(e, epath, "id"),
                                         PointerJoin(epath, "id"), true);
                      if (id && !seen_reps.insert(*id).second) {
                        r.Error(PointerJoin(epath, "id"),
                                "duplicate rep \"" + *id + "\"");
                      }
                      auto seq = r.U64(r.Member(e, epath, "last_seq"),
                                       PointerJoin(epath, "last_seq"));
                      auto current = r.Double(r.Member(e, epath, "current"),
                                              PointerJoin(epath, "current"));
                      // Catch-up counts: both or neither.
                      if (e.contains("period") || e.contains("period_claims")) {
                        auto period = r.I64(r.Member(e, epath, "period"),
                                            PointerJoin(epath, "period"));
                        auto claims =
                            r.U64(r.Member(e, epath, "period_claims"),
                                  PointerJoin(epath, "period_claims"));
                        if (period) rep.period = *period;
                        if (claims) {
                          rep.period_claims = static_cast<int64_t>(
                              std::min<uint64_t>(*claims, INT64_MAX));
                        }
                      }
                      if (id) rep.id = std::move(*id);
                      if (seq) rep.last_seq = *seq;
                      if (current) rep.current = *current;
                      rotation.reps.push_back(std::move(rep));
                    });
            data.rotations.push_back(std::move(rotation));
          });
}

void ReadLeads(Reader& r, const OJson& doc, StateData& data) {
  static constexpr std::string_view kKeys[] = {
      "lead_id",    "version",  "owner",      "rule",
      "decided_by", "fallback", "generation", "routed_at",
      "history",    "excluded", "lead",       "variant"};
  static constexpr std::string_view kChangeKeys[] = {"from", "reason", "at"};
  std::unordered_set<std::string> seen;
  r.Array(
      r.Member(doc, "", "leads"), "/leads",
      [&](const OJson& item, const std::string& path) {
        if (!r.Object(item, path, kKeys)) return;
        auto at = [&](std::string_view key) { return PointerJoin(path, key); };
        LeadRecord record;
        Assignment& d = record.decision;
        auto lead_id =
            r.String(r.Member(item, path, "lead_id"), at("lead_id"), true);
        if (lead_id && !seen.insert(*lead_id).second) {
          r.Error(at("lead_id"), "duplicate lead \"" + *lead_id + "\"");
        }
        auto version = r.U64(r.Member(item, path, "version"), at("version"));
        if (version && *version == 0) {
          r.Error(at("version"), "expected a version of 1 or more, found 0");
        }
        auto owner = r.OwnerOf(r.Member(item, path, "owner"), at("owner"));
        auto rule = r.String(r.Member(item, path, "rule"), at("rule"));
        auto decided_by =
            r.String(r.Member(item, path, "decided_by"), at("decided_by"));
        auto fallback =
            r.Bool(r.Member(item, path, "fallback"), at("fallback"));
        auto generation =
            r.U64(r.Member(item, path, "generation"), at("generation"));
        auto routed_at =
            r.Time(r.Member(item, path, "routed_at"), at("routed_at"));
        // Optional: files saved before experiments have no variants.
        std::optional<std::string> variant;
        if (auto v = item.find("variant"); v != item.end()) {
          variant = r.String(&*v, at("variant"), true);
        }
        r.Array(r.Member(item, path, "history"), at("history"),
                [&](const OJson& h, const std::string& hpath) {
                  if (!r.Object(h, hpath, kChangeKeys)) return;
                  OwnerChange change;
                  auto from = r.OwnerOf(r.Member(h, hpath, "from"),
                                        PointerJoin(hpath, "from"));
                  auto reason = r.String(r.Member(h, hpath, "reason"),
                                         PointerJoin(hpath, "reason"));
                  auto when = r.Time(r.Member(h, hpath, "at"),
                                     PointerJoin(hpath, "at"));
                  if (reason) {
                    if (auto parsed = ParseChangeReason(*reason)) {
                      change.reason = *parsed;
                    } else {
                      r.Error(PointerJoin(hpath, "reason"),
                              "unknown reason \"" + *reason +
                                  "\"; expected one of: declined, sla_missed, "
                                  "owner_left, manual, transferred");
                    }
                  }
                  if (from) change.from = std::move(*from);
                  if (when) change.at = *when;
                  record.history.push_back(std::move(change));
                });
        r.Array(r.Member(item, path, "excluded"), at("excluded"),
                [&](const OJson& e, const std::string& epath) {
                  if (auto id = r.String(&e, epath, true)) {
                    record.excluded.push_back(std::move(*id));
                  }
                });
        const OJson* lead = r.Member(item, path, "lead");
        if (lead != nullptr && !lead->is_null()) {
          if (!lead->is_object()) {
            r.Error(at("lead"),
                    "expected a lead object or null, " + Found(*lead));
          } else {
            Result<Lead> parsed = Lead::FromJson(lead->dump());
            if (!parsed.ok()) {
              // The lead's own errors, re-rooted at this lead.
              const auto& inner = parsed.status().errors();
              if (inner.empty()) {
                r.Error(at("lead"), std::string(parsed.status().message()));
              }
              for (const ConfigError& e : inner) {
                r.Error(at("lead") + e.path, e.message);
              }
            } else if (lead_id && parsed->id() != *lead_id) {
              r.Error(PointerJoin(at("lead"), "id"),
                      "the lead's id \"" + parsed->id() +
                          "\" is not the lead_id \"" + *lead_id + "\"");
            } else {
              record.lead = std::make_shared<const Lead>(std::move(*parsed));
            }
          }
        }
        if (lead_id) d.lead_id = std::move(*lead_id);
        if (version) record.version = *version;
        if (owner) d.owner = std::move(*owner);
        if (rule) d.rule_id = std::move(*rule);
        if (decided_by) d.decided_by = std::move(*decided_by);
        if (fallback) d.fallback = *fallback;
        if (generation) d.generation = *generation;
        if (routed_at) d.routed_at = *routed_at;
        if (variant) d.variant = std::move(*variant);
        data.leads.push_back(std::move(record));
      });
}

}  // namespace

std::string StateInstantText(Instant t) {
  std::string text = FormatInstant(t);
  // FormatInstant leaves out ".000"; the document always carries it.
  if (text.find('.') == std::string::npos && !text.empty()) {
    text.insert(text.size() - 1, ".000");
  }
  return text;
}

OrderedJson StateU64Json(uint64_t v) {
  if (v <= kMaxExactDouble) return v;
  return std::to_string(v);
}

Result<std::string> WriteStateJson(const StateData& data) {
  try {
    std::vector<const StateData::RepEntry*> reps;
    for (const auto& rep : data.reps) reps.push_back(&rep);
    std::sort(reps.begin(), reps.end(),
              [](auto* a, auto* b) { return a->id < b->id; });
    std::vector<const StateData::RotationEntry*> rotations;
    for (const auto& rotation : data.rotations) rotations.push_back(&rotation);
    std::sort(rotations.begin(), rotations.end(),
              [](auto* a, auto* b) { return a->key < b->key; });
    std::vector<const LeadRecord*> leads;
    for (const auto& lead : data.leads) leads.push_back(&lead);
    std::sort(leads.begin(), leads.end(), [](auto* a, auto* b) {
      return a->decision.lead_id < b->decision.lead_id;
    });

    OJson doc = OJson::object();
    doc["format"] = kFormat;
    doc["version"] = kStateFormatVersion;
    doc["sequence"] = StateU64Json(data.sequence);
    OJson& out_reps = doc["reps"] = OJson::array();
    for (const auto* rep : reps) {
      OJson r = OJson::object();
      r["id"] = rep->id;
      r["presence"] = PresenceName(rep->presence);
      r["open"] = rep->open;
      OJson claims = OJson::array();
      for (Instant t : rep->claims) claims.push_back(StateInstantText(t));
      r["claims"] = std::move(claims);
      out_reps.push_back(std::move(r));
    }
    OJson& out_rotations = doc["rotations"] = OJson::array();
    for (const auto* rotation : rotations) {
      OJson r = OJson::object();
      r["key"] = rotation->key;
      r["rng"] = rotation->rng ? StateU64Json(*rotation->rng) : OJson(nullptr);
      std::vector<const StateData::RotationRep*> entries;
      for (const auto& e : rotation->reps) entries.push_back(&e);
      std::sort(entries.begin(), entries.end(),
                [](auto* a, auto* b) { return a->id < b->id; });
      OJson out = OJson::array();
      for (const auto* e : entries) {
        if (!std::isfinite(e->current)) {
          return Status::Internal("rotation \"" + rotation->key + "\": rep \"" +
                                  e->id + "\" has a non-finite weight");
        }
        OJson j = OJson::object();
        j["id"] = e->id;
        j["last_seq"] = StateU64Json(e->last_seq);
        j["current"] = e->current;
        if (e->period_claims > 0) {
          j["period"] = e->period;
          j["period_claims"] = e->period_claims;
        }
        out.push_back(std::move(j));
      }
      r["reps"] = std::move(out);
      out_rotations.push_back(std::move(r));
    }
    OJson& out_leads = doc["leads"] = OJson::array();
    for (const auto* lead : leads) out_leads.push_back(RecordJson(*lead));
    if (!data.outcomes.empty()) doc["outcomes"] = OutcomesJson(data.outcomes);
    if (!data.pending.empty()) doc["pending"] = PendingToJson(data.pending);
    if (!data.sticky.empty()) doc["sticky"] = StickyJson(data.sticky);
    return doc.dump(-1, ' ', false, OJson::error_handler_t::replace);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("saving state: ") + e.what());
  }
}

Result<StateData> ReadStateJson(std::string_view json) {
  std::vector<ConfigError> errors;
  if (!CheckJsonText(json, errors, StateLimits())) {
    return Status::FromErrors(std::move(errors));
  }
  OJson doc;
  try {
    doc = OJson::parse(json.begin(), json.end());
  } catch (const OJson::exception& e) {
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    return Status::FromErrors({{"", "invalid JSON: " + what}});
  }
  if (!CheckJsonValues(doc, errors, StateLimits())) {
    return Status::FromErrors(std::move(errors));
  }
  if (!doc.is_object()) {
    return Status::FromErrors(
        {{"", "expected a leadroute state object, " + Found(doc)}});
  }
  // Format and version first, alone: nothing else is meaningful when they
  // are wrong.
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() ||
      format->get_ref<const std::string&>() != kFormat) {
    return Status::FromErrors(
        {{"/format",
          "not a leadroute state document: expected \"format\": "
          "\"leadroute-state\"" +
              (format == doc.end() ? std::string(", found nothing")
                                   : ", " + Found(*format))}});
  }
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer()) {
    return Status::FromErrors(
        {{"/version", "expected the state format version (1), " +
                          (version == doc.end() ? std::string("found nothing")
                                                : Found(*version))}});
  }
  int64_t v = version->get<int64_t>();
  if (v > kStateFormatVersion) {
    return Status::FromErrors(
        {{"/version", "state format version " + std::to_string(v) +
                          " is newer than this leadroute reads (" +
                          std::to_string(kStateFormatVersion) + ")"}});
  }
  if (v != kStateFormatVersion) {
    return Status::FromErrors(
        {{"/version", "unknown state format version " + std::to_string(v) +
                          "; this leadroute reads 1"}});
  }

  try {
    Reader r;
    static constexpr std::string_view kKeys[] = {
        "format", "version",  "sequence", "reps",  "rotations",
        "leads",  "outcomes", "pending",  "sticky"};
    r.Object(doc, "", kKeys);
    StateData data;
    if (auto seq = r.U64(r.Member(doc, "", "sequence"), "/sequence")) {
      data.sequence = *seq;
    }
    ReadReps(r, doc, data);
    ReadRotations(r, doc, data);
    ReadLeads(r, doc, data);
    if (auto outcomes = doc.find("outcomes"); outcomes != doc.end()) {
      ReadOutcomesJson(*outcomes, "/outcomes", data.outcomes, r.errors());
    }
    if (auto pending = doc.find("pending"); pending != doc.end()) {
      std::unordered_set<std::string> decided;
      for (const LeadRecord& record : data.leads) {
        decided.insert(record.decision.lead_id);
      }
      data.pending = ReadPendingJson(*pending, "/pending", decided, r.errors());
    }
    if (auto sticky = doc.find("sticky"); sticky != doc.end()) {
      ReadStickyJson(*sticky, "/sticky", data.sticky, r.errors());
    }
    if (!r.errors().empty()) return Status::FromErrors(std::move(r.errors()));
    return data;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("loading state: ") + e.what());
  }
}

}  // namespace leadroute::internal
