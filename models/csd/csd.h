// csd: a computational storage drive = an `ssd` (models/flash/ssd.h, same `nand`/`controller`/
// `fidelity` keys) plus an in-storage engine that reads flash over the internal channels, never
// crossing the host link.
//
// Engine units (each a gap-filling resource timeline): GEMV MAC array (FLOP/s), softmax unit
// (elements/s), top-k unit (elements/s), a per-channel filter in the flash controller (bytes/s
// per channel, SparF-style token filtering; used by attention with `sparse_keep` < 1), and
// engine DRAM (bytes/s) through which flash data is staged.
//
// Generic engine operation over [address, address + bytes) (EngineModel::run):
//  - the region is cut into chunks of `chunk` bytes; chunk i is read from flash by the array
//    (flash_backend.h; issued at start + command_latency, no NVMe queueing, no PCIe), written
//    into engine DRAM and read back by the GEMV unit (2 x chunk bytes of DRAM time), then the
//    GEMV unit runs gemv_flops x chunk/bytes FLOPs. Stages overlap across chunks (pipelining);
//  - after the last GEMV chunk, softmax over `softmax_elems` then top-k over `topk_elems`.
//
// Decode attention (EngineModel::attend; InstInfer's attend(layer, heads, tokens)) over a KV
// region at `address` with the paper's layout: K and V token-indexed, one flash page holds
// tokens_per_page = page_size / (head_dim x elem_bytes) tokens of one head (16 for 128 dims of
// fp16 in 4 KiB); for each sequence b < batch and KV head h < kv_heads, group g = b x kv_heads + h
// holds ceil(context / tokens_per_page) K pages followed by as many V pages, groups back to back
// from `address`; consecutive pages stripe across channels and dies (nand.h). Per group, in
// order: read K pages -> stage -> GEMV q.K (2 x q_per_kv x context x head_dim FLOPs, q_per_kv =
// q_heads / kv_heads) -> softmax (q_per_kv x context elements) -> [top-k] -> read V pages ->
// stage -> GEMV p.V (same FLOPs). Groups pipeline across units (flash reads of later groups run
// while earlier groups compute).
// SparF-like variant (sparse_keep = f < 1): per group, r = head_dim / 8 channels of a
// channel-indexed K copy are read (copy of group g at address + region() + g x
// ceil(r x context x elem_bytes / page) pages), approximate scores on the GEMV unit, top-k over
// all scores; then, after the selection, only the K and V pages holding selected tokens are read
// (page-level skip keeps half the sparsity: min(1, 2f) of the pages) and pass the per-channel
// filter, which keeps the selected f of the tokens for q.K, softmax and p.V.
// Engine time = max(flash read over the touched pages, staging, GEMV, softmax) + fill/drain,
// from the unit timelines; EngineTiming reports each unit's busy time (the breakdown).
// Sampling (for long serving runs; tests/csd/attention_test.cpp compares sampled and full timing):
//  - dense (engine key attend_sample_groups = S > 0): with more than S groups, the first S are
//    timed as above, group by group; the rest are extrapolated at the rate the second half of the
//    sample ran at (end and last flash byte advance by the same per-group step, from the two
//    marks at S/2 and S). Dense groups all issue their reads at once and reach an exactly periodic
//    state within a few groups;
//  - SparF (attend_sample_sparse_groups = S > 0, separate because SparF needs a far longer sample):
//    each group's reads wait for its own selection and later groups' channel-copy reads fill the
//    array's gaps, so the per-group step settles only after ~1000 groups and jitters by a few %
//    from group to group (TLC page types and the page rotation cycle); the step is the
//    least-squares slope of the running end (and last flash byte) over the sample's second half;
//  - both: every busy time and the flash bytes scale by groups / S (groups are identical in
//    shape), and the extrapolated busy time of the GEMV, DRAM, softmax and top-k units (and the
//    channel filters, spread evenly) is booked on their timelines after the sample; so is the
//    flash array's: each die and channel gets the busy time it had over the sample's second
//    half x rest / (groups in that half), as one block from the sample's last flash byte on
//    (FlashBackend::book_busy), so an operation overlapping the attention on the same drive
//    waits for the array about as it would behind every group timed, and the drive's busy
//    statistics count the whole attention.
//
// Compute transactions (TxnKind::kCompute) by txn.op.kind (kernel/transaction.h OpShape):
//  - kDecodeAttention: attend() with op.batch, q_heads, kv_heads (0: = q_heads), head_dim,
//    context, elem_bytes over the KV region at txn.address; op.k > 0 selects op.k tokens per
//    head (SparF, f = k / context), else the component's `sparse_keep` applies. txn.bytes is the
//    attention output the drive returns to the requester (batch x q_heads x head_dim x elem_bytes):
//    the fabric carries it back over the route as read data, so a policy issuing the transaction
//    with source = GPU, target = this csd gets the result by P2P DMA over the PCIe route (switch or
//    root complex) between them. The response window is the engine's end (first == last).
//  - kGemv: weights op.m x op.k of elem_bytes at txn.address, op.batch vectors (run()).
//  - kSoftmax / kTopK: op.elements on the engine's own data (no flash read).
//  - kGeneric: GEMV of txn.flops over [address, address + bytes) (run()).
// Host reads/writes are served as by `ssd`.
#pragma once

#include "models/flash/interval_timeline.h"
#include "models/flash/ssd.h"
#include "sim/config/config_error.h"
#include "sim/kernel/component.h"

namespace tiersim::models::csd {

struct EngineParams {
  double gemv_flops_per_s = 0;
  double softmax_elems_per_s = 0;
  double topk_elems_per_s = 0;
  Bandwidth filter_bandwidth;  // per channel
  Bandwidth dram_bandwidth;
  Bytes chunk = Bytes::KiB(256);
  Time command_latency;
  std::uint64_t attend_sample_groups = 0;         // dense; 0: time every group of attend()
  std::uint64_t attend_sample_sparse_groups = 0;  // SparF; 0: time every group of attend()
};

struct EngineOp {
  std::uint64_t address = 0;
  Bytes bytes;
  std::uint64_t gemv_flops = 0;
  std::uint64_t softmax_elems = 0;
  std::uint64_t topk_elems = 0;
};

// attend(layer, heads, tokens) of one layer for a batch (the layout in the header comment).
struct AttendOp {
  std::uint64_t address = 0;
  std::uint32_t batch = 1;
  std::uint32_t q_heads = 1;
  std::uint32_t kv_heads = 1;
  std::uint32_t head_dim = 128;
  std::uint64_t context = 0;
  std::uint32_t elem_bytes = 2;
  double sparse_keep = 1.0;  // SparF: fraction of tokens whose V is read (1 = dense)
  // Bytes of the KV region this op touches (K + V pages of every group).
  [[nodiscard]] Bytes region(Bytes page) const;
};

// Start/end of an engine operation and how busy each unit was during it.
struct EngineTiming {
  Time start;
  Time flash_done;  // last page in the controller
  Time gemv_done;
  Time end;         // last unit done
  Time flash_busy;  // flash read window (first issue to last byte)
  Time dram_busy;
  Time gemv_busy;
  Time softmax_busy;
  Time topk_busy;
  Time filter_busy;
  Bytes flash_bytes;  // read from flash
};

[[nodiscard]] config::SchemaPtr engine_schema();
[[nodiscard]] EngineParams engine_from_config(const config::Node& n);

class EngineModel {
 public:
  EngineModel(flash::FlashBackend& array, EngineParams p) : array_(array), p_(p) {}
  // `now` (<= start): the caller's time; bookings before it are dropped.
  EngineTiming run(const EngineOp& op, Time start, Time now = Time::zero());
  EngineTiming attend(const AttendOp& op, Time start, Time now = Time::zero());
  [[nodiscard]] const EngineParams& params() const { return p_; }
  [[nodiscard]] const flash::IntervalTimeline& gemv() const { return gemv_; }
  [[nodiscard]] const flash::IntervalTimeline& dram() const { return dram_; }
  [[nodiscard]] const flash::IntervalTimeline& softmax() const { return softmax_; }
  [[nodiscard]] const flash::IntervalTimeline& topk() const { return topk_; }
  [[nodiscard]] Time filter_busy() const;

 private:
  void forget(Time now);
  // Busy time of every die and channel so far (into die_mark_ / channel_mark_).
  void mark_array();
  // Books on the array what the extrapolated groups would keep it busy for (header comment).
  void book_array(Time from, std::uint64_t rest, std::uint64_t span);
  Time stage(Time ready, Bytes n, EngineTiming& t);
  // attend() sampling: extends `t` from the first `timed` of `groups` groups, whose end and last
  // flash byte advance by step_end and step_flash over the remaining groups (header comment).
  void extrapolate(EngineTiming& t, std::uint64_t groups, std::uint64_t timed, Time step_end,
                   Time step_flash);
  flash::FlashBackend& array_;
  EngineParams p_;
  flash::IntervalTimeline dram_, gemv_, softmax_, topk_;
  std::vector<flash::IntervalTimeline> filter_;  // one per channel
  Time forgotten_;
  std::vector<Time> die_mark_, channel_mark_;  // mark_array(); reused
  std::vector<Time> die_book_, channel_book_;  // book_array(); reused
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
  EngineTiming compute(const kernel::TxnExtension& txn, Time start);
  flash::SsdModel ssd_;
  EngineModel engine_;
  double sparse_keep_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& engine_ops_;
  stats::Counter& attention_ops_;
  stats::Counter& engine_bytes_;
  stats::Counter& engine_busy_ps_;
  stats::Counter& gemv_busy_ps_;
  stats::Counter& dram_busy_ps_;
  stats::Counter& softmax_busy_ps_;
  stats::Counter& topk_busy_ps_;
  stats::Counter& filter_busy_ps_;
  stats::TimeSeries& engine_bytes_series_;
  stats::LatencyHistogram& engine_latency_;
};

}  // namespace tiersim::models::csd
