// The README's embedding example is examples/embedding.cc, verbatim: the
// build compiles the example, so the README cannot show code that does not.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ReadmeExample, EmbeddingSnippetMatchesExampleFile) {
  const std::string source_dir = LEADROUTE_SOURCE_DIR;
  const std::string readme = ReadText(source_dir + "/README.md");
  const std::string marker = "<!-- example: examples/embedding.cc -->";
  size_t at = readme.find(marker);
  if (at == std::string::npos) {
    GTEST_SKIP() << "README.md has no line " << marker << " yet";
  }
  size_t fence = readme.find("```cpp", at);
  ASSERT_NE(fence, std::string::npos)
      << "no ```cpp fence after " << marker << " in README.md";
  size_t start = readme.find('\n', fence);
  ASSERT_NE(start, std::string::npos);
  ++start;
  // The closing fence starts a line; an empty block closes right away.
  size_t end = readme.compare(start, 3, "```") == 0
                   ? start
                   : readme.find("\n```", start);
  ASSERT_NE(end, std::string::npos) << "unclosed ```cpp fence in README.md";
  if (end != start) ++end;  // keep the last code line's newline
  const std::string snippet = readme.substr(start, end - start);

  const std::string example = ReadText(source_dir + "/examples/embedding.cc");
  ASSERT_FALSE(example.empty()) << "cannot read examples/embedding.cc";
  EXPECT_EQ(snippet, example)
      << "README.md's embedding example differs from examples/embedding.cc; "
         "copy the file into the README (or the README's code into the file)";
}

}  // namespace
