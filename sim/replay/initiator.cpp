#include "sim/replay/initiator.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "sim/kernel/interrupt.h"
#include "sim/kernel/sc_time_conv.h"

namespace tiersim::replay {

using kernel::from_sc;
using kernel::to_sc;

Initiator::Initiator(sc_core::sc_module_name name, std::unique_ptr<RequestSource> source,
                     InitiatorParams params, CompletionSink& sink)
    : sc_core::sc_module(name),
      socket("socket"),
      source_(std::move(source)),
      p_(std::move(params)),
      sink_(sink),
      in_flight_(p_.max_outstanding) {
  gp_.set_extension(&ext_);
  gp_.set_data_ptr(nullptr);
  gp_.set_streaming_width(0);
  gp_.set_byte_enable_ptr(nullptr);
  gp_.set_dmi_allowed(false);
  ext_.source = p_.source;
  ext_.target = p_.target;
  SC_METHOD(step);
}

Initiator::~Initiator() {
  // The payload would delete its extensions; ours is a member, so detach it first.
  if (gp_.get_extension<kernel::TxnExtension>() != nullptr) gp_.clear_extension(&ext_);
}

std::uint16_t Initiator::global_stream(std::uint16_t local) {
  while (stream_map_.size() <= local) {
    const auto& tags = source_->streams();
    if (stream_map_.size() >= tags.size()) {
      throw std::runtime_error(
          fmt::format("{}: stream index {} has no tag", source_->where(), local));
    }
    stream_map_.push_back(sink_.stream_index(tags[stream_map_.size()]));
  }
  return stream_map_[local];
}

void Initiator::step() {
  try {
    run_until_sync();
  } catch (...) {
    error_ = std::current_exception();
    finished_ = true;
    sc_core::sc_stop();
  }
}

void Initiator::run_until_sync() {
  if (kernel::interrupt_requested()) throw kernel::Interrupted();
  const Time t_now = kernel::now();
  while (true) {
    if (!have_pending_) {
      if (!source_->next(pending_)) {
        finished_ = true;
        return;
      }
      have_pending_ = true;
    }
    Time issue = pending_.arrival + p_.start;
    if (in_flight_.full()) issue = max(issue, in_flight_.earliest());
    if (issue > t_now + p_.quantum) {
      next_trigger(to_sc(issue - t_now));
      return;
    }
    issue = max(issue, t_now);
    if (in_flight_.full()) in_flight_.pop();
    const Request& r = pending_;
    if (p_.target_capacity != 0 &&
        (r.address >= p_.target_capacity || r.bytes.count() > p_.target_capacity - r.address)) {
      throw std::runtime_error(fmt::format(
          "{}: address range [{:#x}, {:#x}) is outside '{}' (capacity {} bytes)", source_->where(),
          r.address, r.address + r.bytes.count(), p_.target_name, p_.target_capacity));
    }
    ext_.id = (std::uint64_t{p_.index} << 48) | issued_;
    ext_.now = t_now;
    ext_.kind = r.kind;
    ext_.bytes = r.bytes;
    ext_.address = r.address;
    ext_.stream = r.stream < stream_map_.size() ? stream_map_[r.stream] : global_stream(r.stream);
    gp_.set_command(r.kind == kernel::TxnKind::kWrite ? tlm::TLM_WRITE_COMMAND
                                                      : tlm::TLM_READ_COMMAND);
    gp_.set_address(r.address);
    gp_.set_data_length(
        static_cast<unsigned int>(std::min<std::uint64_t>(r.bytes.count(), 0xffffffffu)));
    gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = to_sc(issue - t_now);
    socket->b_transport(gp_, delay);
    if (gp_.get_response_status() != tlm::TLM_OK_RESPONSE) {
      throw std::runtime_error(
          fmt::format("{}: the system could not route a request from '{}' to '{}' ({})",
                      source_->where(), name(), p_.target_name, gp_.get_response_string()));
    }
    const Time complete = t_now + from_sc(delay);
    in_flight_.push(complete);
    last_completion_ = max(last_completion_, complete);
    sink_.on_complete(Completion{ext_.id, ext_.stream, r.kind, p_.source, p_.target, r.address,
                                 r.bytes, r.arrival + p_.start, issue, complete});
    have_pending_ = false;
    ++issued_;
    if ((issued_ & 0xFFFF) == 0) {
      if (kernel::interrupt_requested()) throw kernel::Interrupted();
      sink_.tick();
    }
  }
}

}  // namespace tiersim::replay
