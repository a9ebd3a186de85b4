// libFuzzer target: a schedule file as `threadcheck replay` and threadcheck::explore's replay read
// it (parseSchedule, which readSchedule calls on the file's text).
#include "FuzzSupport.h"
#include "ScheduleFile.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string name = "fuzz.schedule.json";
  std::string error;
  auto schedule = threadcheck::run::parseSchedule(
      std::string(reinterpret_cast<const char*>(data), size), name, error);
  if (!schedule)
    threadcheck::fuzz::checkOneLineError(error, name);
  return 0;
}
