// The compact per-function model the whole-program analysis runs on (filled in by the engine).
#pragma once

#include <string>

namespace threadcheck::checkers::model {

struct FunctionModel {
  std::string id;
};

struct LockInitFact {
  std::string declKey;
};

} // namespace threadcheck::checkers::model
