// The `sticky` resolver (docs/cookbook/sticky.md): repeat customers reach
// the rep who already owns them, unless that rep cannot take the lead; the
// key index lives in the state store and in saved state.
#include "strategies/sticky.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"
#include "state/key_index.h"
#include "testing/builders.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeLead;
using testing::Paths;

const Instant kNow = *ParseInstant("2026-03-02T09:00:00Z");
constexpr auto kDay = std::chrono::hours(24);

// ana, ben, cy in round robin after a sticky step whose parameters are
// `sticky` (a JSON object body, e.g. `"window": "30d"`); `ana` is extra JSON
// for ana (e.g. a capacity).
std::string Rules(std::string_view sticky = "", std::string_view ana = "") {
  std::string step = R"({"strategy": "sticky")";
  if (!sticky.empty()) step += ", " + std::string(sticky);
  step += "}";
  std::string ana_json = R"({"id": "ana")";
  if (!ana.empty()) ana_json += ", " + std::string(ana);
  ana_json += "}";
  return R"({"reps": [)" + ana_json + R"(, {"id": "ben"}, {"id": "cy"}],
    "rules": [{"id": "all", "steps": [)" +
         step + R"(, {"strategy": "round_robin"}]}],
    "fallback": {"queue": "triage"}})";
}

RuleSet Load(const std::string& json) {
  Result<RuleSet> rules = RuleSet::FromJson(json);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return std::move(rules).value();
}

struct Fixture {
  explicit Fixture(const std::string& json = Rules())
      : clock(std::make_shared<testing::FakeClock>(kNow)),
        router(Make(json, clock)) {}

  static Router Make(const std::string& json,
                     std::shared_ptr<testing::FakeClock> clock) {
    RouterOptions options;
    options.clock = std::move(clock);
    return Router::Create(Load(json), options).value();
  }

  Assignment Route(const Lead& lead) { return router.Route(lead).value(); }
  std::string Owner(const Lead& lead) { return Route(lead).owner.id; }

  std::shared_ptr<testing::FakeClock> clock;  // before `router`, which uses it
  Router router;
};

Lead Email(std::string id, std::string email) {
  return MakeLead(std::move(id), {{"email", std::move(email)}});
}

TEST(Sticky, SecondLeadFromTheSameDomainGoesToTheFirstOwner) {
  Fixture f;
  Assignment first = f.Route(Email("L1", "bob@acme.com"));
  EXPECT_EQ(first.owner.id, "ana");
  EXPECT_EQ(first.decided_by, "round_robin");
  // Round robin would pick ben now; the domain's owner is ana.
  Assignment second = f.Route(Email("L2", "Carol@ACME.com"));
  EXPECT_EQ(second.owner.id, "ana");
  EXPECT_EQ(second.decided_by, "sticky");
  // Another company goes on in turn.
  EXPECT_EQ(f.Owner(Email("L3", "dan@globex.com")), "ben");
  // The `domain` field counts like the email's domain.
  EXPECT_EQ(f.Owner(MakeLead("L4", {{"domain", "www.Globex.com"}})), "ben");
}

TEST(Sticky, InactiveOwnerLetsTheRuleGoOn) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  ASSERT_TRUE(f.router.Update(Load(Rules("", R"("active": false)"))).ok());
  Assignment second = f.Route(Email("L2", "carol@acme.com"));
  EXPECT_EQ(second.owner.id, "ben");
  EXPECT_EQ(second.decided_by, "round_robin");
}

TEST(Sticky, OwnerAtCapacityLetsTheRuleGoOn) {
  Fixture f(Rules("", R"("capacity": {"max_open": 1})"));
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  Trace trace = f.router.Explain(Email("L2", "carol@acme.com")).value();
  Assignment second = f.Route(Email("L2", "carol@acme.com"));
  EXPECT_EQ(second.owner.id, "ben");
  EXPECT_EQ(second.decided_by, "round_robin");
  // Explain names ana and says why she did not get it.
  ASSERT_FALSE(trace.rules.empty());
  const std::vector<TraceStep>& steps = trace.rules[0].steps;
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[1].strategy, "sticky");
  EXPECT_EQ(steps[1].resolved, "ana");
  EXPECT_EQ(steps[1].note, "at_capacity");
  // The latest decision wins: acme.com now belongs to ben.
  ASSERT_TRUE(f.router.Release("L1").ok());
  EXPECT_EQ(f.Owner(Email("L3", "dan@acme.com")), "ben");
}

TEST(Sticky, OutsideTheWindowIsNotSticky) {
  Fixture f(Rules(R"("window": "30d")"));
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  f.clock->Advance(29 * kDay);
  EXPECT_EQ(f.Owner(Email("L2", "carol@acme.com")), "ana");
  // L2 renewed the key at day 29: 30 days after it is still within.
  f.clock->Advance(30 * kDay);
  EXPECT_EQ(f.Owner(Email("L3", "dan@acme.com")), "ana");
  f.clock->Advance(30 * kDay + std::chrono::seconds(1));
  Assignment late = f.Route(Email("L4", "eve@acme.com"));
  EXPECT_EQ(late.owner.id, "ben");
  EXPECT_EQ(late.decided_by, "round_robin");
}

TEST(Sticky, FreeMailDomainsAreNotKeys) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "bob@gmail.com")), "ana");
  EXPECT_EQ(f.Owner(Email("L2", "carol@GMail.com")), "ben");
  // The same address is still the same person.
  EXPECT_EQ(f.Owner(Email("L3", " Bob@gmail.com ")), "ana");
  // Nor are the host's own ignored domains, or their sub-domains.
  Fixture g(Rules(R"("ignore_domains": ["Partner.io"])"));
  EXPECT_EQ(g.Owner(Email("L1", "bob@eu.partner.io")), "ana");
  EXPECT_EQ(g.Owner(Email("L2", "carol@eu.partner.io")), "ben");
  // ignore_free_mail: false makes gmail.com a key like any other.
  Fixture h(Rules(R"("ignore_free_mail": false)"));
  EXPECT_EQ(h.Owner(Email("L1", "bob@gmail.com")), "ana");
  EXPECT_EQ(h.Owner(Email("L2", "carol@gmail.com")), "ana");
}

TEST(Sticky, KeysAreTriedInOrder) {
  auto run = [](std::string_view keys) {
    Fixture f(Rules(std::string(R"("keys": )") + std::string(keys)));
    EXPECT_EQ(f.Owner(MakeLead(
                  "L1", {{"account_id", "A-1"}, {"email", "bob@acme.com"}})),
              "ana");
    EXPECT_EQ(f.Owner(Email("L2", "carol@globex.com")), "ben");
    // The account says ana, the domain says ben.
    return f.Owner(
        MakeLead("L3", {{"account_id", "a-1 "}, {"email", "dan@globex.com"}}));
  };
  EXPECT_EQ(run(R"(["account", "domain"])"), "ana");
  EXPECT_EQ(run(R"(["domain", "account"])"), "ben");
}

TEST(Sticky, FieldKeysReadAnyLeadField) {
  Fixture f(Rules(R"("keys": ["field:crm_id"])"));
  EXPECT_EQ(f.Owner(MakeLead("L1", {{"crm_id", 42}})), "ana");
  EXPECT_EQ(f.Owner(MakeLead("L2", {{"crm_id", "42"}})), "ana");
  // Only the configured keys count: the same domain is not sticky here.
  EXPECT_EQ(f.Owner(Email("L3", "bob@acme.com")), "ben");
  EXPECT_EQ(f.Owner(Email("L4", "carol@acme.com")), "cy");
}

TEST(Sticky, TransferMovesStickinessToTheNewOwner) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  ASSERT_TRUE(f.router.Transfer("L1", "cy").ok());
  EXPECT_EQ(f.Owner(Email("L2", "carol@acme.com")), "cy");
}

TEST(Sticky, ReassignMovesStickinessToTheNewOwner) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  Assignment moved = f.router.Reassign("L1", ChangeReason::kDeclined).value();
  EXPECT_EQ(moved.owner.id, "ben");
  EXPECT_EQ(f.Owner(Email("L2", "carol@acme.com")), "ben");
}

TEST(Sticky, ExplainShowsTheMatchedKey) {
  Fixture f;
  EXPECT_EQ(f.Owner(MakeLead(
                "L1", {{"account_id", "A-1"}, {"email", "bob@acme.com"}})),
            "ana");
  Trace trace = f.router.Explain(Email("L2", "carol@acme.com")).value();
  ASSERT_FALSE(trace.rules.empty());
  const std::vector<TraceStep>& steps = trace.rules[0].steps;
  ASSERT_GE(steps.size(), 2u);  // the pool, then the sticky step
  EXPECT_EQ(steps[1].strategy, "sticky");
  EXPECT_EQ(steps[1].outcome, "claimed");
  EXPECT_EQ(steps[1].resolved, "ana");
  EXPECT_EQ(steps[1].note, "domain=acme.com");
  EXPECT_EQ(trace.owner.id, "ana");
  // Nobody remembered: the step passes without a note.
  Trace other = f.router.Explain(Email("L3", "dan@globex.com")).value();
  EXPECT_EQ(other.rules[0].steps[1].outcome, "passed");
  EXPECT_EQ(other.rules[0].steps[1].note, "");
}

TEST(Sticky, NothingIsRememberedWithoutAStickyStep) {
  Fixture f(R"({"reps": [{"id": "ana"}, {"id": "ben"}],
    "rules": [{"id": "all", "steps": [{"strategy": "round_robin"}]}],
    "fallback": {"queue": "triage"}})");
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  RuleSet rules = f.router.rules();
  EXPECT_FALSE(f.router.state()
                   .LookupKey(rules.roster(), "domain", "acme.com")
                   .has_value());
  EXPECT_THAT(f.router.state().SaveSnapshot().value(),
              ::testing::Not(HasSubstr("\"sticky\"")));
}

class StickyState : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("sticky_state_" + std::to_string(::getpid())))
                          .string();
};

TEST_F(StickyState, IndexSurvivesSaveAndLoad) {
  Fixture f;
  EXPECT_EQ(f.Owner(MakeLead(
                "L1", {{"account_id", "A-1"}, {"email", "Bob@Acme.com"}})),
            "ana");
  ASSERT_TRUE(f.router.SaveState(path_).ok());
  std::string text = f.router.state().SaveSnapshot().value();
  EXPECT_THAT(text, HasSubstr(R"("sticky":[{"key":"account","value":"a-1",)"
                              R"("rep":"ana","at":"2026-03-02T09:00:00.000Z"},)"
                              R"({"key":"domain","value":"acme.com",)"));

  Fixture g;
  ASSERT_TRUE(g.router.LoadState(path_).ok());
  // Round robin alone would start with ana too: route ben a lead first.
  EXPECT_EQ(g.Owner(Email("L2", "carol@acme.com")), "ana");
  EXPECT_EQ(g.Owner(Email("L3", "bob@acme.com")), "ana");
  EXPECT_THAT(g.router.state().SaveSnapshot().value(),
              HasSubstr(R"("value":"acme.com","rep":"ana")"));
}

TEST_F(StickyState, LoadedIndexDecidesOverRoundRobin) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "x@globex.com")), "ana");
  EXPECT_EQ(f.Owner(Email("L2", "bob@acme.com")), "ben");
  ASSERT_TRUE(f.router.SaveState(path_).ok());
  Fixture g;
  ASSERT_TRUE(g.router.LoadState(path_).ok());
  // The rotation says cy; the domain says ben.
  EXPECT_EQ(g.Owner(Email("L3", "carol@acme.com")), "ben");
}

TEST(StickySavedState, BadEntriesAreRejectedWithTheirPathAndNothingLoads) {
  Fixture f;
  EXPECT_EQ(f.Owner(Email("L1", "bob@acme.com")), "ana");
  const std::string good = f.router.state().SaveSnapshot().value();
  auto with_sticky = [&](std::string_view entries) {
    std::string doc = good;
    size_t at = doc.find(R"(,"sticky":)");
    EXPECT_NE(at, std::string::npos);
    return doc.substr(0, at) + R"(,"sticky":)" + std::string(entries) + "}";
  };
  Fixture g;
  EXPECT_EQ(g.Owner(Email("L9", "zed@initech.com")), "ana");
  const std::string before = g.router.state().SaveSnapshot().value();

  Status bad = g.router.state().LoadSnapshot(with_sticky(
      R"([{"key": "domain", "value": "acme.com", "rep": "ben", "at": "yesterday"},
          {"key": "phone", "value": "123", "rep": "ben", "at": "2026-03-01T00:00:00Z"},
          {"key": "email", "value": "Bob@acme.com", "rep": "", "at": "2026-03-01T00:00:00Z", "note": 1},
          {"key": "domain", "value": "x.com", "rep": "ben", "at": "2026-03-01T00:00:00Z"},
          {"key": "domain", "value": "x.com", "rep": "cy", "at": "2026-03-01T00:00:00Z"}])"));
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Paths(bad), ElementsAre("/sticky/0/at", "/sticky/1/key",
                                      "/sticky/2/note", "/sticky/2/value",
                                      "/sticky/2/rep", "/sticky/4/value"));
  EXPECT_THAT(g.router.state()
                  .LoadSnapshot(with_sticky(R"({"key": "x"})"))
                  .errors()
                  .front()
                  .path,
              "/sticky");
  // Nothing was half-loaded: g's own state and index are as they were.
  EXPECT_EQ(g.router.state().SaveSnapshot().value(), before);
  EXPECT_EQ(g.Owner(Email("L10", "amy@initech.com")), "ana");
  // A document written before the index existed loads, with no keys.
  std::string old = good.substr(0, good.find(R"(,"sticky":)")) + "}";
  ASSERT_TRUE(g.router.state().LoadSnapshot(old).ok());
  EXPECT_EQ(g.Owner(Email("L11", "amy@initech.com")), "ben");
}

TEST(StickyConfig, ErrorsNameTheirPaths) {
  auto errors = [](std::string_view params) {
    Result<RuleSet> rules = RuleSet::FromJson(Rules(params));
    EXPECT_FALSE(rules.ok());
    return Paths(rules.status());
  };
  EXPECT_THAT(errors(R"("keys": ["account", "domian", "field:", 3])"),
              ElementsAre("/rules/0/steps/0/keys/3"));
  EXPECT_THAT(
      errors(R"("keys": ["account", "domian", "field:"])"),
      ElementsAre("/rules/0/steps/0/keys/1", "/rules/0/steps/0/keys/2"));
  EXPECT_THAT(errors(R"("keys": ["email", "email"])"),
              ElementsAre("/rules/0/steps/0/keys/1"));
  EXPECT_THAT(errors(R"("keys": [])"), ElementsAre("/rules/0/steps/0/keys"));
  EXPECT_THAT(errors(R"("window": "90 days")"),
              ElementsAre("/rules/0/steps/0/window"));
  EXPECT_THAT(errors(R"("window": 90)"),
              ElementsAre("/rules/0/steps/0/window"));
  EXPECT_THAT(errors(R"("ignore_domains": ["", "a@b.com"])"),
              ElementsAre("/rules/0/steps/0/ignore_domains/0",
                          "/rules/0/steps/0/ignore_domains/1"));
  EXPECT_THAT(errors(R"("windw": "1d")"),
              ElementsAre("/rules/0/steps/0/windw"));
  Result<RuleSet> rules = RuleSet::FromJson(Rules(R"("keys": ["domian"])"));
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(std::string(rules.status().errors()[0].message),
              HasSubstr("unknown key \"domian\""));
}

TEST(StickyValue, NormalisesEachKind) {
  using internal::StickyKeyKind;
  using internal::StickyValue;
  internal::StickyBuffer buffer;
  Value email(" Bob@ACME.com ");
  Value domain("www.Globex.COM.");
  Value number(42);
  Value no_at("bob");
  EXPECT_EQ(StickyValue(StickyKeyKind::kEmail, &email, nullptr, buffer),
            "bob@acme.com");
  EXPECT_EQ(StickyValue(StickyKeyKind::kEmail, &no_at, nullptr, buffer), "");
  EXPECT_EQ(StickyValue(StickyKeyKind::kDomain, &domain, &email, buffer),
            "globex.com");
  EXPECT_EQ(StickyValue(StickyKeyKind::kDomain, nullptr, &email, buffer),
            "acme.com");
  EXPECT_EQ(StickyValue(StickyKeyKind::kDomain, nullptr, nullptr, buffer), "");
  EXPECT_EQ(StickyValue(StickyKeyKind::kAccount, &number, nullptr, buffer),
            "42");
  Value huge(std::string(300, 'a'));
  EXPECT_EQ(StickyValue(StickyKeyKind::kField, &huge, nullptr, buffer), "");
  EXPECT_TRUE(internal::IsFreeMailDomain("gmail.com"));
  EXPECT_FALSE(internal::IsFreeMailDomain("acme.com"));
}

TEST(KeyIndex, PrunesEntriesOlderThanTheRetention) {
  internal::KeyIndex index;
  const std::chrono::seconds retention = 1 * kDay;
  std::vector<std::string> values;
  for (int i = 0; i < 1100; ++i) values.push_back(std::to_string(i));
  auto remember = [&](int from, int to, Instant at) {
    for (int i = from; i < to; ++i) {
      StickyKey key{"account", values[static_cast<size_t>(i)]};
      index.Remember({&key, 1}, "ana", at, retention);
    }
  };
  remember(0, 1000, kNow);
  EXPECT_EQ(index.size(), 1000u);
  // Two days later the index reaches its sweep size: the old entries go.
  remember(1000, 1100, kNow + 2 * kDay);
  EXPECT_EQ(index.size(), 100u);
  std::vector<internal::StickyRecord> records = index.Records();
  for (const auto& r : records) EXPECT_EQ(r.at, kNow + 2 * kDay) << r.value;
}

}  // namespace
}  // namespace leadroute
