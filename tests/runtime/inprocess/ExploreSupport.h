// What the in-process exploration tests share: options for a quiet exploration into a fresh
// directory, and the two expectations every bundled bug meets (found and replayed; fixed twin
// clean).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <threadcheck/threadcheck.hpp>

namespace fs = std::filesystem;
using threadcheck::Options;
using threadcheck::Result;
using threadcheck::Strategy;

inline std::string freshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / "threadcheck-inprocess" / name;
  fs::remove_all(dir);
  return dir.string();
}

inline Options quiet(const std::string& name, uint64_t iterations) {
  Options o;
  o.iterations = iterations;
  o.output_dir = freshDir(name);
  o.name = name;
  o.print = false;
  return o;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Found, saved, replayed (by option and by THREADCHECK_REPLAY) with the same finding; returns it.
inline threadcheck::Finding expectFoundAndReplayed(const Options& o,
                                                   const std::function<void()>& body,
                                                   const std::string& kind) {
  Result r = threadcheck::explore(o, body);
  EXPECT_EQ(r.findings.size(), 1u) << r.report();
  if (r.findings.size() != 1)
    return {};
  threadcheck::Finding f = r.findings[0];
  EXPECT_EQ(f.kind, kind) << r.report();
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(f.reproduced) << r.report();
  EXPECT_TRUE(fs::exists(f.schedule_file)) << r.report();
  std::string saved = slurp(f.schedule_file);
  EXPECT_NE(saved.find("\"format\": \"threadcheck-schedule\""), std::string::npos) << saved;
  EXPECT_NE(saved.find("\"test\": \"" + o.name + "\""), std::string::npos) << saved;
  EXPECT_NE(saved.find("\"kind\": \"" + kind + "\""), std::string::npos) << saved;
  EXPECT_EQ(f.replay_command.rfind("THREADCHECK_REPLAY=" + f.schedule_file + " ", 0), 0u)
      << f.replay_command;

  Options again = o;
  again.replay = f.schedule_file;
  Result replayed = threadcheck::explore(again, body);
  EXPECT_TRUE(replayed.replayed);
  EXPECT_EQ(replayed.schedules, 1u);
  EXPECT_EQ(replayed.findings.size(), 1u) << replayed.report();
  if (replayed.findings.size() == 1) {
    EXPECT_EQ(replayed.findings[0].kind, kind);
    EXPECT_EQ(replayed.findings[0].trace_hash, f.trace_hash);
    EXPECT_TRUE(replayed.findings[0].reproduced);
  }

  setenv("THREADCHECK_REPLAY", f.schedule_file.c_str(), 1);
  Result byEnv = threadcheck::explore(o, body);
  unsetenv("THREADCHECK_REPLAY");
  EXPECT_TRUE(byEnv.replayed);
  EXPECT_EQ(byEnv.findings.size(), 1u) << byEnv.report();
  if (byEnv.findings.size() == 1) {
    EXPECT_EQ(byEnv.findings[0].kind, kind);
    EXPECT_EQ(byEnv.findings[0].trace_hash, f.trace_hash);
  }
  return f;
}

inline void expectClean(const Options& o, const std::function<void()>& body) {
  Result r = threadcheck::explore(o, body);
  EXPECT_TRUE(r.ok()) << r.report();
  EXPECT_EQ(r.schedules, o.iterations);
}
