#include "models/flash/ssd.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "models/flash/detailed_array.h"
#include "models/flash/flash_array.h"
#include "sim/config/config_error.h"

namespace tiersim::models::flash {

using config::Type;

Fidelity parse_fidelity(const std::string& s) {
  return s == "detailed" ? Fidelity::kDetailed : Fidelity::kFast;
}

config::SchemaPtr controller_schema() {
  auto s = std::make_shared<config::Schema>(
      "flash.controller", "SSD controller: command latency, NVMe queues, DRAM, FTL.");
  s->add("latency", Type::kTime,
         "Per-command controller time (NVMe fetch, FTL lookup, firmware, ECC), pipelined.")
      .require();
  s->add("queue_depth", Type::kUInt,
         "Depth of each NVMe submission queue: commands in flight per queue; further commands "
         "wait for a completion.")
      .default_to("1024")
      .at_least(1);
  s->add("submission_queues", Type::kUInt,
         "NVMe submission/completion queue pairs; a request uses queue (stream mod this).")
      .default_to("1")
      .at_least(1);
  s->add("capacity", Type::kSize, "Host-visible capacity (requests beyond it are errors).")
      .require();
  s->add("write_buffer", Type::kSize,
         "Controller DRAM that buffers writes (acknowledged once buffered, programmed later); "
         "0 B: writes complete when programmed.")
      .default_to("0 B");
  s->add("mapping_cache", Type::kSize,
         "Controller DRAM for the mapping table's translation pages (4 B per entry); a miss "
         "reads the page from flash. 0 B: the whole table is in DRAM.")
      .default_to("0 B");
  s->add("ftl", Type::kBool,
         "Run writes through the page-level FTL with greedy GC (GC occupies dies).")
      .default_to("false");
  s->add("gc_threshold", Type::kUInt, "Free blocks below which garbage collection runs.")
      .default_to("2")
      .at_least(1);
  s->add("precondition_fill", Type::kFloat,
         "With ftl: share of the logical pages filled sequentially before the run (fast "
         "preconditioning, no simulated writes); 0: start empty.")
      .default_to("0");
  s->add("precondition_overwrites", Type::kUInt,
         "With ftl: uniform random page overwrites applied after the fill (untimed), to reach "
         "a GC steady state.")
      .default_to("0");
  s->add("precondition_seed", Type::kUInt, "Seed of the preconditioning overwrites.")
      .default_to("1");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

ControllerParams controller_from_config(const config::Node& n) {
  ControllerParams c;
  c.latency = n.get_time("latency");
  c.queue_depth = static_cast<std::uint32_t>(n.get_uint("queue_depth"));
  c.submission_queues = static_cast<std::uint32_t>(n.get_uint("submission_queues"));
  c.capacity = n.get_size("capacity");
  c.write_buffer = n.get_size("write_buffer");
  c.mapping_cache = n.get_size("mapping_cache");
  c.ftl = n.get_bool("ftl");
  c.gc_threshold = static_cast<std::uint32_t>(n.get_uint("gc_threshold"));
  c.precondition_fill = n.get_double("precondition_fill");
  if (c.precondition_fill < 0.0 || c.precondition_fill > 1.0) {
    throw config::ConfigError(n.at("precondition_fill").origin(),
                              "precondition_fill: must be in [0, 1]");
  }
  c.precondition_overwrites = n.get_uint("precondition_overwrites");
  c.precondition_seed = n.get_uint("precondition_seed");
  return c;
}

namespace {
std::unique_ptr<FlashBackend> make_array(NandParams nand, Fidelity f) {
  if (f == Fidelity::kDetailed) return std::make_unique<DetailedFlash>(std::move(nand));
  return std::make_unique<FlashArray>(std::move(nand));
}
std::uint64_t entries_per_tpage(const NandParams& n) {
  return std::max<std::uint64_t>(1, n.geometry.page_size.count() / 4);
}
std::uint64_t tpages(const NandParams& n, const ControllerParams& c) {
  const std::uint64_t lpns = c.capacity.count() / n.geometry.page_size.count() + 1;
  return (lpns + entries_per_tpage(n) - 1) / entries_per_tpage(n);
}
std::uint32_t cached_tpages(const NandParams& n, const ControllerParams& c) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(
      c.mapping_cache.count() / n.geometry.page_size.count(), tpages(n, c)));
}
}  // namespace

SsdModel::SsdModel(NandParams nand, ControllerParams ctrl, Fidelity fidelity)
    : ctrl_(ctrl),
      fidelity_(fidelity),
      queues_(ctrl.submission_queues),
      map_(tpages(nand, ctrl), cached_tpages(nand, ctrl)),
      entries_per_tpage_(entries_per_tpage(nand)) {
  if (ctrl_.mapping_cache.count() > 0 && cached_tpages(nand, ctrl) == 0) {
    throw std::invalid_argument("mapping_cache: smaller than one translation page");
  }
  array_ = make_array(std::move(nand), fidelity);
  if (ctrl_.ftl) {
    const Geometry& g = array_->params().geometry;
    FtlParams f;
    f.logical_pages = ctrl_.capacity.count() / g.page_size.count();
    f.blocks = g.dies() * g.planes * g.blocks_per_plane;
    f.pages_per_block = g.pages_per_block;
    f.gc_threshold = ctrl_.gc_threshold;
    ftl_ = std::make_unique<Ftl>(f);
    if (ctrl_.precondition_fill > 0.0 || ctrl_.precondition_overwrites > 0) {
      ftl_->precondition(ctrl_.precondition_fill, ctrl_.precondition_overwrites,
                         ctrl_.precondition_seed);
    }
  }
}

Time SsdModel::admit(std::uint32_t queue, Time arrival) {
  MinHeap& q = queues_[queue % queues_.size()];
  // In-flight completions at or before `arrival` have freed their slots.
  while (!q.empty() && q.top() <= arrival.ps()) q.pop();
  if (q.size() < ctrl_.queue_depth) return arrival;
  const Time slot = Time::ps(q.top());
  q.pop();
  return slot;
}

Time SsdModel::translate(std::uint64_t address, Bytes bytes, Time issue, Time now, bool write) {
  if (!map_.enabled() || bytes.count() == 0) return issue;
  const std::uint64_t ps = array_->params().geometry.page_size.count();
  const std::uint64_t logical = ctrl_.capacity.count() / ps;
  const std::uint64_t t0 = (address / ps) / entries_per_tpage_;
  const std::uint64_t t1 = ((address + bytes.count() - 1) / ps) / entries_per_tpage_;
  Time ready = issue;
  for (std::uint64_t tp = t0; tp <= t1; ++tp) {
    if (map_.access(tp, write)) continue;
    // Translation pages live past the host's logical pages (striped like any page).
    const FlashTiming t = array_->read((logical + tp) * ps, Bytes(ps), issue, now);
    ready = max(ready, t.last);
    if (map_.evicted() >= 0) {
      array_->program((logical + static_cast<std::uint64_t>(map_.evicted())) * ps, Bytes(ps), issue,
                      now);
    }
  }
  return ready;
}

FlashTiming SsdModel::read(std::uint64_t address, Bytes bytes, Time arrival, Time now,
                           std::uint32_t queue) {
  last_.admitted = admit(queue, arrival);
  const Time issue = last_.admitted + ctrl_.latency;
  last_.mapping_done = translate(address, bytes, issue, now, false);
  FlashTiming t = array_->read(address, bytes, last_.mapping_done, now);
  last_.flash = t;
  last_.ack = t.last;
  queues_[queue % queues_.size()].push(t.last.ps());
  return t;
}

FlashTiming SsdModel::program(std::uint64_t address, Bytes bytes, Time issue, Time now) {
  last_gc_.clear();
  if (ftl_ && bytes.count() > 0) {
    const NandParams& p = array_->params();
    const std::uint64_t ps = p.geometry.page_size.count();
    const std::uint64_t logical = ctrl_.capacity.count() / ps;
    for (std::uint64_t lpn = address / ps; lpn <= (address + bytes.count() - 1) / ps; ++lpn) {
      ftl_->write(lpn % logical);
    }
    for (const GcEvent& e : ftl_->gc_events()) {
      const Time end = array_->collect(e.block % p.geometry.dies(), e.moved, issue);
      const Time gc = (p.mean_read() + p.mean_program()) * e.moved + p.erase;
      last_gc_.emplace_back(end - gc, end);
      gc_busy_ += gc;
    }
    ftl_->clear_gc_events();
  }
  return array_->program(address, bytes, issue, now);
}

FlashTiming SsdModel::write(std::uint64_t address, Bytes bytes, Time arrival, Time data_last,
                            Time now, std::uint32_t queue) {
  last_.admitted = admit(queue, arrival);
  const Time issue = last_.admitted + ctrl_.latency;
  const Time in = max(data_last + ctrl_.latency, issue);
  const std::uint64_t cap = ctrl_.write_buffer.count();
  FlashTiming t;
  if (cap > 0 && bytes.count() <= cap) {
    // Room frees as earlier buffered writes finish programming.
    Time room = issue;
    while (!flushing_.empty() &&
           (flushing_.top().first <= issue.ps() || buffered_ + bytes.count() > cap)) {
      room = max(room, Time::ps(flushing_.top().first));
      buffered_ -= flushing_.top().second;
      flushing_.pop();
    }
    // Programmed from the buffer once the data is in it and the room was free.
    const Time start = max(in, room);
    last_.mapping_done = translate(address, bytes, start, now, true);
    t = program(address, bytes, last_.mapping_done, now);
    flushing_.emplace(t.last.ps(), bytes.count());
    buffered_ += bytes.count();
    last_.ack = max(in, room);
  } else {
    last_.mapping_done = translate(address, bytes, issue, now, true);
    t = program(address, bytes, last_.mapping_done, now);
    last_.ack = max(t.last, in);
  }
  last_.flash = t;
  queues_[queue % queues_.size()].push(last_.ack.ps());
  return t;
}

namespace {
SsdModel make_model(const config::Node& cfg) {
  try {
    return SsdModel(nand_from_config(cfg.at("nand")), controller_from_config(cfg.at("controller")),
                    parse_fidelity(cfg.get_string("fidelity")));
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
         "fast: requests timed arithmetically over die/channel timelines; detailed: every flash "
         "command an event (per-die queues, cache registers, bus transfers).")
      .default_to("fast")
      .one_of({"fast", "detailed"});
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

Ssd::Ssd(const kernel::BuildContext& ctx)
    : Component(ctx),
      model_(make_model(ctx.cfg)),
      registry_(ctx.stats),
      reads_(stats().counter("reads", "Read commands served")),
      writes_(stats().counter("writes", "Write commands served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      flash_ops_(stats().counter("flash_ops", "Multi-plane flash operations issued")),
      flash_commands_(stats().counter("flash_commands", "Flash commands (incl. transfers, GC)")),
      read_retries_(stats().counter("read_retries", "Extra page read attempts (read retry)")),
      channel_busy_ps_(stats().counter("channel_busy_ps", "Busy time summed over channels, ps")),
      die_busy_ps_(stats().counter("die_busy_ps", "Busy time summed over dies, ps")),
      gc_runs_(stats().counter("gc_runs", "Garbage collections (controller.ftl)")),
      erases_(stats().counter("erases", "Block erases (controller.ftl)")),
      flash_page_writes_(stats().counter("flash_page_writes", "Pages programmed incl. GC")),
      host_page_writes_(stats().counter("host_page_writes", "Pages written by the host (FTL)")),
      write_amplification_milli_(stats().counter(
          "write_amplification_milli", "1000 x flash_page_writes / host_page_writes (FTL)")),
      gc_busy_ps_(stats().counter("gc_busy_ps", "Die time spent on garbage collection, ps")),
      gc_share_milli_(stats().counter("gc_share_milli",
                                      "1000 x GC die time / (dies x run time): GC time share")),
      map_hits_(stats().counter("mapping_hits", "Translation-page lookups cached")),
      map_misses_(stats().counter("mapping_misses", "Translation pages read from flash")),
      read_latency_(stats().histogram("read_latency", "Read: arrival at the SSD to last byte")),
      write_latency_(stats().histogram("write_latency", "Write: arrival to acknowledgement")),
      read_series_(stats().series("bytes_read", "B", "Bytes read per window")),
      write_series_(stats().series("bytes_written", "B", "Bytes written per window")),
      read_ops_(stats().series("read_ops", "commands", "Reads completed per window (IOPS)")),
      write_ops_(stats().series("write_ops", "commands", "Writes completed per window (IOPS)")),
      queue_depth_(stats().series("queue_depth", "requests",
                                  "Mean commands in the drive per window (arrival to done)")),
      gc_series_(stats().series("gc_busy", "ps", "Die time spent on GC per window")) {
  const std::uint32_t channels = model_.array().params().geometry.channels;
  std::vector<stats::TimeSeries*> s;
  for (std::uint32_t c = 0; c < channels; ++c) {
    s.push_back(&stats().series(fmt::format("channel{}_busy", c), "ps",
                                fmt::format("Channel {} bus busy time per window", c)));
  }
  model_.array().set_channel_series(std::move(s));
}

kernel::DataWindow Ssd::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  const double window = static_cast<double>(queue_depth_.window().ps());
  if (txn.kind == kernel::TxnKind::kWrite) {
    const FlashTiming t =
        model_.write(txn.address, txn.bytes, in.first, in.last, txn.now, txn.stream);
    const Time ack = model_.last().ack;
    writes_.add();
    bytes_written_.add(txn.bytes.count());
    flash_ops_.add(t.ops);
    write_series_.add_interval(in.first, ack, txn.bytes.as_double());
    write_ops_.add_at(ack, 1.0);
    write_latency_.add(ack - in.first);
    queue_depth_.add_interval(in.first, ack, static_cast<double>((ack - in.first).ps()) / window);
    for (const auto& [s, e] : model_.last_gc()) {
      gc_series_.add_interval(s, e, static_cast<double>((e - s).ps()));
    }
    return {ack, ack};
  }
  if (txn.kind != kernel::TxnKind::kRead) {
    throw std::invalid_argument(
        fmt::format("ssd {}: cannot serve a compute transaction", component_name()));
  }
  const FlashTiming t = model_.read(txn.address, txn.bytes, in.first, txn.now, txn.stream);
  reads_.add();
  bytes_read_.add(txn.bytes.count());
  flash_ops_.add(t.ops);
  read_series_.add_interval(t.first, t.last, txn.bytes.as_double());
  read_ops_.add_at(t.last, 1.0);
  read_latency_.add(t.last - in.first);
  queue_depth_.add_interval(in.first, t.last,
                            static_cast<double>((t.last - in.first).ps()) / window);
  return {t.first, t.last};
}

void Ssd::finalize(Time end) {
  const FlashBackend& a = model_.array();
  const Geometry& g = a.params().geometry;
  const double run = static_cast<double>(std::max<std::int64_t>(1, end.ps()));
  Time c;
  for (std::uint32_t i = 0; i < g.channels; ++i) {
    c += a.channel_busy(i);
    stats()
        .counter(fmt::format("channel{}_util_milli", i),
                 fmt::format("1000 x channel {} busy time / run time", i))
        .value =
        static_cast<std::uint64_t>(1000.0 * static_cast<double>(a.channel_busy(i).ps()) / run);
  }
  Time d;
  for (std::uint32_t i = 0; i < g.dies(); ++i) {
    d += a.die_busy(i);
    stats()
        .counter(fmt::format("die{}_util_milli", i),
                 fmt::format("1000 x die {} busy time / run time", i))
        .value = static_cast<std::uint64_t>(1000.0 * static_cast<double>(a.die_busy(i).ps()) / run);
  }
  channel_busy_ps_.value = static_cast<std::uint64_t>(c.ps());
  die_busy_ps_.value = static_cast<std::uint64_t>(d.ps());
  flash_commands_.value = a.commands();
  read_retries_.value = a.retries();
  gc_busy_ps_.value = static_cast<std::uint64_t>(model_.gc_busy().ps());
  gc_share_milli_.value = static_cast<std::uint64_t>(
      1000.0 * static_cast<double>(model_.gc_busy().ps()) / (run * g.dies()));
  map_hits_.value = model_.mapping().hits();
  map_misses_.value = model_.mapping().misses();
  if (Ftl* f = model_.ftl()) {
    gc_runs_.value = f->gc_runs();
    erases_.value = f->erases();
    flash_page_writes_.value = f->flash_writes();
    host_page_writes_.value = f->host_writes();
    write_amplification_milli_.value =
        static_cast<std::uint64_t>(1000.0 * f->write_amplification());
    // P/E histogram: group <name>_pe_cycles, one counter per P/E count (blocks with that count).
    std::vector<std::uint64_t> hist;
    for (const std::uint32_t pe : f->pe_counts()) {
      if (pe >= hist.size()) hist.resize(pe + 1, 0);
      ++hist[pe];
    }
    stats::StatGroup& pe = registry_.group(component_name() + "_pe_cycles");
    for (std::size_t k = 0; k < hist.size(); ++k) {
      pe.counter(fmt::format("pe_{}", k), fmt::format("Blocks erased {} times", k)).value = hist[k];
    }
  }
}

TIERSIM_REGISTER_COMPONENT("ssd", Ssd,
                           "NVMe SSD: NAND channels/dies/planes with per-page-type timing, "
                           "striping, NVMe queues, write buffer, FTL; fast or detailed.");

}  // namespace tiersim::models::flash
