#include "models/flash/ssd.h"

#include <stdexcept>
#include <utility>

#include "sim/config/config_error.h"

namespace tiersim::models::flash {

using config::Type;

config::SchemaPtr controller_schema() {
  auto s = std::make_shared<config::Schema>("flash.controller",
                                            "SSD controller: command latency and NVMe queueing.");
  s->add("latency", Type::kTime,
         "Per-command controller time (NVMe fetch, FTL lookup, firmware, ECC), pipelined.")
      .require();
  s->add("queue_depth", Type::kUInt,
         "Commands the drive keeps in flight; further commands wait for a completion.")
      .default_to("1024")
      .at_least(1);
  s->add("capacity", Type::kSize, "Host-visible capacity (requests beyond it are errors).")
      .require();
  s->add("ftl", Type::kBool,
         "Run writes through the page-level FTL with greedy GC (GC occupies dies).")
      .default_to("false");
  s->add("gc_threshold", Type::kUInt, "Free blocks below which garbage collection runs.")
      .default_to("2")
      .at_least(1);
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

ControllerParams controller_from_config(const config::Node& n) {
  ControllerParams c;
  c.latency = n.get_time("latency");
  c.queue_depth = static_cast<std::uint32_t>(n.get_uint("queue_depth"));
  c.capacity = n.get_size("capacity");
  c.ftl = n.get_bool("ftl");
  c.gc_threshold = static_cast<std::uint32_t>(n.get_uint("gc_threshold"));
  return c;
}

SsdModel::SsdModel(NandParams nand, ControllerParams ctrl) : array_(std::move(nand)), ctrl_(ctrl) {
  if (ctrl_.ftl) {
    const Geometry& g = array_.params().geometry;
    FtlParams f;
    f.logical_pages = ctrl_.capacity.count() / g.page_size.count();
    f.blocks = g.dies() * g.planes * g.blocks_per_plane;
    f.pages_per_block = g.pages_per_block;
    f.gc_threshold = ctrl_.gc_threshold;
    ftl_ = std::make_unique<Ftl>(f);
  }
}

Time SsdModel::admit(Time arrival) {
  // In-flight completions at or before `arrival` have freed their slots.
  while (!in_flight_.empty() && in_flight_.top() <= arrival.ps()) in_flight_.pop();
  if (in_flight_.size() < ctrl_.queue_depth) return arrival;
  const Time slot = Time::ps(in_flight_.top());
  in_flight_.pop();
  return slot;
}

void SsdModel::retire(Time done) {
  in_flight_.push(done.ps());
}

FlashTiming SsdModel::read(std::uint64_t address, Bytes bytes, Time arrival, Time now) {
  const Time issue = admit(arrival) + ctrl_.latency;
  FlashTiming t = array_.read(address, bytes, issue, now);
  retire(t.last);
  return t;
}

FlashTiming SsdModel::write(std::uint64_t address, Bytes bytes, Time arrival, Time data_last,
                            Time now) {
  const Time issue = admit(arrival) + ctrl_.latency;
  if (ftl_ && bytes.count() > 0) {
    const NandParams& p = array_.params();
    const std::uint64_t ps = p.geometry.page_size.count();
    const std::uint64_t logical = ctrl_.capacity.count() / ps;
    for (std::uint64_t lpn = address / ps; lpn <= (address + bytes.count() - 1) / ps; ++lpn) {
      ftl_->write(lpn % logical);
    }
    const Time per_page = p.mean_read() + p.mean_program();
    for (const GcEvent& e : ftl_->gc_events()) {
      const Time gc = per_page * e.moved + p.erase;
      array_.occupy_die(e.block % p.geometry.dies(), issue, gc);
      gc_busy_ += gc;
    }
    ftl_->clear_gc_events();
  }
  FlashTiming t = array_.program(address, bytes, issue, now);
  t.last = max(t.last, data_last + ctrl_.latency);
  retire(t.last);
  return t;
}

namespace {
SsdModel make_model(const config::Node& cfg) {
  try {
    return SsdModel(nand_from_config(cfg.at("nand")), controller_from_config(cfg.at("controller")));
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(cfg.at("controller").origin(), e.what());
  }
}
}  // namespace

config::SchemaPtr Ssd::schema() {
  auto s = std::make_shared<config::Schema>("ssd");
  s->add("nand", Type::kMap, "The NAND array.").nested(nand_schema()).require();
  s->add("controller", Type::kMap, "The controller.").nested(controller_schema()).require();
  s->add("fidelity", Type::kString,
         "fast: requests timed arithmetically over die/channel timelines (the only one so far).")
      .default_to("fast")
      .one_of({"fast"});
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

Ssd::Ssd(const kernel::BuildContext& ctx)
    : Component(ctx),
      model_(make_model(ctx.cfg)),
      reads_(stats().counter("reads", "Read commands served")),
      writes_(stats().counter("writes", "Write commands served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      flash_ops_(stats().counter("flash_ops", "Multi-plane flash operations issued")),
      channel_busy_ps_(stats().counter("channel_busy_ps", "Busy time summed over channels, ps")),
      die_busy_ps_(stats().counter("die_busy_ps", "Busy time summed over dies, ps")),
      gc_runs_(stats().counter("gc_runs", "Garbage collections (controller.ftl)")),
      erases_(stats().counter("erases", "Block erases (controller.ftl)")),
      flash_page_writes_(stats().counter("flash_page_writes", "Pages programmed incl. GC")),
      host_page_writes_(stats().counter("host_page_writes", "Pages written by the host (FTL)")),
      gc_busy_ps_(stats().counter("gc_busy_ps", "Die time spent on garbage collection, ps")),
      read_series_(stats().series("bytes_read", "B", "Bytes read per window")),
      write_series_(stats().series("bytes_written", "B", "Bytes written per window")) {}

kernel::DataWindow Ssd::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  if (txn.kind == kernel::TxnKind::kWrite) {
    const FlashTiming t = model_.write(txn.address, txn.bytes, in.first, in.last, txn.now);
    writes_.add();
    bytes_written_.add(txn.bytes.count());
    flash_ops_.add(t.ops);
    write_series_.add_interval(in.first, t.last, txn.bytes.as_double());
    return {t.last, t.last};
  }
  const FlashTiming t = model_.read(txn.address, txn.bytes, in.first, txn.now);
  reads_.add();
  bytes_read_.add(txn.bytes.count());
  flash_ops_.add(t.ops);
  read_series_.add_interval(t.first, t.last, txn.bytes.as_double());
  return {t.first, t.last};
}

void Ssd::finalize(Time /*end*/) {
  Time c;
  for (const auto& ch : model_.array().channels()) c += ch.busy_time();
  Time d;
  for (const auto& die : model_.array().dies()) d += die.busy_time();
  channel_busy_ps_.value = static_cast<std::uint64_t>(c.ps());
  die_busy_ps_.value = static_cast<std::uint64_t>(d.ps());
  gc_busy_ps_.value = static_cast<std::uint64_t>(model_.gc_busy().ps());
  if (Ftl* f = model_.ftl()) {
    gc_runs_.value = f->gc_runs();
    erases_.value = f->erases();
    flash_page_writes_.value = f->flash_writes();
    host_page_writes_.value = f->host_writes();
  }
}

TIERSIM_REGISTER_COMPONENT("ssd", Ssd,
                           "NVMe SSD: NAND channels/dies/planes with per-page-type timing, "
                           "striping, controller latency and queue depth.");

}  // namespace tiersim::models::flash
