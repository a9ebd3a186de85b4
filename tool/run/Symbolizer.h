// Turns module + offset frames into function, file and line with llvm-symbolizer, in one batch.
#pragma once

#include "Explorer.h"

#include <vector>

namespace threadcheck::run {

// Fills in every frame of every thread of `findings`; frames stay raw if no symboliser is found.
// Drops the runtime's own frames from the top of each stack.
void symbolize(std::vector<Finding*> findings);

} // namespace threadcheck::run
