// What the CUDA reference backend records about the GPU it measured: properties from the CUDA
// runtime and read-only nvidia-smi queries (clocks, temperature, power). Nothing here sets
// clocks or changes any device setting.
#pragma once

#include <string>

namespace tiersim::cuda {

struct DeviceInfo {
  int index = 0;
  std::string name;
  int sms = 0;
  long long l2_bytes = 0;
  long long memory_bytes = 0;
  int cc_major = 0, cc_minor = 0;
  int clock_sm_peak_khz = 0;   // cudaDevAttrClockRate
  int clock_mem_peak_khz = 0;  // cudaDevAttrMemoryClockRate
  int cuda_driver = 0;         // cudaDriverGetVersion
  int cuda_runtime = 0;        // cudaRuntimeGetVersion
};

[[nodiscard]] DeviceInfo query_device(int index);

// The nvidia-smi query used for clock readings (--query-gpu fields, CSV, no header).
[[nodiscard]] const std::string& smi_fields();
// One reading: the CSV line nvidia-smi prints for `index`, or "unavailable: <why>".
[[nodiscard]] std::string smi_reading(int index);

// The device as JSON members (no braces): name, sms, l2_bytes, memory_bytes, compute capability,
// peak clocks, CUDA driver and runtime versions.
[[nodiscard]] std::string json_members(const DeviceInfo& d);

}  // namespace tiersim::cuda
