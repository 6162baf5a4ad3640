#include "leadroute/account_directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testing/builders.h"

namespace leadroute {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeAccount;
using testing::Paths;
using ::testing::UnorderedElementsAre;

std::string MessageAt(const Status& status, const std::string& path) {
  for (const auto& e : status.errors()) {
    if (e.path == path) return e.message;
  }
  return "<no error at " + path + ">";
}

// acme (top) <- acme-eu <- acme-de; globex stands alone.
AccountDirectory Tree() {
  auto dir = AccountDirectory::Build({
      MakeAccount("acme", {"acme.com"}, "", "ana"),
      MakeAccount("acme-eu", {"eu.acme.com", "acme.eu"}, "acme", "ben"),
      MakeAccount("acme-de", {"ACME.de", "www.acme-gmbh.de."}, "acme-eu",
                  "cid"),
      MakeAccount("globex", {"globex.com"}),
  });
  EXPECT_TRUE(dir.ok()) << dir.status().ToString();
  return std::move(dir).value();
}

TEST(AccountDirectory, EmptyByDefault) {
  AccountDirectory dir;
  EXPECT_EQ(dir.size(), 0u);
  EXPECT_EQ(dir.FindById("acme"), nullptr);
  EXPECT_EQ(dir.FindByDomain("acme.com"), nullptr);
  Account orphan = MakeAccount("x", {}, "acme");
  EXPECT_EQ(dir.Parent(orphan), nullptr);
}

TEST(AccountDirectory, FindsById) {
  AccountDirectory dir = Tree();
  EXPECT_EQ(dir.size(), 4u);
  ASSERT_NE(dir.FindById("acme-eu"), nullptr);
  EXPECT_EQ(dir.FindById("acme-eu")->owner, "ben");
  EXPECT_EQ(dir.FindById("ACME-EU"), nullptr);  // ids are exact
  EXPECT_EQ(dir.FindById("nobody"), nullptr);
  EXPECT_EQ(dir.FindById(""), nullptr);
}

TEST(AccountDirectory, StoresNormalisedDomains) {
  AccountDirectory dir = Tree();
  EXPECT_THAT(dir.FindById("acme-de")->domains,
              ElementsAre("acme.de", "acme-gmbh.de"));
}

TEST(AccountDirectory, FindsByDomainCaselessly) {
  AccountDirectory dir = Tree();
  EXPECT_EQ(dir.FindByDomain("acme.com")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("ACME.COM")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("acme.de")->id, "acme-de");
  EXPECT_EQ(dir.FindByDomain("acme-gmbh.de")->id, "acme-de");
}

TEST(AccountDirectory, FindsByEmailAddress) {
  AccountDirectory dir = Tree();
  EXPECT_EQ(dir.FindByDomain("jane.doe@acme.com")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("Jane.Doe@ACME.eu")->id, "acme-eu");
  // The part after the last '@' counts.
  EXPECT_EQ(dir.FindByDomain("\"odd@name\"@globex.com")->id, "globex");
  EXPECT_EQ(dir.FindByDomain("jane@"), nullptr);
}

TEST(AccountDirectory, DropsWwwAndTrailingDot) {
  AccountDirectory dir = Tree();
  EXPECT_EQ(dir.FindByDomain("www.acme.com")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("WWW.Acme.Com.")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("acme.com.")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("  acme.com ")->id, "acme");
}

TEST(AccountDirectory, FindsByWebAddress) {
  AccountDirectory dir = Tree();
  EXPECT_EQ(dir.FindByDomain("https://www.acme.com/pricing?x=1")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("http://globex.com")->id, "globex");
}

TEST(AccountDirectory, TriesParentDomains) {
  AccountDirectory dir = Tree();
  // eu.acme.com is claimed by acme-eu; deeper names find the closest claim.
  EXPECT_EQ(dir.FindByDomain("eu.acme.com")->id, "acme-eu");
  EXPECT_EQ(dir.FindByDomain("sales.eu.acme.com")->id, "acme-eu");
  EXPECT_EQ(dir.FindByDomain("bob@mail.sales.eu.acme.com")->id, "acme-eu");
  EXPECT_EQ(dir.FindByDomain("us.acme.com")->id, "acme");
  EXPECT_EQ(dir.FindByDomain("eu.sales.acme.com")->id, "acme");
  // Never down to a single label, and never sideways.
  EXPECT_EQ(dir.FindByDomain("com"), nullptr);
  EXPECT_EQ(dir.FindByDomain("notacme.com"), nullptr);
  EXPECT_EQ(dir.FindByDomain("acme.com.evil.org"), nullptr);
  EXPECT_EQ(dir.FindByDomain(""), nullptr);
}

TEST(AccountDirectory, WalksToParents) {
  AccountDirectory dir = Tree();
  const Account* de = dir.FindById("acme-de");
  ASSERT_NE(de, nullptr);
  const Account* eu = dir.Parent(*de);
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->id, "acme-eu");
  const Account* top = dir.Parent(*eu);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->id, "acme");
  EXPECT_EQ(dir.Parent(*top), nullptr);
  // An account from elsewhere is resolved through its parent id.
  Account outside = MakeAccount("outside", {}, "acme-eu");
  EXPECT_EQ(dir.Parent(outside), eu);
  Account lost = MakeAccount("lost", {}, "nowhere");
  EXPECT_EQ(dir.Parent(lost), nullptr);
}

TEST(AccountDirectory, CopiesShareData) {
  AccountDirectory dir = Tree();
  AccountDirectory copy = dir;
  EXPECT_EQ(copy.FindById("acme"), dir.FindById("acme"));
}

TEST(AccountDirectory, AcceptsAnEmptyList) {
  auto dir = AccountDirectory::Build({});
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->size(), 0u);
}

TEST(AccountDirectory, RejectsEmptyAndDuplicateIds) {
  auto dir = AccountDirectory::Build(
      {MakeAccount("a"), MakeAccount(""), MakeAccount("b"), MakeAccount("a")});
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Paths(dir.status()),
              ElementsAre("/accounts/1/id", "/accounts/3/id"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/3/id"),
              HasSubstr("duplicate account id \"a\""));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/3/id"),
              HasSubstr("/accounts/0"));
}

TEST(AccountDirectory, RejectsUnknownParent) {
  auto dir =
      AccountDirectory::Build({MakeAccount("a"), MakeAccount("b", {}, "acme")});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/accounts/1/parent"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/parent"),
              HasSubstr("\"acme\""));
}

TEST(AccountDirectory, RejectsSelfParent) {
  auto dir =
      AccountDirectory::Build({MakeAccount("ok"), MakeAccount("a", {}, "a")});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/accounts/1/parent"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/parent"),
              HasSubstr("a -> a"));
}

TEST(AccountDirectory, RejectsTwoCycle) {
  auto dir =
      AccountDirectory::Build({MakeAccount("top"), MakeAccount("a", {}, "b"),
                               MakeAccount("b", {}, "a")});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/accounts/1/parent"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/parent"),
              HasSubstr("a -> b -> a"));
}

TEST(AccountDirectory, RejectsThreeCycleOnceWithItsMembers) {
  // A child hanging off the cycle is not a second cycle.
  auto dir = AccountDirectory::Build(
      {MakeAccount("leaf", {}, "c"), MakeAccount("a", {}, "c"),
       MakeAccount("b", {}, "a"), MakeAccount("c", {}, "b")});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/accounts/1/parent"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/parent"),
              HasSubstr("a -> c -> b -> a"));
}

TEST(AccountDirectory, ReportsEachCycle) {
  auto dir = AccountDirectory::Build({MakeAccount("a", {}, "b"),
                                      MakeAccount("b", {}, "a"),
                                      MakeAccount("c", {}, "c")});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()),
              ElementsAre("/accounts/0/parent", "/accounts/2/parent"));
}

TEST(AccountDirectory, RejectsDomainClaimedTwice) {
  auto dir = AccountDirectory::Build(
      {MakeAccount("a", {"acme.com"}),
       MakeAccount("b", {"other.com", "WWW.ACME.COM"})});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/accounts/1/domains/1"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/domains/1"),
              HasSubstr("already claimed by account \"a\""));
}

TEST(AccountDirectory, AllowsOneAccountToListADomainTwice) {
  auto dir =
      AccountDirectory::Build({MakeAccount("a", {"acme.com", "ACME.com"})});
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_THAT(dir->FindById("a")->domains, ElementsAre("acme.com"));
}

TEST(AccountDirectory, RejectsInvalidDomains) {
  auto dir = AccountDirectory::Build(
      {MakeAccount("a", {"", "localhost", "bob@acme.com", "acme .com",
                         "good.com", "www.", "https://acme.org", "a..b"})});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()),
              ElementsAre("/accounts/0/domains/0", "/accounts/0/domains/1",
                          "/accounts/0/domains/2", "/accounts/0/domains/3",
                          "/accounts/0/domains/5", "/accounts/0/domains/6",
                          "/accounts/0/domains/7"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/0/domains/0"),
              HasSubstr("empty"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/0/domains/1"),
              HasSubstr("no dot"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/0/domains/2"),
              HasSubstr("'@'"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/0/domains/3"),
              HasSubstr("white space"));
}

TEST(AccountDirectory, ReportsEveryErrorAtOnce) {
  auto dir = AccountDirectory::Build({
      MakeAccount("a", {"acme.com"}),
      MakeAccount("a"),
      MakeAccount("b", {"acme.com"}, "ghost"),
      MakeAccount("c", {"nodot"}, "c"),
  });
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(
      Paths(dir.status()),
      UnorderedElementsAre("/accounts/1/id", "/accounts/2/parent",
                           "/accounts/2/domains/0", "/accounts/3/parent",
                           "/accounts/3/domains/0"));
}

TEST(AccountDirectory, OwnersAreNotValidated) {
  // The directory does not know the RuleSet; unknown owners never match.
  auto dir = AccountDirectory::Build({MakeAccount("a", {}, "", "no-such-rep")});
  EXPECT_TRUE(dir.ok());
}

TEST(AccountDirectory, FromJsonReadsAccounts) {
  auto dir = AccountDirectory::FromJson(R"({"accounts": [
    {"id": "acme", "name": "Acme Corp", "domains": ["acme.com"],
     "owner": "ana"},
    {"id": "acme-eu", "name": "Acme Europe", "domains": ["Acme.EU"],
     "parent": "acme", "owner": null},
    {"id": 42, "parent": null},
    {"id": 43, "parent": 42}
  ]})");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(dir->size(), 4u);
  const Account* eu = dir->FindByDomain("x@acme.eu");
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->id, "acme-eu");
  EXPECT_EQ(eu->name, "Acme Europe");
  EXPECT_EQ(eu->owner, "");
  EXPECT_EQ(dir->Parent(*eu)->owner, "ana");
  ASSERT_NE(dir->FindById("43"), nullptr);
  EXPECT_EQ(dir->Parent(*dir->FindById("43"))->id, "42");
}

TEST(AccountDirectory, FromJsonRejectsUnknownKeys) {
  auto dir = AccountDirectory::FromJson(
      R"({"accounts": [{"id": "a"}, {"id": "b", "parnet": "a"}], "x": 1})");
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()), ElementsAre("/x", "/accounts/1/parnet"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/1/parnet"),
              HasSubstr("did you mean \"parent\""));
}

TEST(AccountDirectory, FromJsonRejectsWrongTypes) {
  auto dir = AccountDirectory::FromJson(R"({"accounts": [
    {"id": true, "name": 3, "domains": "acme.com", "parent": ["x"],
     "owner": 7},
    {"id": "b", "domains": ["b.com", 5]},
    "c",
    {"name": "no id"},
    {"id": null}
  ]})");
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()),
              ElementsAre("/accounts/0/id", "/accounts/0/name",
                          "/accounts/0/parent", "/accounts/0/owner",
                          "/accounts/0/domains", "/accounts/1/domains/1",
                          "/accounts/2", "/accounts/3", "/accounts/4/id"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/0/domains"),
              HasSubstr("expected an array of strings"));
  EXPECT_THAT(MessageAt(dir.status(), "/accounts/3"),
              HasSubstr("missing required key \"id\""));
}

TEST(AccountDirectory, FromJsonValidatesLikeBuild) {
  auto dir = AccountDirectory::FromJson(R"({"accounts": [
    {"id": "a", "parent": "b"}, {"id": "b", "parent": "a"},
    {"id": "c", "domains": ["c.com"]}, {"id": "d", "domains": ["C.com"]}
  ]})");
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(Paths(dir.status()),
              ElementsAre("/accounts/0/parent", "/accounts/3/domains/0"));
}

TEST(AccountDirectory, FromJsonRejectsBadShapes) {
  auto not_object = AccountDirectory::FromJson("[]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_THAT(Paths(not_object.status()), ElementsAre(""));

  auto missing = AccountDirectory::FromJson("{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(Paths(missing.status()), ElementsAre(""));
  EXPECT_THAT(missing.status().errors()[0].message, HasSubstr("\"accounts\""));

  auto not_array = AccountDirectory::FromJson(R"({"accounts": {}})");
  ASSERT_FALSE(not_array.ok());
  EXPECT_THAT(Paths(not_array.status()), ElementsAre("/accounts"));

  auto empty = AccountDirectory::FromJson(R"({"accounts": []})");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size(), 0u);
}

TEST(AccountDirectory, FromJsonReportsLineAndColumn) {
  auto dir =
      AccountDirectory::FromJson("{\"accounts\": [\n  {\"id\": \"a\",}\n]}");
  ASSERT_FALSE(dir.ok());
  ASSERT_EQ(dir.status().errors().size(), 1u);
  EXPECT_THAT(dir.status().errors()[0].message, HasSubstr("line 2"));
}

TEST(AccountDirectory, FromFileReadsAFile) {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               "leadroute_account_directory_test.json";
  {
    std::ofstream out(path);
    out << R"({"accounts": [{"id": "a", "domains": ["a.com"]}]})";
  }
  auto dir = AccountDirectory::FromFile(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(dir->FindByDomain("a.com")->id, "a");
}

TEST(AccountDirectory, FromFileReportsMissingFile) {
  auto dir = AccountDirectory::FromFile("/nonexistent/leadroute/accounts.json");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(dir.status().message()),
              HasSubstr("/nonexistent/leadroute/accounts.json"));
}

}  // namespace
}  // namespace leadroute
