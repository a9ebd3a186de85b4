// Shards on their own: the K/N syntax, slices that are disjoint, complete and the same wherever
// the checkout lives, and a merge that puts units back in database order and names what is
// missing or does not belong.
#include "check/ShardFiles.h"

#include <fstream>
#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <set>

namespace threadcheck::check {
namespace {

std::vector<clang::tooling::CompileCommand> unitsUnder(const std::string& root, unsigned n) {
  std::vector<clang::tooling::CompileCommand> units;
  for (unsigned i = 0; i < n; ++i) {
    // Database order is not name order.
    std::string file = root + "/src/f" + std::to_string((i * 7) % n) + ".cpp";
    units.emplace_back(root, file, std::vector<std::string>{"c++", "-c", file}, "");
  }
  return units;
}

TEST(ShardSpec, Parses) {
  std::string error;
  auto spec = parseShardSpec("2/4", error);
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->index, 2u);
  EXPECT_EQ(spec->count, 4u);
  EXPECT_TRUE(parseShardSpec("1/1", error).has_value());
  for (const char* bad : {"0/4", "5/4", "2", "2/", "/4", "a/b", "2/4/1", "-1/4", "1/0", " 1/2"}) {
    EXPECT_FALSE(parseShardSpec(bad, error).has_value()) << bad;
    EXPECT_NE(error.find(std::string("'") + bad + "'"), std::string::npos) << error;
  }
  EXPECT_EQ(defaultShardFileName({3, 8}), "threadcheck-shard-3-of-8.tcshard");
}

TEST(ShardSlice, DisjointCompleteAndEven) {
  auto units = unitsUnder("/work/proj", 11);
  for (unsigned n = 1; n <= 5; ++n) {
    std::multiset<size_t> all;
    size_t smallest = units.size(), largest = 0;
    for (unsigned k = 1; k <= n; ++k) {
      auto slice = shardSlice(units, {k, n}, "/work/proj");
      EXPECT_TRUE(std::is_sorted(slice.begin(), slice.end()));
      all.insert(slice.begin(), slice.end());
      smallest = std::min(smallest, slice.size());
      largest = std::max(largest, slice.size());
    }
    EXPECT_EQ(all.size(), units.size());
    EXPECT_EQ(std::set<size_t>(all.begin(), all.end()).size(), units.size()) << "disjoint";
    EXPECT_LE(largest - smallest, 1u);
  }
}

TEST(ShardSlice, SameSplitWhereverTheCheckoutLives) {
  auto here = unitsUnder("/home/ci/a", 9);
  auto there = unitsUnder("/builds/zz/project", 9);
  for (unsigned k = 1; k <= 3; ++k)
    EXPECT_EQ(shardSlice(here, {k, 3}, "/home/ci/a"),
              shardSlice(there, {k, 3}, "/builds/zz/project"));
  EXPECT_EQ(databaseIdentity(here, "/home/ci/a"), databaseIdentity(there, "/builds/zz/project"));
  EXPECT_NE(databaseIdentity(unitsUnder("/home/ci/a", 10), "/home/ci/a"),
            databaseIdentity(here, "/home/ci/a"));
}

class ShardSetTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadcheck-shard-test", dir_));
    root_ = std::string(dir_);
    units_ = unitsUnder(root_, 5);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir_); }

  std::string writeShard(ShardSpec spec, const std::string& name, const std::string& version) {
    ShardContents c;
    c.spec = spec;
    c.totalUnits = units_.size();
    c.databaseId = databaseIdentity(units_, root_);
    for (size_t i : shardSlice(units_, spec, root_)) {
      ShardedUnit u;
      u.index = i;
      u.file = units_[i].Filename;
      u.ok = i != 3;
      u.failure = u.ok ? "" : "failed to parse (1 error): x";
      u.facts.mainFile = u.file;
      c.units.push_back(std::move(u));
    }
    std::string path = root_ + "/" + name;
    std::ofstream(path, std::ios::binary) << encodeShard(c, root_, version);
    return path;
  }

  std::string merge(const std::vector<std::string>& inputs,
                    std::vector<ShardedUnit>* out = nullptr) {
    auto units = readShardSet(inputs, root_, root_, "1.0");
    if (!units)
      return llvm::toString(units.takeError());
    if (out)
      *out = std::move(*units);
    return {};
  }

  llvm::SmallString<128> dir_;
  std::string root_;
  std::vector<clang::tooling::CompileCommand> units_;
};

TEST_F(ShardSetTest, MergeRestoresDatabaseOrder) {
  std::string a = writeShard({2, 2}, "b.tcshard", "1.0");
  std::string b = writeShard({1, 2}, "a.tcshard", "1.0");
  std::vector<ShardedUnit> units;
  ASSERT_EQ(merge({a, b}, &units), "");
  ASSERT_EQ(units.size(), units_.size());
  for (size_t i = 0; i < units.size(); ++i) {
    EXPECT_EQ(units[i].index, i);
    EXPECT_EQ(units[i].file, units_[i].Filename);
    EXPECT_EQ(units[i].facts.mainFile, units[i].ok ? units_[i].Filename : "");
    EXPECT_EQ(units[i].ok, i != 3);
  }
  EXPECT_EQ(units[3].failure, "failed to parse (1 error): x");
  EXPECT_EQ(merge({root_}), "") << "a directory stands for its .tcshard files";
}

TEST_F(ShardSetTest, ProblemsAreNamed) {
  std::string one = writeShard({1, 3}, "one.tcshard", "1.0");
  writeShard({3, 3}, "three.tcshard", "1.0");
  EXPECT_EQ(merge({root_}), "--merge: incomplete shard set: missing shard 2/3 (given 2 of 3)");
  EXPECT_EQ(merge({one, one}), "one.tcshard and one.tcshard are both shard 1/3");
  std::string old = writeShard({2, 3}, "old.tcshard", "0.9");
  EXPECT_EQ(merge({old}), "old.tcshard: written by threadcheck 0.9, this is threadcheck 1.0");
  EXPECT_EQ(merge({root_ + "/nothing"}), root_ + "/nothing: no such file or directory");
  EXPECT_EQ(merge({}), "--merge: no shard files given");
}

} // namespace
} // namespace threadcheck::check
