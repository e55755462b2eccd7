#include "sim/validate/presets.h"

namespace tiersim::validate {
namespace {

bool has(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

}  // namespace

PresetFiles presets_with_gpu(const std::string& gpu_preset, const std::string& configs_dir,
                             const std::string& system) {
  return {gpu_preset, configs_dir + "/sram/h100_l2.yaml", configs_dir + "/systems/" + system};
}

std::optional<PresetFiles> presets_for_device(std::string_view name,
                                              const std::string& configs_dir) {
  if (has(name, "H100") && (has(name, "HBM3") || has(name, "SXM"))) {
    return presets_with_gpu(configs_dir + "/gpu/h100_sxm.yaml", configs_dir,
                            "h100_validation_host.yaml");
  }
  if (has(name, "H200") && !has(name, "NVL")) {
    return presets_with_gpu(configs_dir + "/gpu/h200_sxm.yaml", configs_dir);
  }
  return std::nullopt;
}

std::string known_devices() {
  return "NVIDIA H100 SXM (\"NVIDIA H100 80GB HBM3\"), NVIDIA H200 SXM (\"NVIDIA H200\")";
}

}  // namespace tiersim::validate
