#include "models/dram/dram_component.h"

#include <fmt/format.h>

#include "models/dram/detailed_engine.h"
#include "models/dram/fast_engine.h"
#include "sim/stats/activity.h"

namespace tiersim::models::dram {

DramComponent::DramComponent(const kernel::BuildContext& ctx)
    : Component(ctx),
      spec_(spec_from_config(ctx.cfg)),
      mapping_(spec_, ctx.cfg.at("mapping").origin()),
      reads_(stats().counter("reads", "Read requests served")),
      writes_(stats().counter("writes", "Write requests served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      latency_(stats().histogram("latency", "Request latency: arrival to last data beat")),
      queue_depth_(stats().series("queue_depth", "requests",
                                  "Requests inside the memory, averaged over each window")) {
  if (ctx.cfg.get_string("fidelity") == "detailed") {
    engine_ = std::make_unique<DetailedEngine>(spec_, mapping_);
  } else {
    engine_ = std::make_unique<FastEngine>(spec_, mapping_);
  }
  std::vector<stats::TimeSeries*> series;
  for (std::uint64_t c = 0; c < spec_.count(Level::kChannel); ++c) {
    series.push_back(&stats().series(fmt::format("channel{}_bytes", c), "B",
                                     fmt::format("Bytes moved on channel {} per window", c)));
  }
  engine_->set_channel_series(std::move(series));
  if (stats::ActivityRecorder* a = stats::activity()) {
    activity_track_ = a->track("components", component_name() + " requests");
  }
}

kernel::DataWindow DramComponent::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  const bool write = txn.kind == kernel::TxnKind::kWrite;
  const DramResult r = engine_->serve({txn.address, txn.bytes, write, in.first});
  (write ? writes_ : reads_).add();
  (write ? bytes_written_ : bytes_read_).add(txn.bytes.count());
  latency_.add(r.last - in.first);
  if (activity_track_ >= 0) {
    stats::activity()->request(activity_track_, next_request_id_++, in.first, r.last,
                               write ? "write" : "read", txn.bytes.count());
  }
  const Time window = queue_depth_.window();
  queue_depth_.add_interval(
      in.first, r.last,
      static_cast<double>((r.last - in.first).ps()) / static_cast<double>(window.ps()));
  return {r.first, r.last};
}

void DramComponent::finalize(Time end) {
  const DramCounters& c = engine_->counters();
  for (std::size_t i = 0; i < kCommands; ++i) {
    stats()
        .counter(fmt::format("cmd_{}", kCommandNames[i]),
                 fmt::format("{} commands issued", kCommandNames[i]))
        .value = c.commands[i];
  }
  stats().counter("row_hits", "Bursts served from an open row").value = c.row_hits;
  stats().counter("row_misses", "Bursts that needed an ACT to a closed bank").value = c.row_misses;
  stats().counter("row_conflicts", "Bursts that needed PRE + ACT").value = c.row_conflicts;
  stats().counter("refresh_cycles", "Cycles refresh blocked a scope, summed").value =
      c.refresh_cycles;
  const double scopes = static_cast<double>(spec_.nodes(spec_.refresh.level));
  const double elapsed = static_cast<double>(std::max<std::int64_t>(1, end.ps()));
  const double share = static_cast<double>(c.refresh_cycles) * static_cast<double>(spec_.tck.ps()) /
                       (elapsed * scopes);
  stats()
      .counter("refresh_share_ppm", "Refresh time share of all scopes, parts per million")
      .value = static_cast<std::uint64_t>(share * 1e6);
  const auto n = [&](Command cmd) { return static_cast<double>(c.commands[index(cmd)]); };
  const EnergySpec& e = spec_.energy;
  const double act = n(Command::kACT) * e.act.as_joules();
  const double pre = (n(Command::kPRE) + n(Command::kPREA)) * e.pre.as_joules();
  const double rd = (n(Command::kRD) + n(Command::kRDA)) * e.rd.as_joules();
  const double wr = (n(Command::kWR) + n(Command::kWRA)) * e.wr.as_joules();
  const double ref =
      n(Command::kREFab) * e.ref_ab.as_joules() + n(Command::kREFpb) * e.ref_pb.as_joules();
  const double bg = e.background_watts_per_channel *
                    static_cast<double>(spec_.count(Level::kChannel)) * end.as_seconds();
  const auto pj = [](double j) { return static_cast<std::uint64_t>(j * 1e12); };
  stats().counter("energy_act_pJ", "ACT (+PRE share) energy, pJ").value = pj(act + pre);
  stats().counter("energy_rd_pJ", "Read burst energy, pJ").value = pj(rd);
  stats().counter("energy_wr_pJ", "Write burst energy, pJ").value = pj(wr);
  stats().counter("energy_ref_pJ", "Refresh energy, pJ").value = pj(ref);
  stats().counter("energy_background_pJ", "Background energy, pJ").value = pj(bg);
  stats().counter("energy_total_pJ", "Total DRAM energy, pJ").value =
      pj(act + pre + rd + wr + ref + bg);
}

TIERSIM_REGISTER_COMPONENT("dram", DramComponent,
                           "Command-level DRAM (HBM/DDR/LPDDR presets), fast or detailed.");

}  // namespace tiersim::models::dram
