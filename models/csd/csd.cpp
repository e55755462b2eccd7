#include "models/csd/csd.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tiersim::models::csd {

using config::Type;

namespace {
Time rate_time(double amount, double per_s) {
  if (amount <= 0.0) return Time::zero();
  return Time::ps(static_cast<std::int64_t>(std::ceil(amount / per_s * 1e12)));
}
std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}
std::uint64_t tokens_per_page(const AttendOp& op, Bytes page) {
  return std::max<std::uint64_t>(
      1, page.count() / (std::uint64_t{op.head_dim} * std::max<std::uint32_t>(1, op.elem_bytes)));
}
// Least-squares slope of y over x (SparF sampling: per-group step of the running end).
struct SlopeFit {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  void add(double x, double y) {
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  [[nodiscard]] double slope() const {
    const double d = n * sxx - sx * sx;
    return d > 0 ? (n * sxy - sx * sy) / d : 0.0;
  }
};
}  // namespace

Bytes AttendOp::region(Bytes page) const {
  const std::uint64_t side = ceil_div(context, tokens_per_page(*this, page)) * page.count();
  return Bytes(std::uint64_t{batch} * kv_heads * 2 * side);
}

config::SchemaPtr engine_schema() {
  auto s = std::make_shared<config::Schema>("csd.engine", "The in-storage compute engine.");
  s->add("gemv_gflops", Type::kFloat, "GEMV MAC-array throughput, GFLOP/s.").require();
  s->add("softmax_melems", Type::kFloat, "Softmax unit throughput, million elements/s.").require();
  s->add("topk_melems", Type::kFloat, "Top-k unit throughput, million elements/s.").require();
  s->add("filter_bandwidth", Type::kBandwidth,
         "Per-channel token filter in the flash controller (SparF), bytes/s per channel.")
      .default_to("1.85 GB/s");
  s->add("dram_bandwidth", Type::kBandwidth, "Engine DRAM bandwidth (staging buffer).").require();
  s->add("chunk", Type::kSize, "Pipelining granularity of a generic engine operation.")
      .default_to("256 KiB");
  s->add("command_latency", Type::kTime, "Engine command decode before the first flash read.")
      .default_to("0 ns");
  s->add("attend_sample_groups", Type::kUInt,
         "Dense decode attention over more (sequence, KV head) groups than this times this many "
         "and extrapolates the rest at the sample's steady rate (0 = time every group; at least "
         "4 otherwise). For long serving runs; docs/models/csd.md.")
      .default_to("0");
  s->add("attend_sample_sparse_groups", Type::kUInt,
         "As attend_sample_groups for SparF attention (sparse_keep < 1 or op.k), whose per-group "
         "step settles far later: 0 = time every group; at least 256 otherwise (2048 keeps "
         "OPT-13B shapes within 1%). For long serving runs; docs/models/csd.md.")
      .default_to("0");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

EngineParams engine_from_config(const config::Node& n) {
  EngineParams p;
  p.gemv_flops_per_s = n.get_double("gemv_gflops") * 1e9;
  p.softmax_elems_per_s = n.get_double("softmax_melems") * 1e6;
  p.topk_elems_per_s = n.get_double("topk_melems") * 1e6;
  p.filter_bandwidth = n.get_bandwidth("filter_bandwidth");
  p.dram_bandwidth = n.get_bandwidth("dram_bandwidth");
  p.chunk = n.get_size("chunk");
  if (p.chunk.count() == 0 || p.gemv_flops_per_s <= 0 || p.softmax_elems_per_s <= 0 ||
      p.topk_elems_per_s <= 0 || p.filter_bandwidth.bytes_per_second() <= 0) {
    throw config::ConfigError(n.origin(), "csd.engine: rates and chunk must be > 0");
  }
  p.command_latency = n.get_time("command_latency");
  p.attend_sample_groups = n.get_uint("attend_sample_groups");
  if (p.attend_sample_groups != 0 && p.attend_sample_groups < 4) {
    throw config::ConfigError(n.at("attend_sample_groups").origin(),
                              "csd.engine.attend_sample_groups: 0 or at least 4");
  }
  p.attend_sample_sparse_groups = n.get_uint("attend_sample_sparse_groups");
  if (p.attend_sample_sparse_groups != 0 && p.attend_sample_sparse_groups < 256) {
    throw config::ConfigError(n.at("attend_sample_sparse_groups").origin(),
                              "csd.engine.attend_sample_sparse_groups: 0 or at least 256");
  }
  return p;
}

void EngineModel::extrapolate(EngineTiming& t, std::uint64_t groups, std::uint64_t timed,
                              Time step_end, Time step_flash) {
  const auto scaled = [&](Time busy) {
    return Time::ps(static_cast<std::int64_t>(
        static_cast<double>(busy.ps()) * static_cast<double>(groups) / static_cast<double>(timed)));
  };
  // Book the units' extrapolated work after the sample, so later operations queue behind it.
  const auto book = [&](flash::IntervalTimeline& unit, Time& busy) {
    const Time total = scaled(busy);
    const Time extra = total - busy;
    if (extra > Time::zero()) (void)unit.reserve(t.end, extra);
    busy = total;
  };
  book(gemv_, t.gemv_busy);
  book(dram_, t.dram_busy);
  book(softmax_, t.softmax_busy);
  book(topk_, t.topk_busy);
  // Filters (SparF): groups rotate over the channels, so the extra work is spread evenly.
  const Time filters = scaled(t.filter_busy);
  const Time per_filter =
      filter_.empty()
          ? Time::zero()
          : Time::ps((filters - t.filter_busy).ps() / static_cast<std::int64_t>(filter_.size()));
  if (per_filter > Time::zero()) {
    for (auto& f : filter_) (void)f.reserve(t.end, per_filter);
  }
  t.filter_busy = filters;
  t.flash_bytes =
      Bytes(static_cast<std::uint64_t>(static_cast<double>(t.flash_bytes.count()) *
                                       static_cast<double>(groups) / static_cast<double>(timed)));
  t.flash_busy += step_flash;
  t.flash_done += step_flash;
  t.gemv_done += step_end;
  t.end += step_end;
}

void EngineModel::mark_array() {
  const flash::Geometry& g = array_.params().geometry;
  die_mark_.resize(g.dies());
  channel_mark_.resize(g.channels);
  for (std::uint32_t d = 0; d < g.dies(); ++d) die_mark_[d] = array_.die_busy(d);
  for (std::uint32_t c = 0; c < g.channels; ++c) channel_mark_[c] = array_.channel_busy(c);
}

void EngineModel::book_array(Time from, std::uint64_t rest, std::uint64_t span) {
  const flash::Geometry& g = array_.params().geometry;
  const auto ahead = [&](Time now, Time mark) {
    return Time::ps(static_cast<std::int64_t>(static_cast<double>((now - mark).ps()) *
                                              static_cast<double>(rest) /
                                              static_cast<double>(span)));
  };
  die_book_.resize(g.dies());
  channel_book_.resize(g.channels);
  for (std::uint32_t d = 0; d < g.dies(); ++d) {
    die_book_[d] = ahead(array_.die_busy(d), die_mark_[d]);
  }
  for (std::uint32_t c = 0; c < g.channels; ++c) {
    channel_book_[c] = ahead(array_.channel_busy(c), channel_mark_[c]);
  }
  array_.book_busy(from, die_book_, channel_book_);
}

void EngineModel::forget(Time now) {
  if (now <= forgotten_ + Time::us(100)) return;
  for (auto* t : {&dram_, &gemv_, &softmax_, &topk_}) t->forget_before(now);
  for (auto& f : filter_) f.forget_before(now);
  forgotten_ = now;
}

Time EngineModel::filter_busy() const {
  Time b;
  for (const auto& f : filter_) b += f.busy_time();
  return b;
}

Time EngineModel::stage(Time ready, Bytes n, EngineTiming& t) {
  // Written into engine DRAM by the flash side, read back by the compute units.
  const Time d = p_.dram_bandwidth.transfer_time(Bytes(2 * n.count()));
  t.dram_busy += d;
  return dram_.reserve(ready, d) + d;
}

EngineTiming EngineModel::run(const EngineOp& op, Time start, Time now) {
  forget(now);
  EngineTiming t;
  t.start = start;
  const Time issue = start + p_.command_latency;
  Time first_flash = Time::max();
  Time gemv_done = issue;
  Time flash_done = issue;
  const std::uint64_t total = op.bytes.count();
  for (std::uint64_t off = 0; off < total; off += p_.chunk.count()) {
    const std::uint64_t n = std::min<std::uint64_t>(p_.chunk.count(), total - off);
    const flash::FlashTiming f = array_.read(op.address + off, Bytes(n), issue, now);
    first_flash = min(first_flash, f.first);
    flash_done = max(flash_done, f.last);
    const Time staged = stage(f.last, Bytes(n), t);
    const double share = static_cast<double>(n) / static_cast<double>(total);
    const Time mac = rate_time(static_cast<double>(op.gemv_flops) * share, p_.gemv_flops_per_s);
    gemv_done = max(gemv_done, gemv_.reserve(staged, mac) + mac);
    t.gemv_busy += mac;
  }
  if (total == 0 && op.gemv_flops > 0) {  // GEMV on engine-resident data
    const Time mac = rate_time(static_cast<double>(op.gemv_flops), p_.gemv_flops_per_s);
    gemv_done = gemv_.reserve(issue, mac) + mac;
    t.gemv_busy += mac;
  }
  const Time sm = rate_time(static_cast<double>(op.softmax_elems), p_.softmax_elems_per_s);
  const Time softmax_done = softmax_.reserve(gemv_done, sm) + sm;
  const Time tk = rate_time(static_cast<double>(op.topk_elems), p_.topk_elems_per_s);
  t.end = topk_.reserve(softmax_done, tk) + tk;
  t.flash_done = flash_done;
  t.gemv_done = gemv_done;
  t.flash_busy = total == 0 ? Time::zero() : flash_done - first_flash;
  t.softmax_busy = sm;
  t.topk_busy = tk;
  t.flash_bytes = op.bytes;
  return t;
}

EngineTiming EngineModel::attend(const AttendOp& op, Time start, Time now) {
  forget(now);
  const flash::NandParams& np = array_.params();
  const Bytes page = np.geometry.page_size;
  if (filter_.empty()) filter_.resize(np.geometry.channels);
  const Time filter0 = filter_busy();
  EngineTiming t;
  t.start = start;
  const Time issue = start + p_.command_latency;
  const std::uint64_t tpp = tokens_per_page(op, page);
  const std::uint64_t pages = ceil_div(op.context, tpp);  // per side (K or V) per group
  const std::uint64_t side = pages * page.count();
  const std::uint64_t groups = std::uint64_t{op.batch} * op.kv_heads;
  const std::uint64_t q_per_kv = std::max<std::uint32_t>(1, op.q_heads / std::max(1u, op.kv_heads));
  const double scores = static_cast<double>(q_per_kv * op.context);
  const double flops = 2.0 * scores * op.head_dim;  // q.K (and p.V) of one group
  const bool sparse = op.sparse_keep < 1.0;
  const double keep = sparse ? op.sparse_keep : 1.0;
  // SparF: approximate scores from r = head_dim / 8 channels of the channel-indexed K copy
  // (compression 1/8), top-k, then only the pages holding selected tokens are read (page-level
  // skip keeps about half of the sparsity: 2 x keep of the pages) and the per-channel filter
  // passes the selected tokens on. Copy of group g: at address + region + g x copy bytes.
  const std::uint64_t r = std::max<std::uint32_t>(1, op.head_dim / 8);
  const std::uint64_t copy =
      ceil_div(r * op.context * std::max<std::uint32_t>(1, op.elem_bytes), page.count()) *
      page.count();
  const std::uint64_t touched =
      sparse ? std::max<std::uint64_t>(
                   1, std::min<std::uint64_t>(pages, static_cast<std::uint64_t>(std::ceil(
                                                         static_cast<double>(pages) * 2.0 * keep))))
             : pages;
  const std::uint64_t copy_base = op.address + groups * 2 * side;
  Time first_flash = Time::max();
  auto read = [&](std::uint64_t addr, std::uint64_t bytes, Time at) {
    const flash::FlashTiming f = array_.read(addr, Bytes(bytes), at, now);
    t.flash_bytes += Bytes(bytes);
    first_flash = min(first_flash, f.first);
    t.flash_done = max(t.flash_done, f.last);
    return f.last;
  };
  auto filter = [&](std::uint64_t g, Time ready, std::uint64_t n_pages) {
    const std::uint64_t per_channel = ceil_div(n_pages, np.geometry.channels);
    const Time f = p_.filter_bandwidth.transfer_time(Bytes(per_channel * page.count()));
    Time done = ready;
    for (std::uint32_t c = 0; c < std::min<std::uint64_t>(n_pages, filter_.size()); ++c) {
      flash::IntervalTimeline& unit = filter_[(g + c) % filter_.size()];
      done = max(done, unit.reserve(ready, f) + f);
    }
    return done;
  };
  auto gemv = [&](Time ready, double f) {
    const Time d = rate_time(f, p_.gemv_flops_per_s);
    t.gemv_busy += d;
    return gemv_.reserve(ready, d) + d;
  };
  // Sampling (header comment): dense from the two marks at timed / 2 and timed; SparF from the
  // least-squares slope of the running end and last flash byte over the second half.
  const std::uint64_t sample = sparse ? p_.attend_sample_sparse_groups : p_.attend_sample_groups;
  const bool sampled = sample != 0 && groups > sample;
  const std::uint64_t timed = sampled ? sample : groups;
  Time end_half;
  Time flash_half;
  SlopeFit fit_end;
  SlopeFit fit_flash;
  for (std::uint64_t g = 0; g < timed; ++g) {
    if (sampled && g == timed / 2) {
      end_half = t.end;
      flash_half = t.flash_done;
      mark_array();
    }
    const std::uint64_t k_addr = op.address + g * 2 * side;
    const std::uint64_t v_addr = k_addr + side;
    Time k_ready;
    Time v_ready;
    Bytes k_kept(side);
    Bytes v_kept(side);
    Time select = issue;
    if (sparse) {
      const Time c_ready = read(copy_base + g * copy, copy, issue);
      const Time approx = gemv(stage(c_ready, Bytes(copy), t), 2.0 * scores * r);
      const Time tk = rate_time(scores, p_.topk_elems_per_s);
      t.topk_busy += tk;
      select = topk_.reserve(approx, tk) + tk;  // the exact reads depend on the selection
      // The touched pages are spread over the head's pages (data-dependent); modelled as a run
      // of `touched` pages starting at a per-group rotation, so groups cover every die.
      const std::uint64_t rot = (g * touched) % pages;
      auto read_run = [&](std::uint64_t base) {
        const std::uint64_t first = std::min(touched, pages - rot);
        Time done = read(base + rot * page.count(), first * page.count(), select);
        if (touched > first) done = max(done, read(base, (touched - first) * page.count(), select));
        return done;
      };
      k_ready = filter(g, read_run(k_addr), touched);
      v_ready = filter(g, read_run(v_addr), touched);
      k_kept = Bytes(static_cast<std::uint64_t>(std::ceil(keep * static_cast<double>(side))));
      v_kept = k_kept;
    } else {
      // K and V of a group are adjacent: one read, so each die senses two pages per multi-plane
      // operation (64 dies x 2 planes = 128 pages = 16 tokens x 128 x ... of one 1024-token head).
      k_ready = read(k_addr, 2 * side, issue);
      v_ready = k_ready;
    }
    const Time qk = gemv(stage(k_ready, k_kept, t), flops * keep);
    const Time sm = rate_time(scores * keep, p_.softmax_elems_per_s);
    t.softmax_busy += sm;
    const Time soft = softmax_.reserve(qk, sm) + sm;
    const Time done = gemv(max(soft, stage(v_ready, v_kept, t)), flops * keep);
    t.gemv_done = max(t.gemv_done, done);
    t.end = max(t.end, done);
    if (sampled && sparse && g >= timed / 2) {
      const auto x = static_cast<double>(g - timed / 2);
      fit_end.add(x, static_cast<double>((t.end - end_half).ps()));
      fit_flash.add(x, static_cast<double>((t.flash_done - flash_half).ps()));
    }
  }
  t.end = max(t.end, issue);
  t.flash_busy = groups == 0 ? Time::zero() : t.flash_done - first_flash;
  t.filter_busy = filter_busy() - filter0;
  if (sampled) {
    const std::uint64_t rest = groups - timed;
    Time step_end;
    Time step_flash;
    if (sparse) {
      const auto ahead = [&](const SlopeFit& f) {
        return Time::ps(
            static_cast<std::int64_t>(std::max(0.0, f.slope()) * static_cast<double>(rest)));
      };
      step_end = ahead(fit_end);
      step_flash = ahead(fit_flash);
    } else {
      const std::uint64_t span = timed - timed / 2;  // groups between the two marks
      const auto ahead = [&](Time from, Time to) {
        return Time::ps(static_cast<std::int64_t>(static_cast<double>((to - from).ps()) *
                                                  static_cast<double>(rest) /
                                                  static_cast<double>(span)));
      };
      step_end = ahead(end_half, t.end);
      step_flash = ahead(flash_half, t.flash_done);
    }
    book_array(t.flash_done, rest, timed - timed / 2);
    extrapolate(t, groups, timed, step_end, step_flash);
  }
  return t;
}

config::SchemaPtr Csd::schema() {
  auto s = std::make_shared<config::Schema>("csd");
  s->add("nand", Type::kMap, "The NAND array.").nested(flash::nand_schema()).require();
  s->add("controller", Type::kMap, "The SSD controller (host path).")
      .nested(flash::controller_schema())
      .require();
  s->add("engine", Type::kMap, "The in-storage engine.").nested(engine_schema()).require();
  s->add("fidelity", Type::kString, "Flash array fidelity (as for ssd): fast or detailed.")
      .default_to("fast")
      .one_of({"fast", "detailed"});
  s->add("sparse_keep", Type::kFloat,
         "SparF-like attention: fraction of tokens kept (top-k); 1 = dense attention.")
      .default_to("1");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

Csd::Csd(const kernel::BuildContext& ctx)
    : Component(ctx),
      ssd_(flash::nand_from_config(ctx.cfg.at("nand")),
           flash::controller_from_config(ctx.cfg.at("controller")),
           flash::parse_fidelity(ctx.cfg.get_string("fidelity"))),
      engine_(ssd_.array(), engine_from_config(ctx.cfg.at("engine"))),
      sparse_keep_(ctx.cfg.get_double("sparse_keep")),
      reads_(stats().counter("reads", "Host read commands served")),
      writes_(stats().counter("writes", "Host write commands served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read by the host")),
      bytes_written_(stats().counter("bytes_written", "Bytes written by the host")),
      engine_ops_(stats().counter("engine_ops", "Engine operations run")),
      attention_ops_(stats().counter("attention_ops", "Decode-attention operations run")),
      engine_bytes_(stats().counter("engine_bytes", "Flash bytes read by the engine")),
      engine_busy_ps_(stats().counter("engine_busy_ps", "Sum of engine operation times, ps")),
      gemv_busy_ps_(stats().counter("gemv_busy_ps", "GEMV unit busy time, ps")),
      dram_busy_ps_(stats().counter("dram_busy_ps", "Engine DRAM busy time, ps")),
      softmax_busy_ps_(stats().counter("softmax_busy_ps", "Softmax unit busy time, ps")),
      topk_busy_ps_(stats().counter("topk_busy_ps", "Top-k unit busy time, ps")),
      filter_busy_ps_(stats().counter("filter_busy_ps", "Channel filters' busy time, ps")),
      engine_bytes_series_(
          stats().series("engine_bytes", "B", "Flash bytes read by the engine per window")),
      engine_latency_(stats().histogram("engine_latency", "Engine operation: arrival to end")) {
  if (sparse_keep_ <= 0.0 || sparse_keep_ > 1.0) {
    throw config::ConfigError(ctx.cfg.at("sparse_keep").origin(), "sparse_keep: must be in (0, 1]");
  }
}

EngineTiming Csd::compute(const kernel::TxnExtension& txn, Time start) {
  const kernel::OpShape& s = txn.op;
  switch (s.kind) {
    case kernel::OpKind::kDecodeAttention: {
      AttendOp a;
      a.address = txn.address;
      a.batch = s.batch;
      a.q_heads = s.q_heads;
      a.kv_heads = s.kv_heads == 0 ? s.q_heads : s.kv_heads;
      a.head_dim = s.head_dim;
      a.context = s.context;
      a.elem_bytes = s.elem_bytes;
      // op.k selected tokens per head (SparF top-k) overrides the component's sparse_keep.
      a.sparse_keep = s.k > 0 && s.context > 0
                          ? std::min(1.0, static_cast<double>(s.k) / static_cast<double>(s.context))
                          : sparse_keep_;
      attention_ops_.add();
      return engine_.attend(a, start, txn.now);
    }
    case kernel::OpKind::kGemv: {
      EngineOp op;
      op.address = txn.address;
      op.bytes = Bytes(std::uint64_t{s.m} * s.k * s.elem_bytes);
      op.gemv_flops = 2ull * s.m * s.k * std::max(1u, s.batch);
      return engine_.run(op, start, txn.now);
    }
    case kernel::OpKind::kSoftmax: {
      EngineOp op;
      op.softmax_elems = s.elements;
      return engine_.run(op, start, txn.now);
    }
    case kernel::OpKind::kTopK: {
      EngineOp op;
      op.topk_elems = s.elements;
      return engine_.run(op, start, txn.now);
    }
    case kernel::OpKind::kGeneric: {
      EngineOp op;
      op.address = txn.address;
      op.bytes = txn.bytes;
      op.gemv_flops = txn.flops;
      return engine_.run(op, start, txn.now);
    }
    default:
      throw std::invalid_argument(fmt::format("csd {}: cannot run operator {}", component_name(),
                                              kernel::op_kind_name(s.kind)));
  }
}

kernel::DataWindow Csd::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  switch (txn.kind) {
    case kernel::TxnKind::kCompute: {
      const EngineTiming t = compute(txn, in.first);
      engine_ops_.add();
      engine_bytes_.add(t.flash_bytes.count());
      engine_busy_ps_.add(static_cast<std::uint64_t>((t.end - t.start).ps()));
      if (t.flash_bytes.count() > 0) {
        engine_bytes_series_.add_interval(t.start, max(t.start, t.flash_done),
                                          t.flash_bytes.as_double());
      }
      engine_latency_.add(t.end - in.first);
      return {t.end, t.end};
    }
    case kernel::TxnKind::kWrite: {
      ssd_.write(txn.address, txn.bytes, in.first, in.last, txn.now, txn.stream);
      writes_.add();
      bytes_written_.add(txn.bytes.count());
      const Time ack = ssd_.last().ack;
      return {ack, ack};
    }
    case kernel::TxnKind::kRead:
      break;
  }
  const flash::FlashTiming t = ssd_.read(txn.address, txn.bytes, in.first, txn.now, txn.stream);
  reads_.add();
  bytes_read_.add(txn.bytes.count());
  return {t.first, t.last};
}

void Csd::finalize(Time /*end*/) {
  gemv_busy_ps_.value = static_cast<std::uint64_t>(engine_.gemv().busy_time().ps());
  dram_busy_ps_.value = static_cast<std::uint64_t>(engine_.dram().busy_time().ps());
  softmax_busy_ps_.value = static_cast<std::uint64_t>(engine_.softmax().busy_time().ps());
  topk_busy_ps_.value = static_cast<std::uint64_t>(engine_.topk().busy_time().ps());
  filter_busy_ps_.value = static_cast<std::uint64_t>(engine_.filter_busy().ps());
}

TIERSIM_REGISTER_COMPONENT("csd", Csd,
                           "Computational storage: an ssd plus an in-storage engine (GEMV, "
                           "softmax, top-k, channel filters, engine DRAM) reading flash without "
                           "crossing PCIe; decode attention over a KV region.");

}  // namespace tiersim::models::csd
