#include "leadroute/steps.h"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

LEADROUTE_NAMESPACE_BEGIN
namespace steps {
namespace {

using Json = nlohmann::json;

// Keys equal to their defaults are left out, so a builder's params equal
// those of the same step written by hand in the JSON format.
Step MakeStep(std::string strategy, const Json& params) {
  return {std::move(strategy), params.dump()};
}

// Whole numbers as integers, as a person would write them in JSON.
Json Number(double v) {
  if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 9.0e15) {
    return static_cast<int64_t>(v);
  }
  return v;
}

void PutIfMissing(Json& params, IfMissing if_missing) {
  if (if_missing == IfMissing::kKeep) params["if_missing"] = "keep";
}

Step FilterStep(std::string strategy, IfMissing if_missing) {
  Json params = Json::object();
  PutIfMissing(params, if_missing);
  return MakeStep(std::move(strategy), params);
}

Json BandsJson(const std::vector<Band>& bands) {
  Json out = Json::array();
  for (const Band& band : bands) {
    Json b = Json::object();
    if (band.min) b["min"] = Number(*band.min);
    if (band.max) b["max"] = Number(*band.max);
    b["tiers"] = band.tiers;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

Step RoundRobin(RoundRobinOptions options) {
  Json params = Json::object();
  if (options.weighted) params["weighted"] = true;
  return MakeStep("round_robin", params);
}

Step LeastLoaded(bool relative) {
  Json params = Json::object();
  if (relative) params["relative"] = true;
  return MakeStep("least_loaded", params);
}

Step Random(std::optional<uint64_t> seed) {
  Json params = Json::object();
  if (seed) params["seed"] = *seed;
  return MakeStep("random", params);
}

Step Territory(IfMissing if_missing) {
  return FilterStep("territory", if_missing);
}
Step Industry(IfMissing if_missing) {
  return FilterStep("industry", if_missing);
}
Step Product(IfMissing if_missing) { return FilterStep("product", if_missing); }
Step Language(IfMissing if_missing) {
  return FilterStep("language", if_missing);
}

Step Match(const MatchOptions& options) {
  Json params = Json::object();
  if (!options.field.empty()) params["field"] = options.field;
  if (!options.attribute.empty()) params["attribute"] = options.attribute;
  if (options.op != "overlap") params["op"] = options.op;
  PutIfMissing(params, options.if_missing);
  return MakeStep("match", params);
}

Step MatchConstant(const std::string& attribute, const std::string& op,
                   double value) {
  Json params = Json::object();
  params["attribute"] = attribute;
  if (op != "overlap") params["op"] = op;
  params["value"] = Number(value);
  return MakeStep("match", params);
}

Step Bands(const std::string& field, const std::vector<Band>& bands,
           IfMissing if_missing) {
  Json params = Json::object();
  params["field"] = field;
  params["bands"] = BandsJson(bands);
  PutIfMissing(params, if_missing);
  return MakeStep("bands", params);
}

Step Score(const std::vector<Band>& bands) {
  return MakeStep("score", Json{{"bands", BandsJson(bands)}});
}

Step DealValue(const std::vector<Band>& bands) {
  return MakeStep("deal_value", Json{{"bands", BandsJson(bands)}});
}

Step Availability(const AvailabilityOptions& options) {
  Json params = Json::object();
  if (options.presence != std::vector<Presence>{Presence::kAvailable}) {
    Json presence = Json::array();
    for (Presence p : options.presence) {
      presence.push_back(std::string(PresenceName(p)));
    }
    params["presence"] = std::move(presence);
  }
  if (!options.capacity) params["capacity"] = false;
  if (!options.schedule) params["schedule"] = false;
  if (options.when_nobody != "next_rule") {
    params["when_nobody"] = options.when_nobody;
  }
  return MakeStep("availability", params);
}

Step Hierarchy(const std::string& walk) {
  Json params = Json::object();
  if (walk != "nearest") params["walk"] = walk;
  return MakeStep("hierarchy", params);
}

Step FieldOwner(const std::string& field) {
  return MakeStep("field_owner", Json{{"field", field}});
}

}  // namespace steps
LEADROUTE_NAMESPACE_END
