// Reading model descriptions: tiersim model presets (configs/models/*.yaml) and Hugging Face
// config.json files.
//
// Contract:
//  - model_schema() lists the preset keys with docs and defaults (`tiersim config schema` style).
//  - load_model(path) loads a YAML preset (with `extends:`), validates it against model_schema()
//    and returns the spec; errors are config::ConfigError naming file:line:col. It also checks
//    consistency: heads divisible by kv_heads, top_k <= experts, dtype known.
//  - import_hf_config(path) reads a Hugging Face config.json (model types opt, llama, mistral,
//    mixtral, falcon, phi, persimmon) and maps its keys to a ModelSpec; an unsupported
//    `model_type` is a ConfigError listing the supported ones.
//  - model_yaml(spec) prints a spec as a preset that load_model() reads back to an equal spec.
#pragma once

#include <string>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/workload/model.h"

namespace tiersim::workload {

[[nodiscard]] config::SchemaPtr model_schema();
// `node` must be a map; it is validated (defaults filled) in place.
[[nodiscard]] ModelSpec model_from_node(config::Node& node);
[[nodiscard]] ModelSpec load_model(const std::string& path);
[[nodiscard]] ModelSpec import_hf_config(const std::string& path);
[[nodiscard]] std::string model_yaml(const ModelSpec& m);

}  // namespace tiersim::workload
