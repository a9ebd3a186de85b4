// The --cache-dir store on its own: what the key depends on, that an entry is used only while
// every recorded file has its recorded contents, and that damaged entries are refused.
#include "check/FactsCache.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace threadcheck::check {
namespace {

class FactsCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadcheck-cache-test", root_));
    dir_ = std::string(root_) + "/cache";
    header_ = std::string(root_) + "/a.h";
    write(header_, "int a;\n");
    auto cache = FactsCache::open(dir_, "9.9.9");
    ASSERT_TRUE(bool(cache)) << llvm::toString(cache.takeError());
    cache_ = std::move(*cache);
    command_.Directory = std::string(root_);
    command_.Filename = std::string(root_) + "/a.cpp";
    command_.CommandLine = {"clang++", "-c", command_.Filename};
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root_); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::vector<Dependency> deps() const { return {{header_, hashContents(read(header_))}}; }

  static checkers::TranslationUnitFacts facts(const std::string& mainFile) {
    checkers::TranslationUnitFacts f;
    f.mainFile = mainFile;
    checkers::Finding finding;
    finding.checkId = "double-lock";
    finding.loc = {mainFile, 3, 5};
    finding.message = "m";
    f.localFindings.push_back(finding);
    return f;
  }

  // A fresh cache object: the content hashes it remembers are per run.
  std::unique_ptr<FactsCache> reopen() { return std::move(*FactsCache::open(dir_, "9.9.9")); }

  std::string entryFile(const std::string& key) const { return dir_ + "/" + key + ".tcfacts"; }

  llvm::SmallString<128> root_;
  std::string dir_, header_;
  std::unique_ptr<FactsCache> cache_;
  clang::tooling::CompileCommand command_;
};

TEST_F(FactsCacheTest, KeyDependsOnCommandDirectoryAndIncludeEnvironment) {
  std::vector<std::string> args = command_.CommandLine;
  std::string key = cache_->keyFor(command_, args);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(cache_->keyFor(command_, args), key);
  auto withArg = args;
  withArg.push_back("-DX");
  EXPECT_NE(cache_->keyFor(command_, withArg), key);
  auto otherDir = command_;
  otherDir.Directory = "/elsewhere";
  EXPECT_NE(cache_->keyFor(otherDir, args), key);
  const char* old = std::getenv("CPATH");
  std::string saved = old ? old : "";
  ::setenv("CPATH", "/extra/include", 1);
  EXPECT_NE(cache_->keyFor(command_, args), key);
  if (old)
    ::setenv("CPATH", saved.c_str(), 1);
  else
    ::unsetenv("CPATH");
  EXPECT_EQ(cache_->keyFor(command_, args), key);
}

TEST_F(FactsCacheTest, EntryIsUsedWhileDependenciesKeepTheirContents) {
  std::string key = cache_->keyFor(command_, command_.CommandLine);
  EXPECT_FALSE(cache_->load(key).has_value()) << "nothing stored yet";
  cache_->store(key, facts(command_.Filename), deps());
  auto loaded = reopen()->load(key);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->mainFile, command_.Filename);
  ASSERT_EQ(loaded->localFindings.size(), 1u);
  EXPECT_EQ(loaded->localFindings[0].loc.line, 3u);

  write(header_, "int b;\n"); // same size, other contents
  EXPECT_FALSE(reopen()->load(key).has_value());
  write(header_, "int a;\n");
  EXPECT_TRUE(reopen()->load(key).has_value()) << "the recorded contents are back";
  llvm::sys::fs::remove(header_);
  EXPECT_FALSE(reopen()->load(key).has_value()) << "a dependency that is gone";
}

TEST_F(FactsCacheTest, DamagedOrMisplacedEntriesAreRefusedAndCounted) {
  std::string key = cache_->keyFor(command_, command_.CommandLine);
  cache_->store(key, facts(command_.Filename), deps());
  std::string good = read(entryFile(key));

  auto cache = reopen();
  write(entryFile(key), good.substr(0, good.size() - 1));
  EXPECT_FALSE(cache->load(key).has_value());
  std::string flipped = good;
  flipped[flipped.size() - 3] ^= 1;
  write(entryFile(key), flipped);
  EXPECT_FALSE(cache->load(key).has_value());
  // A whole entry stored under another unit's name.
  auto other = command_;
  other.Filename += "x";
  std::string otherKey = cache->keyFor(other, other.CommandLine);
  write(entryFile(otherKey), good);
  EXPECT_FALSE(cache->load(otherKey).has_value());
  EXPECT_EQ(cache->damagedEntries(), 3u);

  // Another threadcheck version's entry is foreign too.
  auto newer = std::move(*FactsCache::open(dir_, "10.0.0"));
  write(entryFile(key), good);
  EXPECT_FALSE(newer->load(newer->keyFor(command_, command_.CommandLine)).has_value());
}

TEST_F(FactsCacheTest, StoreReplacesAtomicallyAndLeavesNoTemporaryFiles) {
  std::string key = cache_->keyFor(command_, command_.CommandLine);
  for (int i = 0; i < 3; ++i)
    cache_->store(key, facts(command_.Filename + std::to_string(i)), deps());
  auto loaded = reopen()->load(key);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->mainFile, command_.Filename + "2");
  std::error_code ec;
  std::vector<std::string> names;
  for (llvm::sys::fs::directory_iterator it(dir_, ec), end; it != end && !ec; it.increment(ec))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  std::vector<std::string> expected{key + ".tcfacts", "CACHEDIR.TAG"};
  std::sort(names.begin(), names.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
}

TEST_F(FactsCacheTest, OpenRefusesAFile) {
  std::string file = std::string(root_) + "/plain";
  write(file, "x");
  auto cache = FactsCache::open(file, "9.9.9");
  ASSERT_FALSE(bool(cache));
  EXPECT_EQ(llvm::toString(cache.takeError()), "--cache-dir " + file + ": not a directory");
}

} // namespace
} // namespace threadcheck::check
