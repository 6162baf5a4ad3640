// The ```json blocks of docs/*.md and docs/cookbook/*.md, and the sample data
// in examples/data/, for tests that check every documented example loads.
// tests/schema/check_examples.py reads the same blocks for the JSON Schemas.
//
// A block preceded by the line `<!-- leadroute: no-check -->` is skipped (for
// a ruleset that needs a host's own strategies, say).
#ifndef LEADROUTE_TESTS_CONFIG_DOCS_BLOCKS_H_
#define LEADROUTE_TESTS_CONFIG_DOCS_BLOCKS_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace leadroute::testing_docs {

enum class BlockKind { kRuleSet, kAccounts, kLead, kInvalid };

struct JsonBlock {
  std::string where;  // "docs/config.md:42" (the line of the fence)
  std::string text;
  BlockKind kind = BlockKind::kInvalid;  // kInvalid: not a JSON object
};

inline std::string SourceDir() { return LEADROUTE_SOURCE_DIR; }

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// Has "rules": a ruleset; has "accounts": an accounts file; else a lead.
inline BlockKind KindOf(const std::string& text) {
  nlohmann::json doc =
      nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return BlockKind::kInvalid;
  if (doc.contains("rules")) return BlockKind::kRuleSet;
  if (doc.contains("accounts")) return BlockKind::kAccounts;
  return BlockKind::kLead;
}

inline void AppendBlocks(const std::filesystem::path& file,
                         const std::string& shown,
                         std::vector<JsonBlock>& out) {
  std::istringstream in(ReadText(file));
  std::string line;
  std::string previous;
  size_t number = 0;
  bool inside = false;
  bool skip = false;
  JsonBlock block;
  while (std::getline(in, line)) {
    ++number;
    std::string_view trimmed(line);
    while (!trimmed.empty() && (trimmed.front() == ' '))
      trimmed.remove_prefix(1);
    if (!inside && trimmed.starts_with("```json") &&
        trimmed.find_first_not_of(' ', 7) == std::string_view::npos) {
      inside = true;
      skip = previous.find("<!-- leadroute: no-check -->") != std::string::npos;
      block = {shown + ":" + std::to_string(number), "", BlockKind::kInvalid};
    } else if (inside && trimmed.starts_with("```")) {
      inside = false;
      if (!skip) {
        block.kind = KindOf(block.text);
        out.push_back(std::move(block));
      }
    } else if (inside) {
      block.text += line;
      block.text += '\n';
    }
    previous = line;
  }
}

// Every ```json block of docs/*.md and docs/cookbook/*.md, files in name
// order.
inline std::vector<JsonBlock> DocsJsonBlocks() {
  namespace fs = std::filesystem;
  std::vector<JsonBlock> out;
  const fs::path root(SourceDir());
  for (const char* dir : {"docs", "docs/cookbook"}) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root / dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".md") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      AppendBlocks(file, fs::relative(file, root).generic_string(), out);
    }
  }
  return out;
}

// examples/data/rules.json and accounts.json, when they exist.
inline std::vector<JsonBlock> ExampleDataFiles() {
  namespace fs = std::filesystem;
  std::vector<JsonBlock> out;
  for (const char* name :
       {"examples/data/rules.json", "examples/data/accounts.json"}) {
    fs::path path = fs::path(SourceDir()) / name;
    if (!fs::exists(path)) continue;
    JsonBlock block{name, ReadText(path), BlockKind::kInvalid};
    block.kind = KindOf(block.text);
    out.push_back(std::move(block));
  }
  return out;
}

}  // namespace leadroute::testing_docs

#endif  // LEADROUTE_TESTS_CONFIG_DOCS_BLOCKS_H_
