// GEMV (our kernel) and GEMM (cuBLAS) in row-major terms, shared by the point measurements and
// the decoder layer.
#pragma once

#include <cublas_v2.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

namespace tiersim::cuda {

// y[m] = W[m x n] x[n], fp16 in and out, fp32 accumulation; one warp per row, 16-byte loads
// (n must be a multiple of 8).
void enqueue_gemv(const __half* w, const __half* x, __half* y, int m, int n, cudaStream_t s);

// Row-major C[m x n] = A[m x k] B[k x n] with cublasGemmEx (type: CUDA_R_16F or CUDA_R_16BF,
// fp32 compute), i.e. column-major C^T = B^T A^T. The handle's stream is used.
void enqueue_gemm(cublasHandle_t h, cudaDataType type, const void* a, const void* b, void* c, int m,
                  int n, int k);

}  // namespace tiersim::cuda
