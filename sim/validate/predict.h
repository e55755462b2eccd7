// The simulator's prediction for a validation point (docs/validation.md, "How validate predicts").
//
// Every prediction is the time of one repetition of the point's operation, as the CUDA backend
// measures it (sim/replay/cuda/measure.h). Kernels are timed by the GPU operator model
// (models/gpu/gpu_ops.h) of the GPU preset with CUDA-graph launch overhead (the backend queues
// kernels back to back behind a gate, so the CPU's launch cost overlaps the GPU's work):
//   hbm_stream        elementwise fp32 over bytes / 4 elements: read 1 in 0 out, write 0 in
//                     1 out, copy 1 in 1 out (the model has no occupancy: the same prediction for
//                     every occupancy_pct)
//   copy d2d          elementwise fp16, 1 in 1 out over bytes / 2 elements
//   kv_gather         roofline(0 flops, 2 x pages x page_tokens x token_bytes, fp16)
//   decode_attention  decode_attention(shape, fp16)
//   gemv / gemm       gemv(m, n, fp16) / gemm(m, n, k, bf16)
//   layer             sum over layer_steps() of gemm (fp16), decode_attention (contiguous,
//                     fp16) and elementwise (fp16) operators
// Copies between host and device run the PCIe system preset (copy_sim.h): several streams are
// concurrent copies; a chained H2D -> D2H pair is the sum of the two copies alone.
// The L2 and pointer chase run the sectored L2 model (models/sram) of the L2 preset, with its
// built-in backing memory at the GPU preset's hbm_bandwidth:
//   l2_sweep       streaming_passes(footprint, 4 KiB reads, 2 warm-up, 2 measured passes):
//                  measured elapsed / 2 + launch overhead
//   pointer_chase  the point's node order (chase_order), one 8-byte read per node issued when
//                  the previous one's data arrives, after one untimed cycle:
//                  (elapsed of `loads` reads + launch overhead) / loads.
#pragma once

#include <memory>
#include <string>

#include "models/gpu/gpu_ops.h"
#include "models/sram/sectored_cache.h"
#include "sim/units/units.h"
#include "sim/validate/copy_sim.h"
#include "sim/validate/presets.h"
#include "sim/validate/suite.h"

namespace tiersim::validate {

class Predictor {
 public:
  // Loads the presets (throws config::ConfigError for a bad preset). `tiersim` is the binary that
  // simulates host copies.
  Predictor(const PresetFiles& files, const std::string& tiersim);

  [[nodiscard]] Time predict(const Point& p);
  [[nodiscard]] const models::gpu::GpuSpec& gpu() const { return gpu_.spec(); }

 private:
  [[nodiscard]] Time copy(const Point& p);
  [[nodiscard]] Time pointer_chase(const Point& p) const;
  [[nodiscard]] Time l2_sweep(const Point& p) const;
  [[nodiscard]] Time layer(const Point& p) const;

  models::gpu::GpuModel gpu_;
  models::SectoredCacheConfig l2_;
  std::unique_ptr<CopySimulator> copies_;
};

}  // namespace tiersim::validate
