// ssd: an NVMe SSD: controller (NVMe queues, write buffer, mapping table, FTL) over a NAND array
// of either fidelity (flash_backend.h: `fast` arithmetic over die/channel timelines, `detailed`
// per flash command).
//
// Timing of a request arriving at the SSD port at time a, on submission queue q (the request's
// stream modulo controller.submission_queues):
//   admitted = a, or when the oldest of queue q's `queue_depth` commands in flight completes if
//   all its slots are taken (NVMe submission/completion queue pair of that depth);
//   flash commands issue at admitted + controller_latency (firmware, NVMe handling, ECC);
//   mapping (controller.mapping_cache > 0): each translation page (page_size / 4 B entries) the
//   request touches that is not cached in controller DRAM is first read from flash (one page
//   read; its evicted dirty victim is programmed back in the background); the data read issues
//   when the last such read is done;
//   read : data leaves in [first page at controller, last page at controller];
//   write: with a write buffer (controller.write_buffer > 0 B) acknowledged at
//          last byte in + controller_latency once the buffer has room for it (room frees when
//          earlier buffered writes are programmed); the buffered data is programmed from then on.
//          Without one (or a write larger than the buffer), acknowledged when its last page is
//          programmed, never before last byte in + controller_latency.
// With controller.ftl: true, every written page also goes through a page-level FTL (ftl.h),
// preconditioned at construction when controller.precondition_fill > 0 (Ftl::precondition);
// each garbage collection it triggers is queued on the victim block's die (die = block % dies)
// from the program's issue time (FlashBackend::collect: copyback of the moved pages + erase, no
// channel traffic), so later programs and reads on that die wait: GC costs throughput.
// The FTL decides wear and write amplification; data placement for timing stays the striping
// rule (host pages are programmed on their striped die; nand.h).
// The host link (PCIe 4.0 x4 for a 980 Pro) is a `pcie` link in the system, not part of this.
#pragma once

#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "models/flash/flash_backend.h"
#include "models/flash/ftl.h"
#include "models/flash/mapping_cache.h"
#include "sim/kernel/component.h"

namespace tiersim::models::flash {

enum class Fidelity : std::uint8_t { kFast, kDetailed };
[[nodiscard]] Fidelity parse_fidelity(const std::string& s);

struct ControllerParams {
  Time latency;                         // per command, pipelined (not a resource)
  std::uint32_t queue_depth = 1024;     // commands in flight per submission queue
  std::uint32_t submission_queues = 1;  // NVMe SQ/CQ pairs
  Bytes capacity;                       // host-visible capacity
  Bytes write_buffer;                   // controller DRAM for buffered writes (0: none)
  Bytes mapping_cache;                  // controller DRAM for translation pages (0: all cached)
  bool ftl = false;                     // page-level FTL + greedy GC on the write path
  std::uint32_t gc_threshold = 2;       // free blocks below which GC runs
  double precondition_fill = 0;         // FTL: fill this share of the logical pages at build
  std::uint64_t precondition_overwrites = 0;  // then this many uniform random overwrites
  std::uint64_t precondition_seed = 1;
};

[[nodiscard]] config::SchemaPtr controller_schema();
[[nodiscard]] ControllerParams controller_from_config(const config::Node& n);

// Where the time of one request went (QD1 latency breakdowns; all from the flash timing).
struct SsdTiming {
  FlashTiming flash;
  Time admitted;      // when a queue slot was free
  Time mapping_done;  // translation-page reads done (== admitted + latency if all hits)
  Time ack;           // completion at the port (reads: flash.last)
};

// The timing core of `ssd` without SystemC: usable directly by tests, benches and `csd`.
class SsdModel {
 public:
  // Throws std::invalid_argument if the FTL is enabled and the geometry leaves too little spare.
  SsdModel(NandParams nand, ControllerParams ctrl, Fidelity fidelity = Fidelity::kFast);
  // A read/write arriving at `arrival`; `now` is the caller's current time (<= arrival).
  FlashTiming read(std::uint64_t address, Bytes bytes, Time arrival, Time now,
                   std::uint32_t queue = 0);
  FlashTiming write(std::uint64_t address, Bytes bytes, Time arrival, Time data_last, Time now,
                    std::uint32_t queue = 0);
  [[nodiscard]] const SsdTiming& last() const { return last_; }
  [[nodiscard]] FlashBackend& array() { return *array_; }
  [[nodiscard]] const FlashBackend& array() const { return *array_; }
  [[nodiscard]] Fidelity fidelity() const { return fidelity_; }
  [[nodiscard]] const ControllerParams& controller() const { return ctrl_; }
  // The FTL (null unless controller.ftl); precondition() fills it (ftl.h) in well under a second
  // per 10 M pages.
  [[nodiscard]] Ftl* ftl() { return ftl_.get(); }
  [[nodiscard]] Time gc_busy() const { return gc_busy_; }
  [[nodiscard]] const MappingCache& mapping() const { return map_; }
  [[nodiscard]] std::size_t in_flight(std::uint32_t queue) const { return queues_[queue].size(); }
  [[nodiscard]] Bytes buffered() const { return Bytes(buffered_); }
  // GC die time queued from a write's issue time: [start, end) pairs of the last write.
  [[nodiscard]] const std::vector<std::pair<Time, Time>>& last_gc() const { return last_gc_; }

 private:
  using MinHeap = std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>>;
  Time admit(std::uint32_t queue, Time arrival);
  Time translate(std::uint64_t address, Bytes bytes, Time issue, Time now, bool write);
  FlashTiming program(std::uint64_t address, Bytes bytes, Time issue, Time now);
  std::unique_ptr<FlashBackend> array_;
  ControllerParams ctrl_;
  Fidelity fidelity_;
  std::vector<MinHeap> queues_;
  std::unique_ptr<Ftl> ftl_;
  MappingCache map_;
  std::uint64_t entries_per_tpage_;
  // Write buffer: (programmed at ps, bytes) of buffered writes, earliest first.
  std::priority_queue<std::pair<std::int64_t, std::uint64_t>,
                      std::vector<std::pair<std::int64_t, std::uint64_t>>, std::greater<>>
      flushing_;
  std::uint64_t buffered_ = 0;
  Time gc_busy_;
  SsdTiming last_;
  std::vector<std::pair<Time, Time>> last_gc_;
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
  stats::StatsRegistry& registry_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& flash_ops_;
  stats::Counter& flash_commands_;
  stats::Counter& read_retries_;
  stats::Counter& channel_busy_ps_;
  stats::Counter& die_busy_ps_;
  stats::Counter& gc_runs_;
  stats::Counter& erases_;
  stats::Counter& flash_page_writes_;
  stats::Counter& host_page_writes_;
  stats::Counter& write_amplification_milli_;
  stats::Counter& gc_busy_ps_;
  stats::Counter& gc_share_milli_;
  stats::Counter& map_hits_;
  stats::Counter& map_misses_;
  stats::LatencyHistogram& read_latency_;
  stats::LatencyHistogram& write_latency_;
  stats::TimeSeries& read_series_;
  stats::TimeSeries& write_series_;
  stats::TimeSeries& read_ops_;
  stats::TimeSeries& write_ops_;
  stats::TimeSeries& queue_depth_;
  stats::TimeSeries& gc_series_;
};

}  // namespace tiersim::models::flash
