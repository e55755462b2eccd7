// Loading a config: YAML with origins, `extends:` composition, `--set` overrides, YAML output.
//
// Contract:
//  - Any map may carry `extends: <path>` or `extends: [<path>, ...]`. Paths are relative to the
//    file that names them. The bases are loaded (recursively), merged in order, and the map's own
//    keys are merged on top: maps merge key by key, anything else replaces. `extends` itself does
//    not appear in the result.
//  - An extends chain that returns to a file already being loaded is an "include cycle" error at
//    the `extends` value that closes it, listing the chain.
//  - Bad YAML syntax, duplicate keys, unreadable files: ConfigError with file:line:col.
//  - apply_override("a.b.c=value"): the value is parsed as YAML; intermediate maps are created;
//    list items are addressed by index ("workloads.0.trace").
#pragma once

#include <string>
#include <vector>

#include "sim/config/node.h"

namespace tiersim::config {

// Parses YAML text (no extends resolution). `file` is used for origins.
[[nodiscard]] Node parse_yaml(const std::string& text, const std::string& file);

// Loads a file and resolves every `extends`.
[[nodiscard]] Node load_file(const std::string& path);

// Applies one "--set path.to.key=value" override to a loaded tree.
void apply_override(Node& root, const std::string& assignment);

// Loads, then applies the overrides in order.
[[nodiscard]] Node load_with_overrides(const std::string& path,
                                       const std::vector<std::string>& overrides);

// Deep merge of `top` onto `base` (maps merge, anything else replaces).
void merge_into(Node& base, const Node& top);

// YAML text of a tree (maps in insertion order). Round-trips through parse_yaml.
[[nodiscard]] std::string to_yaml(const Node& root);

}  // namespace tiersim::config
