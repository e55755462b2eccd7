// csd: a computational storage drive = an `ssd` (models/flash/ssd.h, same `nand`/`controller`
// keys) plus an in-storage engine that reads flash over the internal channels, never crossing
// the host link.
//
// Engine units (each a resource timeline): GEMV MAC array (FLOP/s), softmax unit (elements/s),
// top-k unit (elements/s), and engine DRAM (bytes/s) through which flash data is staged.
//
// An engine operation over a KV region [address, address + bytes) (EngineModel::run):
//  - the region is cut into chunks of `chunk` bytes; chunk i is read from flash by the array
//    (flash_array.h; issued at start + command_latency, no NVMe queueing, no PCIe), written into
//    engine DRAM and read back by the GEMV unit (2 x chunk bytes of DRAM time), then the GEMV
//    unit runs gemv_flops x chunk/bytes FLOPs. Stages overlap across chunks (pipelining): each
//    stage of chunk i starts when chunk i's previous stage and the unit's chunk i-1 are done;
//  - after the last GEMV chunk, softmax over `softmax_elems` then top-k over `topk_elems`
//    (they need every score), each on its unit.
// So engine time ~ max(flash read, DRAM staging, GEMV) + fill/drain + softmax + top-k, from the
// unit timelines, not a single bandwidth number. Host reads/writes are served as by `ssd`;
// a TxnKind::kCompute request runs the GEMV-only operation over [address, address + bytes)
// with txn.flops (softmax/top-k sizes are not carried by a transaction yet).
#pragma once

#include "models/flash/ssd.h"
#include "sim/config/config_error.h"
#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models::csd {

struct EngineParams {
  double gemv_flops_per_s = 0;
  double softmax_elems_per_s = 0;
  double topk_elems_per_s = 0;
  Bandwidth dram_bandwidth;
  Bytes chunk = Bytes::KiB(256);
  Time command_latency;
};

struct EngineOp {
  std::uint64_t address = 0;
  Bytes bytes;
  std::uint64_t gemv_flops = 0;
  std::uint64_t softmax_elems = 0;
  std::uint64_t topk_elems = 0;
};

// Start/end of an engine operation and how busy each unit was during it.
struct EngineTiming {
  Time start;
  Time flash_done;  // last chunk in the controller
  Time gemv_done;
  Time end;         // top-k done
  Time flash_busy;  // flash read window (first issue to last byte)
  Time dram_busy;
  Time gemv_busy;
  Time softmax_busy;
  Time topk_busy;
};

[[nodiscard]] config::SchemaPtr engine_schema();
[[nodiscard]] EngineParams engine_from_config(const config::Node& n);

class EngineModel {
 public:
  EngineModel(flash::FlashArray& array, EngineParams p) : array_(array), p_(p) {}
  EngineTiming run(const EngineOp& op, Time start);
  [[nodiscard]] const EngineParams& params() const { return p_; }
  [[nodiscard]] const kernel::Timeline& gemv() const { return gemv_; }
  [[nodiscard]] const kernel::Timeline& dram() const { return dram_; }

 private:
  flash::FlashArray& array_;
  EngineParams p_;
  kernel::Timeline dram_, gemv_, softmax_, topk_;
};

class Csd : public kernel::Component {
 public:
  explicit Csd(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override {
    return ssd_.controller().capacity.count();
  }

 private:
  flash::SsdModel ssd_;
  EngineModel engine_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& engine_ops_;
  stats::Counter& engine_bytes_;
  stats::Counter& gemv_busy_ps_;
  stats::Counter& dram_busy_ps_;
};

}  // namespace tiersim::models::csd
