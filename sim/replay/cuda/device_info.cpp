#include "sim/replay/cuda/device_info.h"

#include <cstdio>
#include <string>

#include "sim/replay/cuda/cuda_check.h"
#include "sim/validate/suite.h"

namespace tiersim::cuda {

DeviceInfo query_device(int index) {
  DeviceInfo d;
  d.index = index;
  cudaDeviceProp prop{};
  TIERSIM_CUDA(cudaGetDeviceProperties(&prop, index));
  d.name = prop.name;
  d.sms = prop.multiProcessorCount;
  d.l2_bytes = prop.l2CacheSize;
  d.memory_bytes = static_cast<long long>(prop.totalGlobalMem);
  d.cc_major = prop.major;
  d.cc_minor = prop.minor;
  TIERSIM_CUDA(cudaDeviceGetAttribute(&d.clock_sm_peak_khz, cudaDevAttrClockRate, index));
  TIERSIM_CUDA(cudaDeviceGetAttribute(&d.clock_mem_peak_khz, cudaDevAttrMemoryClockRate, index));
  TIERSIM_CUDA(cudaDriverGetVersion(&d.cuda_driver));
  TIERSIM_CUDA(cudaRuntimeGetVersion(&d.cuda_runtime));
  return d;
}

const std::string& smi_fields() {
  static const std::string f =
      "name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem,"
      "clocks.applications.graphics,temperature.gpu,power.draw,power.limit,pstate";
  return f;
}

std::string smi_reading(int index) {
  const std::string cmd = "nvidia-smi --query-gpu=" + smi_fields() + " --format=csv,noheader -i " +
                          std::to_string(index) + " 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "unavailable: popen failed";
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int rc = ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (rc != 0) return "unavailable: " + out;
  return out;
}

std::string json_members(const DeviceInfo& d) {
  using validate::json_quote;
  return "\"name\":" + json_quote(d.name) + ",\"index\":" + std::to_string(d.index) +
         ",\"sms\":" + std::to_string(d.sms) + ",\"l2_bytes\":" + std::to_string(d.l2_bytes) +
         ",\"memory_bytes\":" + std::to_string(d.memory_bytes) + ",\"compute_capability\":" +
         json_quote(std::to_string(d.cc_major) + "." + std::to_string(d.cc_minor)) +
         ",\"clock_sm_peak_khz\":" + std::to_string(d.clock_sm_peak_khz) +
         ",\"clock_mem_peak_khz\":" + std::to_string(d.clock_mem_peak_khz) +
         ",\"cuda_driver\":" + std::to_string(d.cuda_driver) +
         ",\"cuda_runtime\":" + std::to_string(d.cuda_runtime);
}

}  // namespace tiersim::cuda
