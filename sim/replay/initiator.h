// An initiator: replays one request source into the system through a TLM-2.0 socket.
//
// Timing: request k is issued at max(arrival_k + start, the earliest completion among the
// requests in flight when max_outstanding are in flight). Each request is timed by one
// b_transport call (loosely timed: the system annotates its completion, nothing waits).
//
// Synchronisation (temporal decoupling): the initiator runs ahead of SystemC time by at most
// `quantum`; when the next issue time is further ahead it yields (one SystemC event). With one
// initiator, results do not depend on the quantum; with several, a quantum of 0 interleaves their
// requests in exact time order, and a larger quantum trades that order for speed (as in TLM-2.0
// LT). Everything is deterministic for a given config and seed.
//
// Implemented with an SC_METHOD (no SystemC thread stacks), so it is cheap and sanitizer-clean.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/transaction.h"
#include "sim/replay/completion_queue.h"
#include "sim/replay/request_source.h"

namespace tiersim::replay {

// Receives every completed request (the run's per-request table and summary).
struct Completion {
  std::uint64_t id;
  std::uint16_t stream;  // global stream index
  kernel::TxnKind kind;
  kernel::ComponentId source;
  kernel::ComponentId target;
  std::uint64_t address;
  Bytes bytes;
  Time arrival;
  Time issue;
  Time complete;
};

class CompletionSink {
 public:
  virtual ~CompletionSink() = default;
  virtual void on_complete(const Completion& c) = 0;
  // Maps a source's local stream tag to a global stream index.
  virtual std::uint16_t stream_index(const std::string& tag) = 0;
  // Called every few thousand requests (progress reporting).
  virtual void tick() = 0;
};

struct InitiatorParams {
  std::string name;
  std::uint16_t index = 0;  // workload index: the top 16 bits of every request id
  kernel::ComponentId source = 0;
  kernel::ComponentId target = 0;
  std::string target_name;
  std::uint64_t target_capacity = 0;  // 0 = unbounded
  std::size_t max_outstanding = 64;
  Time start;
  Time quantum;
};

class Initiator : public sc_core::sc_module {
 public:
  Initiator(sc_core::sc_module_name name, std::unique_ptr<RequestSource> source,
            InitiatorParams params, CompletionSink& sink);
  ~Initiator() override;
  Initiator(const Initiator&) = delete;
  Initiator& operator=(const Initiator&) = delete;
  SC_HAS_PROCESS(Initiator);

  tlm_utils::simple_initiator_socket<Initiator> socket;

  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] std::uint64_t issued() const { return issued_; }
  [[nodiscard]] Time last_completion() const { return last_completion_; }
  [[nodiscard]] const RequestSource& source() const { return *source_; }
  // The first error raised while running (the run rethrows it after sc_start returns).
  [[nodiscard]] std::exception_ptr error() const { return error_; }

 private:
  void step();
  void run_until_sync();
  std::uint16_t global_stream(std::uint16_t local);

  std::unique_ptr<RequestSource> source_;
  InitiatorParams p_;
  CompletionSink& sink_;
  tlm::tlm_generic_payload gp_;
  kernel::TxnExtension ext_;
  CompletionQueue in_flight_;  // completion times of the requests in flight
  std::vector<std::uint16_t> stream_map_;
  Request pending_;
  bool have_pending_ = false;
  bool finished_ = false;
  std::uint64_t issued_ = 0;
  Time last_completion_;
  std::exception_ptr error_;
};

}  // namespace tiersim::replay
