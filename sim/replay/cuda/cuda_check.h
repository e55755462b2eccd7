// Error handling for the CUDA reference backend: every CUDA runtime and cuBLAS call goes through
// TIERSIM_CUDA / TIERSIM_CUBLAS, which throw std::runtime_error naming the call and the error.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace tiersim::cuda {

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorName(e) + " (" +
                             cudaGetErrorString(e) + ")");
  }
}

inline void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) {
    throw std::runtime_error(std::string(what) + ": cuBLAS status " + std::to_string(int(s)));
  }
}

}  // namespace tiersim::cuda

#define TIERSIM_CUDA(call) ::tiersim::cuda::check((call), #call)
#define TIERSIM_CUBLAS(call) ::tiersim::cuda::check((call), #call)
