#include "report/Paths.h"

#include "report/AtomicOutputFile.h"

#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace threadcheck::report {
namespace {

TEST(Paths, RelativeOnlyUnderTheDirectory) {
  EXPECT_EQ(relativeTo("/repo/src/a.cpp", "/repo"), "src/a.cpp");
  EXPECT_EQ(relativeTo("/repo/src/a.cpp", "/repo/"), "src/a.cpp");
  EXPECT_EQ(relativeTo("/repository/a.cpp", "/repo"), std::nullopt);
  EXPECT_EQ(relativeTo("/repo", "/repo"), std::nullopt);
  EXPECT_EQ(displayPath("/usr/include/x.h", "/repo"), "/usr/include/x.h");
  EXPECT_EQ(normalizePath("../b/./c.cpp", "/repo/a"), "/repo/b/c.cpp");
}

TEST(Paths, UrisAreEncoded) {
  EXPECT_EQ(fileUri("/repo/my dir/a#1.cpp"), "file:///repo/my%20dir/a%231.cpp");
  EXPECT_EQ(fileUri("/repo", true), "file:///repo/");
  EXPECT_EQ(uriEncodePath("src/a b.cpp"), "src/a%20b.cpp");
}

class AtomicOutputFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadcheck-atomic", dir_));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir_); }
  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> p(dir_);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  std::vector<std::string> entries() {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir_, ec), end; it != end && !ec; it.increment(ec))
      names.push_back(std::string(llvm::sys::path::filename(it->path())));
    return names;
  }
  llvm::SmallString<128> dir_;
};

TEST_F(AtomicOutputFileTest, NothingAppearsUntilCommit) {
  {
    auto file = AtomicOutputFile::create(path("report.txt"));
    ASSERT_TRUE(static_cast<bool>(file));
    EXPECT_FALSE(llvm::sys::fs::exists(path("report.txt")));
  }
  // Dropped without commit: the temporary is gone too.
  EXPECT_TRUE(entries().empty());

  auto file = AtomicOutputFile::create(path("report.txt"));
  ASSERT_TRUE(static_cast<bool>(file));
  ASSERT_FALSE(static_cast<bool>(file->commit("hello\n")));
  auto buf = llvm::MemoryBuffer::getFile(path("report.txt"));
  ASSERT_TRUE(static_cast<bool>(buf));
  EXPECT_EQ((*buf)->getBuffer(), "hello\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.txt"});
}

TEST_F(AtomicOutputFileTest, UnwritableDestinationsFailUpFront) {
  auto missingDir = AtomicOutputFile::create(path("nodir/report.txt"));
  ASSERT_FALSE(static_cast<bool>(missingDir));
  EXPECT_NE(llvm::toString(missingDir.takeError()).find("nodir/report.txt: cannot write"),
            std::string::npos);
  auto isDir = AtomicOutputFile::create(std::string(dir_));
  ASSERT_FALSE(static_cast<bool>(isDir));
  EXPECT_NE(llvm::toString(isDir.takeError()).find("is a directory"), std::string::npos);
  EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicOutputFileTest, ReserveMakesNoFileBeforeCommit) {
  auto file = AtomicOutputFile::reserve(path("report.txt"));
  ASSERT_TRUE(static_cast<bool>(file));
  // A process killed now (SIGKILL) leaves nothing behind.
  EXPECT_TRUE(entries().empty());
  ASSERT_FALSE(static_cast<bool>(file->commit("hello\n")));
  EXPECT_EQ(entries(), std::vector<std::string>{"report.txt"});
  llvm::Error again = file->commit("twice\n");
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_NE(llvm::toString(std::move(again)).find("already committed"), std::string::npos);
}

TEST_F(AtomicOutputFileTest, ReserveValidatesTheDestination) {
  ASSERT_FALSE(static_cast<bool>(AtomicOutputFile::create(path("plain"))->commit("x")));
  auto underFile = AtomicOutputFile::reserve(path("plain/report.txt"));
  ASSERT_FALSE(static_cast<bool>(underFile));
  EXPECT_NE(llvm::toString(underFile.takeError()).find("is not a directory"), std::string::npos);
  auto missingDir = AtomicOutputFile::reserve(path("nodir/report.txt"));
  ASSERT_FALSE(static_cast<bool>(missingDir));
  EXPECT_NE(llvm::toString(missingDir.takeError()).find("does not exist"), std::string::npos);
  auto isDir = AtomicOutputFile::reserve(std::string(dir_));
  ASSERT_FALSE(static_cast<bool>(isDir));
  EXPECT_NE(llvm::toString(isDir.takeError()).find("is a directory"), std::string::npos);
  EXPECT_EQ(entries(), std::vector<std::string>{"plain"});
}

} // namespace
} // namespace threadcheck::report
