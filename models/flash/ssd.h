// ssd: an NVMe SSD's data path (controller + NAND array, flash_array.h), `fast` fidelity: each
// request is timed arithmetically over the die and channel timelines, per page.
//
// Timing of a request arriving at the SSD port at time a:
//   admitted = a, or when the oldest of `queue_depth` commands in flight completes if all slots
//   are taken (the NVMe queue-depth limit of the controller);
//   flash commands issue at admitted + controller_latency (firmware, FTL lookup, NVMe handling);
//   read : data leaves in [first page at controller, last page at controller] (flash_array.h);
//   write: acknowledged when its last page is programmed (no write buffer yet), and never before
//          the last byte arrived + controller_latency.
// With controller.ftl: true, every written page also goes through a page-level FTL (ftl.h);
// each garbage collection it triggers occupies the victim block's die (die = block % dies) for
// moved x (mean tR + mean tPROG) (on-die copyback, no channel traffic) + tBERS, from the
// write's issue time, so later programs and reads on that die wait: GC costs throughput.
// The FTL decides wear and write amplification; data placement for timing stays the striping
// rule (host pages are programmed on their striped die).
// The host link (PCIe 4.0 x4 for a 980 Pro) is a `pcie` link in the system, not part of this.
// Data placement is the static striping rule of flash_array.h (the layout after a sequential
// fill).
#pragma once

#include <queue>
#include <vector>

#include <memory>

#include "models/flash/flash_array.h"
#include "models/flash/ftl.h"
#include "sim/kernel/component.h"

namespace tiersim::models::flash {

struct ControllerParams {
  Time latency;                      // per command, pipelined (not a resource)
  std::uint32_t queue_depth = 1024;  // commands in flight in the drive
  Bytes capacity;                    // host-visible capacity
  bool ftl = false;                  // page-level FTL + greedy GC on the write path
  std::uint32_t gc_threshold = 2;    // free blocks below which GC runs
};

[[nodiscard]] config::SchemaPtr controller_schema();
[[nodiscard]] ControllerParams controller_from_config(const config::Node& n);

// The timing core of `ssd` without SystemC: usable directly by tests, benches and `csd`.
class SsdModel {
 public:
  // Throws std::invalid_argument if the FTL is enabled and the geometry leaves too little spare.
  SsdModel(NandParams nand, ControllerParams ctrl);
  // A read/write arriving at `arrival`; `now` is the caller's current time (<= arrival).
  FlashTiming read(std::uint64_t address, Bytes bytes, Time arrival, Time now);
  FlashTiming write(std::uint64_t address, Bytes bytes, Time arrival, Time data_last, Time now);
  [[nodiscard]] FlashArray& array() { return array_; }
  [[nodiscard]] const ControllerParams& controller() const { return ctrl_; }
  // The FTL (null unless controller.ftl); precondition() fills it (ftl.h) in well under a second
  // per 10 M pages.
  [[nodiscard]] Ftl* ftl() { return ftl_.get(); }
  [[nodiscard]] Time gc_busy() const { return gc_busy_; }

 private:
  Time admit(Time arrival);
  void retire(Time done);
  FlashArray array_;
  ControllerParams ctrl_;
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> in_flight_;
  std::unique_ptr<Ftl> ftl_;
  Time gc_busy_;
};

class Ssd : public kernel::Component {
 public:
  explicit Ssd(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override {
    return model_.controller().capacity.count();
  }

 private:
  SsdModel model_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& flash_ops_;
  stats::Counter& channel_busy_ps_;
  stats::Counter& die_busy_ps_;
  stats::Counter& gc_runs_;
  stats::Counter& erases_;
  stats::Counter& flash_page_writes_;
  stats::Counter& host_page_writes_;
  stats::Counter& gc_busy_ps_;
  stats::TimeSeries& read_series_;
  stats::TimeSeries& write_series_;
};

}  // namespace tiersim::models::flash
