// The fast lead parser against the reference (nlohmann) parser: whenever
// ParseLeadFast accepts a text, the lead must equal the reference's, and
// Lead::FromJson must always give the reference's lead or error, byte for
// byte (src/lead_parse.h).
#include "lead_parse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "leadroute/lead.h"
#include "testing/rng.h"

namespace leadroute {
namespace {

std::string Describe(const Result<Lead>& r) {
  if (!r.ok()) return "error: " + r.status().ToString();
  return "lead: " + r->ToJson();
}

bool SameLead(const Lead& a, const Lead& b) {
  return a.id() == b.id() && a.fields() == b.fields();
}

// Checks one text both ways; returns whether the fast path took it.
bool CheckAgreement(std::string_view text) {
  Result<Lead> reference = internal::ParseLeadReference(text);
  Lead fast;
  bool accepted = internal::ParseLeadFast(text, fast);
  if (accepted) {
    EXPECT_TRUE(reference.ok())
        << "fast path accepted what the reference rejects: " << text << "\n"
        << Describe(reference);
    if (reference.ok()) {
      EXPECT_TRUE(SameLead(fast, *reference))
          << text << "\nfast:      " << fast.ToJson()
          << "\nreference: " << reference->ToJson();
    }
  }
  Result<Lead> public_result = Lead::FromJson(text);
  EXPECT_EQ(public_result.ok(), reference.ok()) << text;
  if (public_result.ok() && reference.ok()) {
    EXPECT_TRUE(SameLead(*public_result, *reference)) << text;
  } else if (!public_result.ok() && !reference.ok()) {
    EXPECT_EQ(public_result.status().ToString(), reference.status().ToString())
        << text;
  }
  return accepted;
}

std::vector<std::string> CorpusTexts() {
  std::vector<std::string> texts;
  for (const char* dir :
       {"/tests/fuzz/corpus/lead", "/tests/fuzz/regressions/lead"}) {
    std::filesystem::path path = std::string(LEADROUTE_SOURCE_DIR) + dir;
    if (!std::filesystem::exists(path)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::string text = buffer.str();
      texts.push_back(text);
      // Each line as well: some corpus files hold JSON Lines.
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        if (line != text) texts.push_back(line);
      }
    }
  }
  return texts;
}

TEST(LeadParse, AgreesOnTheFuzzCorpus) {
  std::vector<std::string> texts = CorpusTexts();
  ASSERT_GE(texts.size(), 20u);
  int accepted = 0;
  for (const auto& text : texts) accepted += CheckAgreement(text) ? 1 : 0;
  // The corpus is mostly plain leads: the fast path must take most of them,
  // or this test would compare nothing.
  EXPECT_GE(accepted, static_cast<int>(texts.size()) / 2);
}

TEST(LeadParse, FastPathTakesPlainLeads) {
  for (
      std::string_view text : {
          R"({"id":"L1"})",
          R"( {"id": 7, "score": -12, "deal_value": 2.5e3} )",
          R"({"id":-0,"a":{"b":{"c":"x"}},"d":[],"e":["p","q"]})",
          R"({"id":"L1","t":true,"f":false,"n":null,"z":0,"neg":-0.0})",
          "{\"id\":\"L1\",\"city\":\"M\xC3\xBCnchen\"}\r",
          R"({"id":"L1","esc":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"})",
          R"({"id":"L1","a":{},"b":{"id":1}})",
          R"({"id":"L1","x":123456789012345678,"y":1E-5,"w":1.7976931348623157e308})",
      }) {
    EXPECT_TRUE(CheckAgreement(text)) << text;
  }
}

TEST(LeadParse, FastPathLeavesEveryErrorToTheReference) {
  for (std::string_view text : {
           "",
           "   ",
           "[]",
           R"("L1")",
           R"({"id":"L1")",
           R"({"id":"L1"} x)",
           R"({"id":"L1"}{})",
           R"({"score":1})",
           R"({"id":""})",
           R"({"id":1.5})",
           R"({"id":true})",
           R"({"id":"L1","id":"L2"})",
           R"({"id":"L1","a":1,"a":2})",
           R"({"id":"L1","a":{"x":1},"a":{"y":2}})",
           R"({"id":"L1","a.b":1,"a":{"b":2}})",
           R"({"id":"L1","":1})",
           R"({"id":"L1","a":[1]})",
           R"({"id":"L1","a":[["x"]]})",
           R"({"id":"L1","a":01})",
           R"({"id":"L1","a":1.})",
           R"({"id":"L1","a":.5})",
           R"({"id":"L1","a":-})",
           R"({"id":"L1","a":1e999})",
           R"({"id":"L1","a":-1e999})",
           R"({"id":"L1","a":18446744073709551616})",
           R"({"id":"L1","a":9223372036854775808})",
           R"({"id":18446744073709551615})",
           R"({"id":"L1","a":tru})",
           R"({"id":"L1","a":nul})",
           R"({"id":"L1","a":"\x"})",
           R"({"id":"L1","a":"\ud800"})",
           R"({"id":"L1","a":"\udc00"})",
           R"({"id":"L1","a":"\u12"})",
           "{\"id\":\"L1\",\"a\":\"tab\there\"}",
           "{\"id\":\"L1\",\"a\":\"\xC3\"}",
           "{\"id\":\"L1\",\"a\":\"\xC0\xAF\"}",
           "{\"id\":\"L1\",\"a\":\"\xED\xA0\x80\"}",
           "{\"id\":\"L1\",\"a\":\"\xF4\x90\x80\x80\"}",
           "{\"id\":\"L1\",\"a\":\"\xFF\"}",
           "\xEF\xBB\xBF{\"id\":\"L1\"}",
           R"({"id":"L1",})",
           R"({"id":"L1" "a":1})",
           R"({"id":"L1","a":1,})",
           R"({"id":"L1","a":["x",]})",
       }) {
    EXPECT_FALSE(CheckAgreement(text)) << text;
  }
}

TEST(LeadParse, DeepNestingAndLongStringsGoToTheReference) {
  std::string deep = R"({"id":"L1","a":)";
  for (int i = 0; i < 40; ++i) deep += R"({"a":)";
  deep += "1";
  for (int i = 0; i < 41; ++i) deep += "}";
  EXPECT_FALSE(CheckAgreement(deep));

  std::string long_string =
      R"({"id":"L1","a":")" + std::string(size_t{2} << 20, 'x') + R"("})";
  EXPECT_FALSE(CheckAgreement(long_string));
  EXPECT_FALSE(Lead::FromJson(long_string).ok());
}

// Seeded mutations of corpus leads: byte flips, deletions and insertions of
// characters that matter to JSON and UTF-8. Whatever the fast path accepts
// must be what the reference reads.
TEST(LeadParse, AgreesOnMutatedLeads) {
  std::vector<std::string> texts = CorpusTexts();
  ASSERT_FALSE(texts.empty());
  static constexpr std::string_view kBytes =
      "{}[]\",:\\/ \t\r\n0123456789.eE+-tfnu\x7f\x80\xbf\xc3\xe2\xed\xf0\xff";
  testing::Rng rng(20261123);
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string text = rng.Pick(texts);
    int edits = 1 + rng.Below(3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = static_cast<size_t>(rng.Below(static_cast<int>(text.size())));
      char c = kBytes[static_cast<size_t>(
          rng.Below(static_cast<int>(kBytes.size())))];
      switch (rng.Below(3)) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, c);
          break;
      }
    }
    accepted += CheckAgreement(text) ? 1 : 0;
  }
  // Many mutations land in string contents and still read.
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace leadroute
