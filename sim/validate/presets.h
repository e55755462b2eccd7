// Which simulator presets describe a measured GPU (docs/validation.md).
//
// Contract: presets_for_device() maps a CUDA device name to preset files under `configs_dir`:
//   contains "H100" and ("HBM3" or "SXM")  -> gpu/h100_sxm.yaml
//   contains "H200" and not "NVL"          -> gpu/h200_sxm.yaml
// and for both the L2 sram/h100_l2.yaml (the H200 has the H100's die and 50 MB L2). Host system:
// H100 systems/h100_validation_host.yaml (the host the tests/golden/h100 measurements were taken
// on, with its calibrated staging and completion size); H200 systems/pcie_host_gpu.yaml (a
// generic Gen5 x16 server platform; no H200 measurements yet). Any other name gives nullopt; the
// caller reports the known devices (known_devices()) or takes a preset the user names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tiersim::validate {

struct PresetFiles {
  std::string gpu;     // configs/gpu/*.yaml
  std::string l2;      // configs/sram/*.yaml (a sectored_cache preset)
  std::string system;  // configs/systems/*.yaml with a `gpu` endpoint, `host_mem` and `pageable`
};

[[nodiscard]] std::optional<PresetFiles> presets_for_device(std::string_view device_name,
                                                            const std::string& configs_dir);
// Human-readable list of the device names presets_for_device() knows.
[[nodiscard]] std::string known_devices();
// The presets of any GPU with a user-chosen GPU preset file: the L2 above and `system` (a file
// name under configs_dir/systems).
[[nodiscard]] PresetFiles presets_with_gpu(const std::string& gpu_preset,
                                           const std::string& configs_dir,
                                           const std::string& system = "pcie_host_gpu.yaml");

}  // namespace tiersim::validate
