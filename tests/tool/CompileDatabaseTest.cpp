#include "check/CompileDatabase.h"

#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::check {
namespace {

class CompileDatabaseTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadcheck-cdb", dir));
    // Resolve symlinks (/tmp may be one) so paths compare equal to what the database reports.
    llvm::SmallString<128> real;
    ASSERT_FALSE(llvm::sys::fs::real_path(dir, real));
    root_ = std::string(real);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root_); }

  std::string path(llvm::StringRef rel) {
    llvm::SmallString<128> p(root_);
    llvm::sys::path::append(p, rel);
    return std::string(p);
  }
  void write(llvm::StringRef rel, llvm::StringRef text) {
    std::string p = path(rel);
    ASSERT_FALSE(llvm::sys::fs::create_directories(llvm::sys::path::parent_path(p)));
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    ASSERT_FALSE(ec);
    os << text;
  }
  // A database in <root>/build whose commands run in <root>.
  void writeDatabase() {
    write("src/a.cpp", "int a;\n");
    write("src/b.cpp", "int b;\n");
    write("build/compile_commands.json",
          "[{\"directory\":\"" + root_ +
              "\",\"command\":\"g++ -c src/a.cpp -o a.o\",\"file\":\"src/a.cpp\"},"
              "{\"directory\":\"" +
              root_ +
              "\",\"command\":\"g++ -DSECOND -c src/a.cpp -o a2.o\",\"file\":\"src/a.cpp\"},"
              "{\"directory\":\"" +
              root_ + "\",\"arguments\":[\"g++\",\"-c\",\"src/b.cpp\",\"--\"],\"file\":\"" +
              path("src/b.cpp") + "\"}]");
  }

  std::string root_;
};

std::string errorOf(llvm::Error e) {
  return llvm::toString(std::move(e));
}

TEST_F(CompileDatabaseTest, SearchesUpwardAndIntoBuildDirectories) {
  writeDatabase();
  write("src/deep/er/x.txt", "");
  auto found = locateCompileCommands(std::nullopt, path("src/deep/er"));
  ASSERT_TRUE(static_cast<bool>(found)) << errorOf(found.takeError());
  EXPECT_EQ(*found, path("build/compile_commands.json"));

  // A database in the directory itself wins over its build/ subdirectory.
  write("compile_commands.json", "[]");
  found = locateCompileCommands(std::nullopt, path("src"));
  ASSERT_TRUE(static_cast<bool>(found));
  EXPECT_EQ(*found, path("compile_commands.json"));
}

TEST_F(CompileDatabaseTest, ExplicitBuildPath) {
  writeDatabase();
  auto found = locateCompileCommands(std::string("build"), root_);
  ASSERT_TRUE(static_cast<bool>(found));
  EXPECT_EQ(*found, path("build/compile_commands.json"));
  found = locateCompileCommands(path("build/compile_commands.json"), "/");
  ASSERT_TRUE(static_cast<bool>(found));
  EXPECT_EQ(*found, path("build/compile_commands.json"));

  EXPECT_NE(errorOf(locateCompileCommands(std::string("src"), root_).takeError())
                .find("src: no compile_commands.json in this directory"),
            std::string::npos);
  EXPECT_NE(errorOf(locateCompileCommands(std::string("nope"), root_).takeError())
                .find("nope: no such build directory"),
            std::string::npos);
}

TEST_F(CompileDatabaseTest, MalformedDatabaseNamesTheFile) {
  write("compile_commands.json", "[{\"directory\": ");
  auto db = loadJsonDatabase(path("compile_commands.json"));
  ASSERT_FALSE(static_cast<bool>(db));
  std::string message = errorOf(db.takeError());
  EXPECT_NE(message.find(path("compile_commands.json") + ": malformed compilation database"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);

  write("compile_commands.json", "[{\"directory\": \"/\"}]");
  db = loadJsonDatabase(path("compile_commands.json"));
  ASSERT_FALSE(static_cast<bool>(db));
  EXPECT_NE(errorOf(db.takeError()).find("malformed compilation database"), std::string::npos);
}

TEST_F(CompileDatabaseTest, DeeplyNestedDatabaseIsAnErrorNotACrash) {
  write("compile_commands.json", std::string(35000, '{') + std::string(35000, '}'));
  auto db = loadJsonDatabase(path("compile_commands.json"));
  ASSERT_FALSE(static_cast<bool>(db));
  EXPECT_EQ(errorOf(db.takeError()), path("compile_commands.json") +
                                         ": malformed compilation database: nesting deeper "
                                         "than 256 levels at byte 256");
}

TEST_F(CompileDatabaseTest, AllFilesOnceInDatabaseOrder) {
  writeDatabase();
  auto db = loadJsonDatabase(path("build/compile_commands.json"));
  ASSERT_TRUE(static_cast<bool>(db));
  auto units = selectTranslationUnits(*db, {}, {"-DEXTRA"}, root_);
  ASSERT_TRUE(static_cast<bool>(units)) << errorOf(units.takeError());
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].Filename, path("src/a.cpp"));
  EXPECT_EQ((*units)[1].Filename, path("src/b.cpp"));
  // The first command of a file that is listed twice.
  const std::vector<std::string>& a = (*units)[0].CommandLine;
  EXPECT_EQ(std::count(a.begin(), a.end(), "-DSECOND"), 0);
  EXPECT_EQ(a.back(), "-DEXTRA");
  // Extra arguments go before a "--" that ends the options.
  const std::vector<std::string>& b = (*units)[1].CommandLine;
  auto extra = std::find(b.begin(), b.end(), "-DEXTRA");
  ASSERT_NE(extra, b.end());
  EXPECT_LT(extra, std::find(b.begin(), b.end(), "--"));
}

TEST_F(CompileDatabaseTest, ExplicitSourcesMustExistAndBeInTheDatabase) {
  writeDatabase();
  write("src/c.cpp", "int c;\n");
  auto db = loadJsonDatabase(path("build/compile_commands.json"));
  ASSERT_TRUE(static_cast<bool>(db));
  auto units = selectTranslationUnits(*db, {"src/b.cpp", "src/b.cpp"}, {}, root_);
  ASSERT_TRUE(static_cast<bool>(units));
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(units->front().Filename, path("src/b.cpp"));

  std::string message = errorOf(selectTranslationUnits(*db, {"src/c.cpp"}, {}, root_).takeError());
  EXPECT_EQ(message,
            "src/c.cpp: not in the compilation database " + path("build/compile_commands.json"));
  message = errorOf(selectTranslationUnits(*db, {"src/missing.cpp"}, {}, root_).takeError());
  EXPECT_EQ(message, "src/missing.cpp: no such file");
}

// Clang's loader would read "file": 5 as a file named 5 and name no entry in its messages.
TEST_F(CompileDatabaseTest, WrongTypesNameTheEntry) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"x": 1})", "expected a JSON array of compile commands"},
      {R"([{"directory": "/", "file": "a.c", "command": "cc a.c"}, 7])",
       "entry 1: expected an object"},
      {R"([{"directory": "/", "file": 5, "command": "cc a.c"}])",
       "entry 0: \"file\" is not a string"},
      {R"([{"directory": ["/"], "file": "a.c", "command": "cc"}])",
       "entry 0: \"directory\" is not a string"},
      {R"([{"file": "a.c", "command": "cc"}])", "entry 0: missing \"directory\""},
      {R"([{"directory": "/", "file": "a.c", "arguments": ["cc", 3, "a.c"]}])",
       "entry 0: argument 1 is not a string"},
      {R"([{"directory": "/", "file": "a.c", "arguments": "cc a.c"}])",
       "entry 0: \"arguments\" is not an array"},
      {R"([{"directory": "/", "file": "a.c", "command": ["cc"]}])",
       "entry 0: \"command\" is not a string"},
      {R"([{"directory": "/", "file": "a.c"}])", "entry 0: neither \"command\" nor \"arguments\""},
  };
  for (const auto& [text, why] : cases) {
    write("compile_commands.json", text);
    auto db = loadJsonDatabase(path("compile_commands.json"));
    ASSERT_FALSE(static_cast<bool>(db)) << text;
    EXPECT_EQ(errorOf(db.takeError()),
              path("compile_commands.json") + ": malformed compilation database: " + why)
        << text;
  }
  write("compile_commands.json",
        R"([{"directory": "/", "file": "a.c", "arguments": ["cc", "a.c"], "output": "a.o"}])");
  EXPECT_TRUE(static_cast<bool>(loadJsonDatabase(path("compile_commands.json"))));
}

TEST_F(CompileDatabaseTest, EmptyDatabaseIsAnError) {
  write("compile_commands.json", "[]");
  auto db = loadJsonDatabase(path("compile_commands.json"));
  ASSERT_TRUE(static_cast<bool>(db));
  EXPECT_NE(errorOf(selectTranslationUnits(*db, {}, {}, root_).takeError()).find("no entries"),
            std::string::npos);
}

TEST_F(CompileDatabaseTest, FixedDatabaseNeedsSources) {
  write("src/a.cpp", "int a;\n");
  LoadedDatabase db = makeFixedDatabase(root_, {"-std=c++20", "-DFIXED"});
  EXPECT_NE(errorOf(selectTranslationUnits(db, {}, {}, root_).takeError()).find("no source files"),
            std::string::npos);
  auto units = selectTranslationUnits(db, {"src/a.cpp"}, {}, root_);
  ASSERT_TRUE(static_cast<bool>(units));
  ASSERT_EQ(units->size(), 1u);
  const std::vector<std::string>& cmd = units->front().CommandLine;
  EXPECT_NE(std::find(cmd.begin(), cmd.end(), "-DFIXED"), cmd.end());
  EXPECT_EQ(units->front().Directory, root_);
}

TEST_F(CompileDatabaseTest, NonCFamilyEntriesAreDropped) {
  auto command = [](std::string file, std::vector<std::string> args) {
    clang::tooling::CompileCommand cmd;
    cmd.Filename = std::move(file);
    cmd.CommandLine = std::move(args);
    return cmd;
  };
  std::vector<clang::tooling::CompileCommand> units = {
      command("/p/a.c", {"cc", "-c", "/p/a.c"}),
      command("/p/start.S", {"cc", "-c", "/p/start.S"}),
      command("/p/b.cpp", {"c++", "-c", "/p/b.cpp"}),
      command("/p/crc.s", {"as", "/p/crc.s"}),
      command("/p/gen.inc", {"cc", "-x", "c", "-c", "/p/gen.inc"}),
      command("/p/kernel.cu", {"clang++", "-c", "/p/kernel.cu"}),
      command("/p/asm.c", {"cc", "-xassembler-with-cpp", "-c", "/p/asm.c"}),
      command("/p/m.mm", {"clang++", "-c", "/p/m.mm"}),
  };
  std::vector<std::string> skipped = dropNonCFamily(units);
  EXPECT_EQ(skipped,
            (std::vector<std::string>{"/p/start.S", "/p/crc.s", "/p/kernel.cu", "/p/asm.c"}));
  std::vector<std::string> kept;
  for (const auto& u : units)
    kept.push_back(u.Filename);
  EXPECT_EQ(kept, (std::vector<std::string>{"/p/a.c", "/p/b.cpp", "/p/gen.inc", "/p/m.mm"}));
}

} // namespace
} // namespace threadcheck::check
