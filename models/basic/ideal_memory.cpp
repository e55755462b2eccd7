#include "models/basic/ideal_memory.h"

#include "sim/stats/activity.h"

namespace tiersim::models {

using config::Type;

config::SchemaPtr IdealMemory::schema() {
  auto s = std::make_shared<config::Schema>("ideal_memory");
  s->add("latency", Type::kTime, "Access latency, from arrival (or port free) to first byte.")
      .default_to("0 ns");
  s->add("bandwidth", Type::kBandwidth, "Data-port bandwidth.").require();
  s->add("capacity", Type::kSize,
         "Addressable bytes; requests beyond it are errors. 0 means unbounded.")
      .default_to("0 B");
  s->add("source", Type::kString,
         "Where the numbers come from (datasheet, paper + table, measured, assumed).")
      .default_to("assumed");
  return s;
}

IdealMemory::IdealMemory(const kernel::BuildContext& ctx)
    : Component(ctx),
      latency_(ctx.cfg.get_time("latency")),
      bandwidth_(ctx.cfg.get_bandwidth("bandwidth")),
      capacity_(ctx.cfg.get_size("capacity")),
      reads_(stats().counter("reads", "Read requests served")),
      writes_(stats().counter("writes", "Write requests served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      busy_ps_(stats().counter("busy_ps", "Time the data port was busy, ps")),
      read_series_(stats().series("bytes_read", "B", "Bytes read per window")),
      write_series_(stats().series("bytes_written", "B", "Bytes written per window")) {
  if (stats::ActivityRecorder* a = stats::activity()) {
    activity_track_ = a->track("components", component_name() + " port");
  }
}

kernel::DataWindow IdealMemory::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  const Time xfer = bandwidth_.transfer_time(txn.bytes);
  const Time start = port_.reserve(in.first, xfer);
  if (activity_track_ >= 0) {
    stats::activity()->span(activity_track_, start, start + xfer,
                            txn.kind == kernel::TxnKind::kWrite ? "write" : "read",
                            txn.bytes.count());
  }
  if (txn.kind == kernel::TxnKind::kWrite) {
    writes_.add();
    bytes_written_.add(txn.bytes.count());
    write_series_.add_interval(start, start + xfer, txn.bytes.as_double());
    const Time ack = max(start + xfer, in.last) + latency_;
    return {ack, ack};
  }
  reads_.add();
  bytes_read_.add(txn.bytes.count());
  read_series_.add_interval(start, start + xfer, txn.bytes.as_double());
  return {start + latency_, start + latency_ + xfer};
}

void IdealMemory::finalize(Time /*end*/) {
  busy_ps_.value = static_cast<std::uint64_t>(port_.busy_time().ps());
}

TIERSIM_REGISTER_COMPONENT("ideal_memory", IdealMemory,
                           "Fixed latency plus one bandwidth-limited port (a stand-in memory).");

}  // namespace tiersim::models
