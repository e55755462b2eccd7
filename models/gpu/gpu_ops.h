// GPU operator timing: an analytical model of one GPU's SM array and HBM for the operators of
// LLM inference (docs/models/gpu.md). Plain C++ (no SystemC): the `gpu` component (gpu.h) uses it,
// and so can tools and tests.
//
// Contracts:
//  - Peak rate of a data type = sms x dense FMA per clock per SM x 2 x clock. fp32 is the CUDA-core
//    (SIMT) rate; tf32, fp16, bf16 and fp8 are dense tensor-core rates. A data type the GPU lacks
//    (rate 0) makes every operator on it throw std::invalid_argument.
//  - GEMM (C[MxN] = A[MxK] B[KxN], `batch` independent products): for each configured tile shape
//    tm x tn, tiles = batch x ceil(M/tm) x ceil(N/tn) (tile quantization: a partial tile costs a
//    whole one), waves = ceil(tiles / sms) (wave quantization: the last partial wave costs a whole
//    one), compute = waves x 2 x tm x tn x K / (per-SM peak x tensor_efficiency). When tiles < sms,
//    split-K divides each tile's K over s = min(sms / tiles, K / 512) CTAs (waves of tiles x s
//    CTAs, K / s deep; partials reduced in L2). HBM traffic is the compulsory (A + B + C) x element
//    bytes (panel re-reads are assumed to hit L2). kernel = max(compute, traffic /
//    (hbm_bandwidth x hbm_efficiency)); the tile shape with the least kernel time is chosen (a
//    cuBLAS-like heuristic; the first listed wins ties).
//  - Memory-bound operators (GEMV, decode attention, elementwise, softmax) move the bytes their
//    shapes imply, each contiguous segment rounded up to whole `sector` bytes (the L2/DRAM access
//    granule); kernel = max(flops / (peak x efficiency), memory time).
//  - memory time of an operator's bytes = stream + min(memory_ramp, stream), stream = bytes /
//    (hbm_bandwidth x hbm_efficiency): a memory-bound kernel loses memory_ramp filling and draining
//    the memory pipeline (CTA launch across the SMs, first loads' latency, the last wave's tail),
//    once per operator; one that streams for less than that runs at half the achievable bandwidth.
//    The same memory time bounds a GEMM's traffic.
//  - Every kernel adds one launch overhead (eager or CUDA-graph, LaunchMode) to its time.
//  - Times are exact picoseconds, rounded up from the real-valued formulas.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/units/units.h"

namespace tiersim::models::gpu {

enum class DType : std::uint8_t { kFp32, kTf32, kFp16, kBf16, kFp8 };

[[nodiscard]] std::uint64_t dtype_bytes(DType t);  // fp32/tf32 4, fp16/bf16 2, fp8 1
[[nodiscard]] std::string_view to_string(DType t);
// "fp32", "tf32", "fp16", "bf16", "fp8"; throws std::invalid_argument otherwise.
[[nodiscard]] DType parse_dtype(std::string_view s);

enum class LaunchMode : std::uint8_t { kEager, kGraph };

struct TileShape {
  std::uint64_t m = 128;
  std::uint64_t n = 128;
};

// One GPU's hardware description (a configs/gpu/*.yaml preset).
struct GpuSpec {
  std::uint64_t sms = 1;
  Frequency clock = Frequency::hz(1e9);
  // Dense FMA operations per clock per SM by data type (0: not supported).
  std::uint64_t fma_fp32 = 0;  // CUDA cores
  std::uint64_t fma_tf32 = 0;  // tensor cores from here on
  std::uint64_t fma_fp16 = 0;
  std::uint64_t fma_bf16 = 0;
  std::uint64_t fma_fp8 = 0;
  double tensor_efficiency = 1.0;     // share of per-SM tensor peak a GEMM mainloop sustains
  double attention_efficiency = 1.0;  // share of tensor peak of fused (Flash) attention
  double simt_efficiency = 1.0;       // share of peak of CUDA-core kernels (elementwise, GEMV)
  std::vector<TileShape> gemm_tiles{{128, 128}, {128, 256}, {256, 128}};
  Bandwidth hbm_bandwidth = Bandwidth::GBps(1);
  double hbm_efficiency = 1.0;  // achievable share of hbm_bandwidth for streaming kernels
  Time memory_ramp;             // pipeline fill + drain of a memory-bound kernel (see above)
  Bytes memory_capacity;
  Bytes l2_capacity;
  Bytes sector = Bytes(32);
  Time launch_eager;
  Time launch_graph;
  Bandwidth link_bandwidth;  // per GPU per direction, for collectives (NVLink, else PCIe)
  double link_efficiency = 1.0;
  Time link_latency;  // per ring step
  // Dynamic energy (the `gpu` component's energy statistics): per floating-point operation and
  // per byte of HBM traffic (DRAM access + I/O + on-chip movement), 0 when unknown.
  Energy energy_per_flop;
  Energy energy_per_byte;
};

// Keys of a GPU description (shared by presets and the `gpu` component).
[[nodiscard]] std::shared_ptr<config::Schema> gpu_spec_schema();
// A validated map (gpu_spec_schema keys, defaults filled) -> GpuSpec. Throws ConfigError at the
// offending key for malformed tiles, zero bandwidth or clock.
[[nodiscard]] GpuSpec spec_from(const config::Node& cfg);
// Loads a preset file (`type: gpu` plus gpu_spec_schema keys), validates it, returns the spec.
[[nodiscard]] GpuSpec load_gpu_preset(const std::string& path);

// Timing of one operator (possibly several kernels).
struct OpResult {
  std::string op;
  Time kernel;  // device time of the kernels
  Time launch;  // launch overhead of the kernels
  std::uint64_t kernels = 1;
  double flops = 0;
  Bytes bytes;                 // HBM traffic (link traffic for collectives)
  std::uint64_t segments = 0;  // contiguous memory segments read/written (0: not counted)
  bool compute_bound = false;
  double peak_flops = 0;     // peak of the unit/dtype the operator runs on
  Bandwidth peak_bandwidth;  // peak of the memory/link the bytes cross
  // GEMM-only details (zero otherwise).
  TileShape tile{0, 0};
  std::uint64_t tiles = 0;
  std::uint64_t split_k = 0;   // K slices per tile (1: no split-K)
  std::uint64_t waves = 0;     // of tiles x split_k CTAs over the SMs
  double tile_efficiency = 0;  // useful / padded tile area
  double wave_efficiency = 0;  // tiles x split_k / (waves x sms)

  [[nodiscard]] Time total() const { return kernel + launch; }
  [[nodiscard]] double achieved_flops() const;         // flops / total
  [[nodiscard]] Bandwidth achieved_bandwidth() const;  // bytes / total
  [[nodiscard]] double compute_utilization() const;    // achieved / peak flops
  [[nodiscard]] double bandwidth_utilization() const;  // achieved / peak bandwidth
};

struct GemmShape {
  std::uint64_t m = 0, n = 0, k = 0;
  DType dtype = DType::kBf16;
  std::uint64_t batch = 1;
};

// Decode-phase attention: one new query token per sequence against `context` cached tokens.
// KV bytes depend on kv_heads (GQA/MQA); query heads of a group share each KV read.
// Contiguous KV: one K and one V segment per (sequence, KV head). Paged KV (vLLM-style blocks of
// page_tokens): context rounded up to whole pages, one K and one V segment per (sequence, page,
// KV head), plus a 4-byte block-table entry per (sequence, page).
struct DecodeAttentionShape {
  std::uint64_t batch = 1, q_heads = 1, kv_heads = 1, context = 1, head_dim = 128;
  DType dtype = DType::kFp16;
  bool paged = false;
  std::uint64_t page_tokens = 16;
};

// Prefill attention, FlashAttention-2 style: query blocks of block_q rows, each streaming the K
// and V of its head. causal counts only key positions <= the query's (aligned at the end).
// K/V re-reads by the query blocks of a head are served by L2 when the K/V of the heads resident
// at once (min(CTAs, sms) / query blocks per head) fits in l2_capacity; otherwise they go to HBM.
struct PrefillAttentionShape {
  std::uint64_t batch = 1, q_heads = 1, kv_heads = 1, seq_q = 1, seq_kv = 1, head_dim = 128;
  DType dtype = DType::kBf16;
  bool causal = true;
  std::uint64_t block_q = 128;
};

// Elementwise kernel over `elements` values: `inputs` tensors read, `outputs` written.
struct ElementwiseShape {
  std::uint64_t elements = 0, inputs = 1, outputs = 1;
  DType dtype = DType::kFp16;
  double flops_per_element = 1;
};

// MoE expert FFN as two grouped GEMMs (up [+gate], then down) over the experts that got tokens.
// Tiles of all experts share the waves of one kernel; each active expert's weights are read once.
struct MoeFfnShape {
  std::vector<std::uint64_t> tokens_per_expert;
  std::uint64_t d_model = 0, d_ff = 0;
  bool gated = true;  // SwiGLU: up and gate projections (2 x d_ff outputs)
  DType dtype = DType::kBf16;
};

class GpuModel {
 public:
  explicit GpuModel(GpuSpec spec, LaunchMode mode = LaunchMode::kGraph);

  [[nodiscard]] const GpuSpec& spec() const { return spec_; }
  [[nodiscard]] LaunchMode launch_mode() const { return mode_; }
  [[nodiscard]] Time launch_overhead() const;
  // Peak dense FLOP/s of a data type (throws std::invalid_argument when unsupported).
  [[nodiscard]] double peak_flops(DType t) const;
  // hbm_bandwidth x hbm_efficiency.
  [[nodiscard]] Bandwidth achievable_bandwidth() const;
  // Memory time of one operator's HBM traffic: stream + min(memory_ramp, stream).
  [[nodiscard]] Time memory_time(Bytes bytes) const;

  [[nodiscard]] OpResult gemm(const GemmShape& s) const;
  // y[m] = W[m x n] x[n]: weights read once (CUDA cores, simt_efficiency).
  [[nodiscard]] OpResult gemv(std::uint64_t m, std::uint64_t n, DType t) const;
  [[nodiscard]] OpResult decode_attention(const DecodeAttentionShape& s) const;
  [[nodiscard]] OpResult prefill_attention(const PrefillAttentionShape& s) const;
  [[nodiscard]] OpResult elementwise(const ElementwiseShape& s) const;
  // Row softmax in one pass (a row fits on chip): read and write each element, 5 flops each.
  [[nodiscard]] OpResult softmax(std::uint64_t rows, std::uint64_t cols, DType t) const;
  [[nodiscard]] OpResult moe_ffn(const MoeFfnShape& s) const;
  // Ring all-reduce of `bytes` per GPU over `ranks` GPUs:
  //   2 (n-1)/n x bytes / (link_bandwidth x link_efficiency) + 2 (n-1) x link_latency.
  // ranks == 1 costs nothing (no kernel); throws std::invalid_argument if ranks > 1 and the GPU
  // has no link bandwidth.
  [[nodiscard]] OpResult all_reduce(Bytes bytes, std::uint64_t ranks) const;
  // A roofline kernel of known flops and bytes (what a compute transaction carries): compute at
  // peak_flops(t) x tensor_efficiency (x simt_efficiency for fp32, the CUDA cores).
  [[nodiscard]] OpResult roofline(double flops, Bytes bytes, DType t) const;

 private:
  // One kernel of GEMMs sharing n and k, one per entry of ms (m of 0: skipped), tiles of all of
  // them in one wave schedule; each non-empty product reads its own k x n operand.
  [[nodiscard]] OpResult grouped_gemm(const std::string& name, const std::vector<std::uint64_t>& ms,
                                      std::uint64_t n, std::uint64_t k, DType t) const;
  [[nodiscard]] Time compute_time(double flops, double rate) const;
  [[nodiscard]] Bytes sectors(Bytes segment) const;
  [[nodiscard]] OpResult finish(OpResult r, Time compute, std::uint64_t kernels) const;

  GpuSpec spec_;
  LaunchMode mode_;
};

}  // namespace tiersim::models::gpu
