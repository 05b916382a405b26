// Opens the window module (hearth-window.so, see hearth/ui/window.h) the first time a window is
// shown. Looked for beside the `hearth` executable (a build folder), then in the installed
// library folder (HEARTH_WINDOW_MODULE_DIR relative to the executable's folder).
#pragma once

#include <string>

#include "hearth/result.h"
#include "hearth/ui/window.h"

namespace hearth::app {

// The module's entry point, or why it could not be opened (which files were tried, dlerror).
Result<ui::WindowMain, std::string> load_window_module();

}  // namespace hearth::app
