// Reading an `experiment` step and assigning leads to buckets. The config
// shape and the reasons behind it are in docs/cookbook/experiments.md.
#include "compile/experiment.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <utility>

#include "config/json_util.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

constexpr std::string_view kKeys[] = {"id", "salt", "variants"};
constexpr std::string_view kVariantKeys[] = {"name", "share", "steps"};

// Reads one experiment step's parameter object; every error goes to
// `errors_` with its path.
class ExperimentReader {
 public:
  ExperimentReader(std::string path, std::vector<ConfigError>& errors)
      : path_(std::move(path)), errors_(errors) {}

  std::optional<ExperimentSpec> Read(const std::string& params) {
    const size_t before = errors_.size();
    std::vector<ConfigError> parse_errors;
    std::optional<Json> doc =
        ParseJson(params.empty() ? "{}" : params, parse_errors);
    if (!doc) {
      for (ConfigError& e : parse_errors) {
        Error(path_ + e.path, std::move(e.message));
      }
      return std::nullopt;
    }
    if (!doc->is_object()) {
      Error(path_, Found(*doc) +
                       ", expected the experiment as an object "
                       "with \"id\" and \"variants\"");
      return std::nullopt;
    }
    CheckKeys(*doc, path_, kKeys, errors_);
    ExperimentSpec spec;
    spec.id = Label(*doc, path_, "id", "the experiment's id, e.g. \"rr-vs-ll\"",
                    /*required=*/true);
    spec.salt = Label(*doc, path_, "salt", "a non-empty salt string",
                      /*required=*/false);
    if (spec.salt.empty()) spec.salt = spec.id;
    ReadVariants(*doc, spec);
    if (errors_.size() != before) return std::nullopt;
    return spec;
  }

 private:
  void Error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  // A non-empty string without "/" (the recorded variant is
  // "<experiment id>/<variant name>", which must split back unambiguously).
  // "" when absent or bad.
  std::string Label(const Json& object, const std::string& base,
                    std::string_view key, std::string_view expected,
                    bool required) {
    const std::string at = PointerJoin(base, key);
    auto found = object.find(std::string(key));
    if (found == object.end()) {
      if (required) {
        Error(at, fmt::format("missing required key \"{}\"; expected {}", key,
                              expected));
      }
      return {};
    }
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
      Error(at, fmt::format("{}, expected {}", Found(*found), expected));
      return {};
    }
    const std::string& text = found->get_ref<const std::string&>();
    if (text.find('/') != std::string::npos) {
      Error(at, fmt::format("{}, expected {} without \"/\" (the recorded "
                            "variant is \"<experiment id>/<variant name>\")",
                            Found(*found), expected));
      return {};
    }
    return text;
  }

  void ReadVariants(const Json& doc, ExperimentSpec& spec) {
    const std::string at = PointerJoin(path_, "variants");
    auto found = doc.find("variants");
    if (found == doc.end()) {
      Error(at,
            "missing required key \"variants\"; expected an array such as "
            "[{\"name\": \"control\", \"share\": 50, \"steps\": [...]}, ...]");
      return;
    }
    if (!found->is_array() || found->empty()) {
      Error(at, Found(*found) + ", expected a non-empty array of variants");
      return;
    }
    std::map<std::string, std::string, std::less<>> names;  // name -> path
    uint32_t total = 0;
    bool shares_ok = true;
    for (size_t v = 0; v < found->size(); ++v) {
      const Json& item = (*found)[v];
      ExperimentVariantSpec variant;
      variant.path = PointerJoin(at, v);
      if (!item.is_object()) {
        Error(variant.path,
              Found(item) +
                  ", expected a variant such as {\"name\": "
                  "\"control\", \"share\": 50, \"steps\": [...]}");
        shares_ok = false;
        continue;
      }
      CheckKeys(item, variant.path, kVariantKeys, errors_);
      variant.name = Label(item, variant.path, "name",
                           "the variant's name, e.g. \"control\"",
                           /*required=*/true);
      if (!variant.name.empty()) {
        auto [it, inserted] = names.emplace(variant.name, variant.path);
        if (!inserted) {
          Error(PointerJoin(variant.path, "name"),
                fmt::format("duplicate variant name \"{}\" (also at {}); "
                            "expected names unique within the experiment",
                            variant.name, PointerJoin(it->second, "name")));
        }
      }
      if (std::optional<uint32_t> share = Share(item, variant.path)) {
        variant.share = *share;
        total += *share;
      } else {
        shares_ok = false;
      }
      ReadSteps(item, variant);
      spec.variants.push_back(std::move(variant));
    }
    if (shares_ok && total != kExperimentBuckets) {
      Error(at, fmt::format("the shares sum to {}, expected exactly 100",
                            total / 100.0));
    }
  }

  // The share in basis points: a percentage from 0 to 100 with at most two
  // decimals, so that the split is exact and the sum can be checked exactly.
  std::optional<uint32_t> Share(const Json& item, const std::string& base) {
    const std::string at = PointerJoin(base, "share");
    auto found = item.find("share");
    if (found == item.end()) {
      Error(at,
            "missing required key \"share\"; expected a percentage from 0 "
            "to 100, e.g. 50");
      return std::nullopt;
    }
    const double share = found->is_number() ? found->get<double>() : NAN;
    if (!std::isfinite(share) || share < 0 || share > 100) {
      Error(at, Found(*found) + ", expected a percentage from 0 to 100");
      return std::nullopt;
    }
    const double scaled = share * 100;
    const double rounded = std::round(scaled);
    if (std::fabs(scaled - rounded) > 1e-6) {
      Error(at, Found(*found) +
                    ", expected a percentage with at most 2 "
                    "decimals (0.01 is the finest share)");
      return std::nullopt;
    }
    return static_cast<uint32_t>(rounded);
  }

  void ReadSteps(const Json& item, ExperimentVariantSpec& variant) {
    const std::string at = PointerJoin(variant.path, "steps");
    auto found = item.find("steps");
    if (found == item.end()) return;  // no steps of its own
    if (!found->is_array()) {
      Error(at, Found(*found) + ", expected an array of steps (may be empty)");
      return;
    }
    for (size_t k = 0; k < found->size(); ++k) {
      const Json& value = (*found)[k];
      const std::string step_path = PointerJoin(at, k);
      if (!value.is_object()) {
        Error(step_path, Found(value) +
                             ", expected a step such as "
                             "{\"strategy\": \"round_robin\"}");
        continue;
      }
      auto strategy = value.find("strategy");
      const std::string strategy_path = PointerJoin(step_path, "strategy");
      if (strategy == value.end()) {
        Error(strategy_path,
              "missing required key \"strategy\"; expected a strategy name "
              "such as \"round_robin\"");
        continue;
      }
      if (!strategy->is_string()) {
        Error(strategy_path, Found(*strategy) +
                                 ", expected a strategy name "
                                 "such as \"round_robin\"");
        continue;
      }
      if (strategy->get_ref<const std::string&>() == kExperimentStrategy) {
        Error(strategy_path,
              "an experiment cannot be nested in a variant; expected a "
              "strategy step (split the variant's leads in a rule of their "
              "own instead)");
        continue;
      }
      Step step;
      step.strategy = strategy->get<std::string>();
      Json params = value;
      params.erase("strategy");
      step.params = params.dump(-1, ' ', false, Json::error_handler_t::replace);
      variant.steps.push_back(std::move(step));
    }
  }

  std::string path_;
  std::vector<ConfigError>& errors_;
};

}  // namespace

std::optional<ExperimentSpec> ParseExperiment(
    const Step& step, const std::string& path,
    std::vector<ConfigError>& errors) {
  return ExperimentReader(path, errors).Read(step.params);
}

uint64_t ExperimentSeed(std::string_view salt) noexcept {
  return Fnv1a64(std::string_view("\0", 1), Fnv1a64(salt));
}

uint32_t ExperimentBucket(uint64_t seed, std::string_view lead_id) noexcept {
  return static_cast<uint32_t>(Mix64(Fnv1a64(lead_id, seed)) %
                               kExperimentBuckets);
}

}  // namespace leadroute::internal
