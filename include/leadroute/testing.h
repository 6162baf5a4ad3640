// Small builders for a host's own unit tests of its routing configuration:
//
//   auto rules = leadroute::testing::RuleSetBuilder()
//       .Rep(testing::MakeRep("ana", {"emea"}).Territories({"DE"}))
//       .Rule({.id = "emea", .pool = Pool::Team("emea"),
//              .steps = {steps::Territory(), steps::RoundRobin()}})
//       .FallbackQueue("inbox")
//       .Build();
//
// Header-only conveniences over the public API; not thread-safe.
#ifndef LEADROUTE_TESTING_H_
#define LEADROUTE_TESTING_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/rep.h"
#include "leadroute/router.h"
#include "leadroute/rule.h"
#include "leadroute/rule_set.h"
#include "leadroute/steps.h"
#include "leadroute/version.h"

LEADROUTE_NAMESPACE_BEGIN
namespace testing {

// A Rep under construction; converts to Rep.
class RepBuilder {
 public:
  explicit RepBuilder(std::string id) { rep_.id = std::move(id); }
  RepBuilder& Name(std::string v) {
    rep_.name = std::move(v);
    return *this;
  }
  RepBuilder& Email(std::string v) {
    rep_.email = std::move(v);
    return *this;
  }
  RepBuilder& Teams(std::vector<std::string> v) {
    rep_.teams = std::move(v);
    return *this;
  }
  RepBuilder& Tier(std::string v) {
    rep_.tier = std::move(v);
    return *this;
  }
  RepBuilder& Weight(double v) {
    rep_.weight = v;
    return *this;
  }
  RepBuilder& Territories(std::vector<std::string> v) {
    rep_.territories = std::move(v);
    return *this;
  }
  RepBuilder& Industries(std::vector<std::string> v) {
    rep_.industries = std::move(v);
    return *this;
  }
  RepBuilder& Products(std::vector<std::string> v) {
    rep_.products = std::move(v);
    return *this;
  }
  RepBuilder& Languages(std::vector<std::string> v) {
    rep_.languages = std::move(v);
    return *this;
  }
  RepBuilder& Attribute(std::string name, Value v) {
    rep_.attributes[std::move(name)] = std::move(v);
    return *this;
  }
  RepBuilder& MaxOpen(int v) {
    rep_.capacity.max_open = v;
    return *this;
  }
  RepBuilder& MaxPerDay(int v) {
    rep_.capacity.max_per_day = v;
    return *this;
  }
  RepBuilder& MaxPerWeek(int v) {
    rep_.capacity.max_per_week = v;
    return *this;
  }
  RepBuilder& MaxPerMonth(int v) {
    rep_.capacity.max_per_month = v;
    return *this;
  }
  RepBuilder& MaxInWindow(int count, int hours) {
    rep_.capacity.max_in_window = RollingCap{count, hours};
    return *this;
  }
  RepBuilder& TimeZone(std::string v) {
    rep_.time_zone = std::move(v);
    return *this;
  }
  RepBuilder& Schedule(leadroute::Schedule v) {
    rep_.schedule = std::move(v);
    return *this;
  }
  RepBuilder& Inactive() {
    rep_.active = false;
    return *this;
  }
  operator Rep() const { return rep_; }  // NOLINT: builder converts
  Rep Build() const { return rep_; }

 private:
  Rep rep_;
};

inline RepBuilder MakeRep(std::string id, std::vector<std::string> teams = {}) {
  RepBuilder b(std::move(id));
  b.Teams(std::move(teams));
  return b;
}

// A Clock the test sets and advances; thread-safe.
//
//   auto clock = std::make_shared<testing::FakeClock>(
//       *ParseInstant("2024-03-10T12:00:00Z"));
//   RouterOptions options; options.clock = clock;
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant now = Instant{}) : ms_(Count(now)) {}
  std::string_view Name() const noexcept override { return "fake"; }
  Instant Now() const noexcept override {
    return Instant(std::chrono::milliseconds(ms_.load()));
  }
  void Set(Instant now) noexcept { ms_.store(Count(now)); }
  void Advance(std::chrono::milliseconds by) noexcept { ms_ += by.count(); }

 private:
  static int64_t Count(Instant t) noexcept {
    return static_cast<int64_t>(t.time_since_epoch().count());
  }
  std::atomic<int64_t> ms_;
};

// `MakeLead("L1", {{"country", "DE"}, {"score", 80}})`.
inline Lead MakeLead(
    std::string id,
    std::initializer_list<std::pair<std::string, Value>> fields = {}) {
  Lead lead(std::move(id));
  for (const auto& [name, value] : fields) lead.Set(name, value);
  return lead;
}

// A RuleSetConfig under construction.
class RuleSetBuilder {
 public:
  RuleSetBuilder& Team(std::string id) {
    config_.teams.push_back({id, id});
    return *this;
  }
  RuleSetBuilder& Rep(leadroute::Rep rep) {
    config_.reps.push_back(std::move(rep));
    return *this;
  }
  RuleSetBuilder& Rule(leadroute::Rule rule) {
    config_.rules.push_back(std::move(rule));
    return *this;
  }
  RuleSetBuilder& FallbackQueue(std::string id) {
    config_.fallback = Owner::Queue(std::move(id));
    return *this;
  }
  RuleSetBuilder& FallbackRep(std::string id) {
    config_.fallback = Owner::Rep(std::move(id));
    return *this;
  }
  RuleSetBuilder& TimeZone(std::string zone) {
    config_.settings.time_zone = std::move(zone);
    return *this;
  }
  RuleSetBuilder& Seed(uint64_t seed) {
    config_.settings.seed = seed;
    return *this;
  }
  // Declares every team named by a rep that is not declared yet.
  RuleSetBuilder& AutoTeams() {
    for (const auto& rep : config_.reps) {
      for (const auto& t : rep.teams) {
        bool known = false;
        for (const auto& team : config_.teams) known = known || team.id == t;
        if (!known) config_.teams.push_back({t, t});
      }
    }
    return *this;
  }
  const RuleSetConfig& config() const { return config_; }
  Result<RuleSet> Build(const LoadOptions& options = {}) const {
    return RuleSet::Compile(config_, options);
  }

 private:
  RuleSetConfig config_;
};

// Routes `leads` in order and returns each owner id ("" for a routing
// error, which a valid lead never gets).
inline std::vector<std::string> RouteAll(Router& router,
                                         const std::vector<Lead>& leads) {
  std::vector<std::string> owners;
  owners.reserve(leads.size());
  for (const auto& lead : leads) {
    auto a = router.Route(lead);
    owners.push_back(a.ok() ? a->owner.id : std::string());
  }
  return owners;
}

}  // namespace testing
LEADROUTE_NAMESPACE_END

#endif  // LEADROUTE_TESTING_H_
