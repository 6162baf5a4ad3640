// Every JSON example in docs/ (and the sample data in examples/data/) loads
// with the library: rulesets with RuleSet::FromJson, accounts files with
// AccountDirectory::FromJson, leads with Lead::FromJson.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/docs_blocks.h"
#include "leadroute/account_directory.h"
#include "leadroute/lead.h"
#include "leadroute/rule_set.h"

namespace leadroute {
namespace {

using testing_docs::BlockKind;
using testing_docs::JsonBlock;

void ExpectLoads(const JsonBlock& block) {
  SCOPED_TRACE(block.where);
  switch (block.kind) {
    case BlockKind::kRuleSet: {
      Result<RuleSet> r = RuleSet::FromJson(block.text);
      EXPECT_TRUE(r.ok()) << r.status().message() << "\n" << block.text;
      break;
    }
    case BlockKind::kAccounts: {
      Result<AccountDirectory> r = AccountDirectory::FromJson(block.text);
      EXPECT_TRUE(r.ok()) << r.status().message() << "\n" << block.text;
      break;
    }
    case BlockKind::kLead: {
      Result<Lead> r = Lead::FromJson(block.text);
      EXPECT_TRUE(r.ok()) << r.status().message() << "\n" << block.text;
      break;
    }
    case BlockKind::kInvalid:
      ADD_FAILURE() << "not a JSON object:\n" << block.text;
      break;
  }
}

TEST(DocsExamples, EveryJsonBlockLoads) {
  std::vector<JsonBlock> blocks = testing_docs::DocsJsonBlocks();
  size_t kinds[3] = {0, 0, 0};
  for (const JsonBlock& block : blocks) {
    ExpectLoads(block);
    if (block.kind != BlockKind::kInvalid) {
      ++kinds[static_cast<int>(block.kind)];
    }
  }
  // docs/config.md alone holds an example of every strategy and operator,
  // an accounts file and a lead: guards against the extraction finding
  // nothing.
  EXPECT_GE(kinds[static_cast<int>(BlockKind::kRuleSet)], 20u);
  EXPECT_GE(kinds[static_cast<int>(BlockKind::kAccounts)], 1u);
  EXPECT_GE(kinds[static_cast<int>(BlockKind::kLead)], 1u);
}

TEST(DocsExamples, ConfigReferenceShowsEveryStrategyAndOperator) {
  std::string text;
  for (const JsonBlock& block : testing_docs::DocsJsonBlocks()) {
    if (block.where.starts_with("docs/config.md:")) text += block.text;
  }
  for (const char* strategy :
       {"round_robin", "least_loaded", "random", "territory", "industry",
        "product", "language", "match", "bands", "score", "deal_value",
        "availability", "hierarchy", "field_owner"}) {
    EXPECT_NE(text.find(std::string("\"strategy\": \"") + strategy + "\""),
              std::string::npos)
        << strategy;
  }
  for (const char* op :
       {"all", "any", "not", "eq", "ne", "in", "not_in", "gt", "gte", "lt",
        "lte", "between", "exists", "prefix", "contains"}) {
    EXPECT_NE(text.find(std::string("\"") + op + "\": "), std::string::npos)
        << op;
  }
}

TEST(DocsExamples, ExampleDataLoads) {
  for (const JsonBlock& file : testing_docs::ExampleDataFiles()) {
    ExpectLoads(file);
  }
}

}  // namespace
}  // namespace leadroute
