// device_trace: replays a device trace file (traces/FORMAT.md), streaming.
#include <fmt/format.h>

#include "sim/replay/request_source.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::replay {

class TraceSource : public RequestSource {
 public:
  explicit TraceSource(const WorkloadContext& ctx)
      : reader_(trace::open_trace(ctx.cfg.get_string("trace"))),
        time_scale_(ctx.cfg.get_double("time_scale")) {}

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("device_trace");
    s->add("trace", config::Type::kPath, "Trace file (text or HDF5; traces/FORMAT.md).").require();
    s->add("time_scale", config::Type::kFloat,
           "Multiplies every arrival time (0.5 replays twice as fast; 0 issues everything at "
           "once, limited only by max_outstanding).")
        .default_to("1.0")
        .at_least(0.0);
    return s;
  }

  bool next(Request& out) override {
    trace::Record r;
    if (!reader_->next(r)) return false;
    out.arrival =
        time_scale_ == 1.0
            ? r.time
            : Time::ps(static_cast<std::int64_t>(static_cast<double>(r.time.ps()) * time_scale_));
    out.kind = r.op == trace::Op::kWrite ? kernel::TxnKind::kWrite : kernel::TxnKind::kRead;
    out.address = r.address;
    out.bytes = r.bytes;
    out.stream = r.stream;
    return true;
  }
  const std::vector<std::string>& streams() const override { return reader_->streams(); }
  double progress() const override { return reader_->progress(); }
  std::string where() const override {
    return fmt::format("{}: record {}", reader_->path(), reader_->records_read());
  }

 private:
  std::unique_ptr<trace::TraceReader> reader_;
  double time_scale_;
};

TIERSIM_REGISTER_WORKLOAD("device_trace", TraceSource,
                          "Replays a device trace (time, op, address, size, stream).");

}  // namespace tiersim::replay
