// Helpers shared by tests: temp dirs, running the tiersim binary, reading files.
#pragma once

#include <filesystem>
#include <string>

namespace tiersim::test {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // exit status, or 128+signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs a shell command line; captures stdout and stderr separately.
CommandResult run_command(const std::string& command_line);
// Runs the tiersim binary under test with `args` (already shell-quoted as needed).
CommandResult run_tiersim(const std::string& args);

std::string read_file(const std::filesystem::path& p);
std::string source_dir();  // repository root
std::string shell_quote(const std::string& s);

}  // namespace tiersim::test
