// The few-shot prompt for general instruct models (those without hearth.prompt_format): what the
// answer must look like, and examples of it. The grammar enforces the format either way; the
// examples only show a general model what the slots mean.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hearth::nlu {

std::string few_shot_instructions();
const std::vector<std::pair<std::string, std::string>>& few_shot_examples();

}  // namespace hearth::nlu
