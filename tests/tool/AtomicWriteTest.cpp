// Output files of `threadcheck run` (schedule files, --report) in a directory others can write.
#include "run/ScheduleFile.h"

#include <dirent.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace threadcheck::run {
namespace {

class AtomicWriteTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/threadcheck-atomic-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const auto& name : entries())
      unlink((dir_ + "/" + name).c_str());
    rmdir(dir_.c_str());
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    DIR* d = opendir(dir_.c_str());
    while (dirent* e = d ? readdir(d) : nullptr)
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
        out.push_back(e->d_name);
    if (d)
      closedir(d);
    return out;
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir_;
};

TEST_F(AtomicWriteTest, WritesTheFileAndLeavesNoTemporary) {
  std::string path = dir_ + "/report.json";
  EXPECT_EQ(writeFileAtomically(path, "{}\n"), "");
  EXPECT_EQ(read(path), "{}\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

// The temporary name used to be `<file>.tmp.<pid>`: a symlink planted under it (or under the
// file's own name) made the run overwrite the link's target.
TEST_F(AtomicWriteTest, PlantedSymlinksAreNotFollowed) {
  std::string victim = dir_ + "/victim";
  std::ofstream(victim) << "precious";
  std::string path = dir_ + "/schedule.json";
  ASSERT_EQ(symlink(victim.c_str(), (path + ".tmp." + std::to_string(getpid())).c_str()), 0);
  ASSERT_EQ(symlink(victim.c_str(), path.c_str()), 0);
  EXPECT_EQ(writeFileAtomically(path, "new"), "");
  EXPECT_EQ(read(victim), "precious");
  struct stat st{};
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(read(path), "new");
}

TEST_F(AtomicWriteTest, UnwritableDirectoryNamesTheFile) {
  std::string path = dir_ + "/missing/report.json";
  EXPECT_EQ(writeFileAtomically(path, "x"),
            "cannot write '" + path + "': No such file or directory");
  EXPECT_TRUE(entries().empty());
}

} // namespace
} // namespace threadcheck::run
