#include "models/cxl/cxl_device.h"

#include <cmath>
#include <stdexcept>

namespace tiersim::models::cxl {

using config::Type;

config::SchemaPtr CxlDevice::schema() {
  auto s = std::make_shared<config::Schema>("cxl_device");
  s->add("request_latency", Type::kTime,
         "Host-to-memory (M2S) latency through the device: CXL port (PHY, link layer, ARB/MUX) "
         "plus the controller's request pipeline.")
      .require();
  s->add("response_latency", Type::kTime,
         "Memory-to-host (S2M) latency through the device: controller response path plus the "
         "CXL port.")
      .require();
  s->add("max_request_rate", Type::kFloat,
         "Requests per second the request pipeline accepts (0 = unlimited).")
      .default_to("0")
      .at_least(0);
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

CxlDevice::CxlDevice(const kernel::BuildContext& ctx)
    : Component(ctx),
      request_latency_(ctx.cfg.get_time("request_latency")),
      response_latency_(ctx.cfg.get_time("response_latency")),
      reads_(stats().counter("reads", "Read requests forwarded to the device memory")),
      writes_(stats().counter("writes", "Write requests forwarded to the device memory")),
      bytes_read_(stats().counter("bytes_read", "Read data bytes returned to the host")),
      bytes_written_(stats().counter("bytes_written", "Write data bytes taken from the host")) {
  const double rate = ctx.cfg.get_double("max_request_rate");
  if (rate > 0.0) request_interval_ = Time::ps(std::llround(1e12 / rate));
}

kernel::DataWindow CxlDevice::serve(const kernel::TxnExtension&, kernel::DataWindow) {
  throw std::logic_error("cxl_device '" + component_name() +
                         "' serves no requests itself: target its device memory (a dram)");
}

kernel::DataWindow CxlDevice::forward(kernel::ComponentId, kernel::ComponentId, kernel::Flow flow,
                                      Bytes payload, kernel::DataWindow in) {
  switch (flow) {
    case kernel::Flow::kReadRequest:
    case kernel::Flow::kWriteData: {
      (flow == kernel::Flow::kWriteData ? writes_ : reads_).add();
      if (flow == kernel::Flow::kWriteData) bytes_written_.add(payload.count());
      Time first = in.first;
      if (request_interval_ > Time::zero()) {
        first = pipeline_.reserve(in.first, request_interval_);
      }
      const Time shift = first - in.first;
      return {first + request_latency_, in.last + shift + request_latency_};
    }
    case kernel::Flow::kReadData:
      bytes_read_.add(payload.count());
      [[fallthrough]];
    case kernel::Flow::kAck:
      return {in.first + response_latency_, in.last + response_latency_};
  }
  return in;
}

TIERSIM_REGISTER_COMPONENT("cxl_device", CxlDevice,
                           "CXL Type-3 expander controller (port + request pipeline) in front of "
                           "its device DRAM.");

}  // namespace tiersim::models::cxl
