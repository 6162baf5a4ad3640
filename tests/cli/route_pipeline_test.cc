// `leadroute route` reads and parses on one thread while it routes on
// another (tools/leadroute/route.cc). These tests hold its output against a
// plain serial loop in this process, over inputs that cross many batches
// and the awkward corners of line splitting: CRLF, blank lines, a line
// longer than the read buffer, invalid UTF-8, no newline at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_harness.h"
#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/router.h"
#include "leadroute/rule_set.h"

namespace {

using leadroute::testing::CliRun;
using leadroute::testing::Quote;
using leadroute::testing::ReadText;

// Round robin: every decision depends on every decision before it, so any
// change of order shows in the owners.
constexpr const char* kRules = R"json({
  "teams": [{"id": "inbound"}],
  "reps": [{"id": "ana", "teams": ["inbound"]}, {"id": "ben", "teams": ["inbound"]},
           {"id": "cy", "teams": ["inbound"]}],
  "rules": [{"id": "de", "when": {"field": "country", "eq": "DE"}, "pool": {"teams": ["inbound"]},
             "steps": [{"strategy": "round_robin"}]},
            {"id": "all", "pool": {"teams": ["inbound"]}, "steps": [{"strategy": "round_robin"}]}],
  "fallback": {"queue": "triage"}
})json";
constexpr const char* kAt = "2024-03-10T14:30:00Z";

class FixedClock : public leadroute::Clock {
 public:
  explicit FixedClock(leadroute::Instant at) : at_(at) {}
  std::string_view Name() const noexcept override { return "fixed"; }
  leadroute::Instant Now() const noexcept override { return at_; }

 private:
  leadroute::Instant at_;
};

struct Expected {
  std::string out;
  std::string err;
};

// What `route` must print, computed one line at a time in this process:
// lines split as std::getline splits them, blank lines skipped.
Expected Serial(const std::string& leads) {
  auto rules = leadroute::RuleSet::FromJson(kRules);
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  leadroute::RouterOptions options;
  options.clock = std::make_shared<FixedClock>(*leadroute::ParseInstant(kAt));
  auto router = leadroute::Router::Create(std::move(*rules), options);
  EXPECT_TRUE(router.ok());
  Expected expected;
  auto report = [&](int64_t line, const leadroute::Status& status) {
    std::string message;
    if (status.errors().empty()) {
      message = std::string(status.message());
    } else {
      for (const auto& e : status.errors()) {
        if (!message.empty()) message += "; ";
        message +=
            fmt::format("{}: {}", e.path.empty() ? "/" : e.path, e.message);
      }
    }
    nlohmann::ordered_json record;
    record["line"] = line;
    record["error"] = message;
    expected.err +=
        record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
        "\n";
  };
  int64_t number = 0;
  size_t begin = 0;
  while (begin < leads.size()) {
    size_t end = leads.find('\n', begin);
    if (end == std::string::npos) end = leads.size();
    std::string_view line(leads.data() + begin, end - begin);
    begin = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    auto lead = leadroute::Lead::FromJson(line);
    if (!lead.ok()) {
      report(number, lead.status());
      continue;
    }
    auto assignment = router->Route(*lead);
    if (!assignment.ok()) {
      report(number, assignment.status());
      continue;
    }
    expected.out += assignment->ToJson() + "\n";
  }
  return expected;
}

class RoutePipeline : public leadroute::testing::CliTest {
 protected:
  void ExpectSerialOutput(const std::string& leads, bool from_stdin = false) {
    std::string rules = Write("rules.json", kRules);
    std::string file = Write("leads.jsonl", leads);
    std::string args = "route --at " + std::string(kAt) + " --rules " +
                       Quote(rules) + " --leads ";
    args += from_stdin ? "- <" + Quote(file) : Quote(file);
    CliRun run = Leadroute(args);
    Expected expected = Serial(leads);
    EXPECT_EQ(run.exit_code, expected.err.empty() ? 0 : 3) << run.err;
    EXPECT_EQ(run.out, expected.out);
    EXPECT_EQ(run.err, expected.err);
  }
};

std::string ManyLeads(int count) {
  std::string leads;
  for (int i = 0; i < count; ++i) {
    const char* country = i % 3 == 0 ? "DE" : "FR";
    leads += fmt::format(R"({{"id":"L{}","country":"{}","score":{}}})", i,
                         country, i % 100);
    // Every so often an error, a blank line or a CRLF ending, so they fall
    // at different places in different batches.
    if (i % 997 == 0) leads += "\n{\"id\": oops}";
    if (i % 1499 == 0) leads += "\n   \t";
    leads += i % 7 == 0 ? "\r\n" : "\n";
  }
  return leads;
}

TEST_F(RoutePipeline, DecisionsAreThoseOfASerialLoopAcrossBatches) {
  ExpectSerialOutput(ManyLeads(20000));
}

TEST_F(RoutePipeline, StandardInputGivesTheSameDecisions) {
  ExpectSerialOutput(ManyLeads(9000), /*from_stdin=*/true);
}

TEST_F(RoutePipeline, LineLongerThanTheReadBuffer) {
  // 3 MiB: longer than the 1 MiB read buffer; one field under the 1 MiB
  // string limit, so the lead routes; and one over it, an error.
  std::string big = R"({"id":"BIG")";
  for (int i = 0; i < 3; ++i) {
    big += fmt::format(R"(,"f{}":"{}")", i, std::string(1000000, 'x'));
  }
  big += "}";
  std::string too_big =
      R"({"id":"HUGE","f":")" + std::string(size_t{3} << 20, 'y') + "\"}";
  ExpectSerialOutput(ManyLeads(10) + big + "\n" + ManyLeads(10) + too_big +
                     "\n" + ManyLeads(10));
}

TEST_F(RoutePipeline, EdgesOfLines) {
  // Invalid UTF-8 inside a string, a lone CR, empty lines, CRLF, and a last
  // line without a newline.
  ExpectSerialOutput(
      "\n\n{\"id\":\"A\",\"city\":\"M\xC3\xBCnchen\"}\r\n"
      "{\"id\":\"B\",\"city\":\"M\xFCnchen\"}\n"
      "\r\n"
      "{\"id\":\"C\",\"note\":\"a\\u00e9\"}\r\r\n"
      "{\"id\":\"D\"}");
  ExpectSerialOutput("");
  ExpectSerialOutput("\n\n\n");
}

}  // namespace
