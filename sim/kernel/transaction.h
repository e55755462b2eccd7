// The transaction every tiersim component exchanges, as a TLM-2.0 extension of the generic
// payload, and the timing conventions of a b_transport call.
//
// Conventions (loosely-timed TLM-2.0, never waiting inside b_transport):
//  - On entry, `delay` is the request's arrival time at the callee relative to sc_time_stamp().
//    For writes, TxnExtension::data_last is the absolute time the last byte arrives (the data may
//    stream in behind its first byte).
//  - On return, `delay` is the time (relative to sc_time_stamp()) at which the response is complete
//    at the callee's port: for reads when the last byte leaves, for writes the acknowledgement.
//    TxnExtension::resp_first is when the first byte of a read response leaves (== completion for
//    writes). A model unaware of the extension may leave it unset; callers then use completion.
//  - TxnKind::kCompute asks the target (a compute model such as `cpu`) to run a kernel of
//    TxnExtension::flops operations moving `bytes` of memory traffic; the response window is when
//    it finishes (first == last). A compute unit's work is issued from the unit itself
//    (source == target, an empty route: no link is crossed); over links the fabric would carry it
//    like a read of `bytes`.
//  - The generic payload's command/address/data_length mirror the extension for plugged-in TLM
//    models; the data pointer is null (tiersim times data, it does not move it).
#pragma once

#include <cstdint>
#include <tlm>

#include "sim/units/units.h"

namespace tiersim::kernel {

using ComponentId = std::uint16_t;

// kCompute only: which operator a compute transaction runs and its shape, for compute models that
// time by shape (GPU operators, PIM GEMV, the CSD engine) rather than by the flops/bytes roofline.
// kGeneric means "use flops and bytes only". Fields an operator does not use stay 0. Element
// sizes are in bytes (2 for fp16/bf16). A model that cannot run an operator kind rejects the
// transaction with std::invalid_argument naming the kind (op_kind_name).
enum class OpKind : std::uint8_t {
  kGeneric = 0,
  kGemm,              // batch x (m x k) . (k x n)
  kGemv,              // m x k weight times `batch` vectors (batch = input vectors, Op/B ~ batch)
  kDecodeAttention,   // batch sequences x q_heads over `context` cached tokens (kv_heads, head_dim)
  kPrefillAttention,  // batch x q_heads, m query rows against `context` keys (kv_heads, head_dim)
  kSoftmax,           // `elements` values
  kTopK,              // select `k` of `elements` values
  kElementwise,       // `elements` values
  kMoeFfn,            // batch = tokens, m = d_model, n = d_ff, k = experts touched
  kAllReduce,         // `elements` values across the collective
};
[[nodiscard]] const char* op_kind_name(OpKind k);

struct OpShape {
  OpKind kind = OpKind::kGeneric;
  std::uint8_t elem_bytes = 2;
  std::uint32_t batch = 0;
  std::uint32_t m = 0;
  std::uint32_t n = 0;
  std::uint32_t k = 0;
  std::uint32_t q_heads = 0;
  std::uint32_t kv_heads = 0;
  std::uint32_t head_dim = 0;
  std::uint64_t context = 0;
  std::uint64_t elements = 0;
  friend bool operator==(const OpShape&, const OpShape&) = default;
};

enum class TxnKind : std::uint8_t { kRead = 0, kWrite = 1, kCompute = 2 };

class TxnExtension : public tlm::tlm_extension<TxnExtension> {
 public:
  std::uint64_t id = 0;
  ComponentId source = 0;
  ComponentId target = 0;
  TxnKind kind = TxnKind::kRead;
  Bytes bytes;
  std::uint64_t address = 0;
  std::uint16_t stream = 0;
  // kCompute only: floating-point operations of the kernel; `bytes` is then the memory traffic it
  // moves (operands in, results out), for the roofline of the serving compute model.
  std::uint64_t flops = 0;
  // kCompute only: the operator and its shape (kGeneric: flops/bytes roofline only).
  OpShape op;
  // sc_time_stamp() when the initiator called b_transport. It stays equal to sc_time_stamp()
  // for the whole (non-waiting) call chain; models read it instead of asking SystemC again.
  Time now;
  // Timing annotations of one b_transport call (absolute times), see the header comment.
  Time data_last;
  Time resp_first = Time::max();

  [[nodiscard]] tlm::tlm_extension_base* clone() const override { return new TxnExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TxnExtension&>(other);
  }
};

// A first/last byte window in absolute time.
struct DataWindow {
  Time first;
  Time last;
};

}  // namespace tiersim::kernel
