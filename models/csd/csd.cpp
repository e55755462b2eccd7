#include "models/csd/csd.h"

#include <cmath>

namespace tiersim::models::csd {

using config::Type;

namespace {
Time rate_time(double amount, double per_s) {
  if (amount <= 0.0) return Time::zero();
  return Time::ps(static_cast<std::int64_t>(std::ceil(amount / per_s * 1e12)));
}
}  // namespace

config::SchemaPtr engine_schema() {
  auto s = std::make_shared<config::Schema>("csd.engine", "The in-storage compute engine.");
  s->add("gemv_gflops", Type::kFloat, "GEMV MAC-array throughput, GFLOP/s.").require();
  s->add("softmax_melems", Type::kFloat, "Softmax unit throughput, million elements/s.").require();
  s->add("topk_melems", Type::kFloat, "Top-k unit throughput, million elements/s.").require();
  s->add("dram_bandwidth", Type::kBandwidth, "Engine DRAM bandwidth (staging buffer).").require();
  s->add("chunk", Type::kSize, "Pipelining granularity of an engine operation.")
      .default_to("256 KiB");
  s->add("command_latency", Type::kTime, "Engine command decode before the first flash read.")
      .default_to("0 ns");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

EngineParams engine_from_config(const config::Node& n) {
  EngineParams p;
  p.gemv_flops_per_s = n.get_double("gemv_gflops") * 1e9;
  p.softmax_elems_per_s = n.get_double("softmax_melems") * 1e6;
  p.topk_elems_per_s = n.get_double("topk_melems") * 1e6;
  p.dram_bandwidth = n.get_bandwidth("dram_bandwidth");
  p.chunk = n.get_size("chunk");
  if (p.chunk.count() == 0 || p.gemv_flops_per_s <= 0 || p.softmax_elems_per_s <= 0 ||
      p.topk_elems_per_s <= 0) {
    throw config::ConfigError(n.origin(), "csd.engine: rates and chunk must be > 0");
  }
  p.command_latency = n.get_time("command_latency");
  return p;
}

EngineTiming EngineModel::run(const EngineOp& op, Time start) {
  EngineTiming t;
  t.start = start;
  const Time issue = start + p_.command_latency;
  Time first_flash = Time::max();
  Time gemv_done = issue;
  Time flash_done = issue;
  const std::uint64_t total = op.bytes.count();
  for (std::uint64_t off = 0; off < total; off += p_.chunk.count()) {
    const std::uint64_t n = std::min<std::uint64_t>(p_.chunk.count(), total - off);
    const flash::FlashTiming f = array_.read(op.address + off, Bytes(n), issue, start);
    first_flash = min(first_flash, f.first);
    flash_done = max(flash_done, f.last);
    const Time staging = p_.dram_bandwidth.transfer_time(Bytes(2 * n));
    const Time staged = dram_.reserve(f.last, staging) + staging;
    t.dram_busy += staging;
    const double share = static_cast<double>(n) / static_cast<double>(total);
    const Time mac = rate_time(static_cast<double>(op.gemv_flops) * share, p_.gemv_flops_per_s);
    gemv_done = gemv_.reserve(staged, mac) + mac;
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
  return t;
}

config::SchemaPtr Csd::schema() {
  auto s = std::make_shared<config::Schema>("csd");
  s->add("nand", Type::kMap, "The NAND array.").nested(flash::nand_schema()).require();
  s->add("controller", Type::kMap, "The SSD controller (host path).")
      .nested(flash::controller_schema())
      .require();
  s->add("engine", Type::kMap, "The in-storage engine.").nested(engine_schema()).require();
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

Csd::Csd(const kernel::BuildContext& ctx)
    : Component(ctx),
      ssd_(flash::nand_from_config(ctx.cfg.at("nand")),
           flash::controller_from_config(ctx.cfg.at("controller"))),
      engine_(ssd_.array(), engine_from_config(ctx.cfg.at("engine"))),
      reads_(stats().counter("reads", "Host read commands served")),
      writes_(stats().counter("writes", "Host write commands served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read by the host")),
      bytes_written_(stats().counter("bytes_written", "Bytes written by the host")),
      engine_ops_(stats().counter("engine_ops", "Engine operations run")),
      engine_bytes_(stats().counter("engine_bytes", "Flash bytes read by the engine")),
      gemv_busy_ps_(stats().counter("gemv_busy_ps", "GEMV unit busy time, ps")),
      dram_busy_ps_(stats().counter("dram_busy_ps", "Engine DRAM busy time, ps")) {}

kernel::DataWindow Csd::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  switch (txn.kind) {
    case kernel::TxnKind::kCompute: {
      EngineOp op;
      op.address = txn.address;
      op.bytes = txn.bytes;
      op.gemv_flops = txn.flops;
      const EngineTiming t = engine_.run(op, in.first);
      engine_ops_.add();
      engine_bytes_.add(txn.bytes.count());
      return {t.end, t.end};
    }
    case kernel::TxnKind::kWrite: {
      const flash::FlashTiming t = ssd_.write(txn.address, txn.bytes, in.first, in.last, txn.now);
      writes_.add();
      bytes_written_.add(txn.bytes.count());
      return {t.last, t.last};
    }
    case kernel::TxnKind::kRead:
      break;
  }
  const flash::FlashTiming t = ssd_.read(txn.address, txn.bytes, in.first, txn.now);
  reads_.add();
  bytes_read_.add(txn.bytes.count());
  return {t.first, t.last};
}

void Csd::finalize(Time /*end*/) {
  gemv_busy_ps_.value = static_cast<std::uint64_t>(engine_.gemv().busy_time().ps());
  dram_busy_ps_.value = static_cast<std::uint64_t>(engine_.dram().busy_time().ps());
}

TIERSIM_REGISTER_COMPONENT("csd", Csd,
                           "Computational storage: an ssd plus an in-storage engine (GEMV, "
                           "softmax, top-k, engine DRAM) reading flash without crossing PCIe.");

}  // namespace tiersim::models::csd
