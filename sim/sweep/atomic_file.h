// Writing a file so that readers see either the old content or the whole new one.
#pragma once

#include <string>

namespace tiersim::sweep {

// Writes `text` to "<path>.tmp.<pid>", flushes it to disk, and renames it onto `path`.
// Throws std::runtime_error naming the path on failure.
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace tiersim::sweep
