#include "window_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <vector>

namespace hearth::app {

Result<ui::WindowMain, std::string> load_window_module() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Fail<std::string>("cannot find the hearth executable's folder: " + ec.message());
  const std::filesystem::path dir = exe.parent_path();
  const std::vector<std::filesystem::path> candidates = {dir / ui::kWindowModuleFile,
                                                         dir / HEARTH_WINDOW_MODULE_DIR / ui::kWindowModuleFile};
  std::string tried;
  for (const auto& path : candidates) {
    if (!std::filesystem::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path.string() + " (absent)";
      continue;
    }
    dlerror();
    // RTLD_GLOBAL is not needed: the module's own symbols are looked up here; hearth's come
    // from the executable, which exports them.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      return Fail<std::string>("cannot load " + path.string() + ": " + (why ? why : "unknown error"));
    }
    auto entry = reinterpret_cast<ui::WindowMain>(dlsym(handle, ui::kWindowMainSymbol));
    if (!entry) return Fail<std::string>(path.string() + " has no " + ui::kWindowMainSymbol);
    return entry;
  }
  return Fail<std::string>("the window module is not installed (tried " + tried + ")");
}

}  // namespace hearth::app
