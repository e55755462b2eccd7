// The logical trace (traces/FORMAT.md, "Logical trace"): requests, then for each scheduled step
// and layer the tensors touched and the compute ops, independent of any placement policy.
//
// Contract:
//  - A trace has a header (model and generator descriptions as YAML text), a request table and an
//    access table. Writers take every request before the first access (a request after an access
//    is an error); readers yield requests (next_request) and then accesses (next_access; calling
//    it skips any requests not yet read).
//  - Rules both writers and readers enforce, with "<path>: record <n>: <what>" errors (the JSONL
//    reader adds ":<line>" after the path); requests and accesses are numbered separately and
//    named "request <n>" / "record <n>":
//      request ids are 0, 1, 2, ... in order; arrivals never decrease; `after` (closed loop)
//      is kNoAfter or an earlier id, and is set only with a user; think is never negative;
//      access steps never decrease; kind is known; request is kNoRequest or an id < request count.
//  - Two forms: HDF5 (chunked, shuffle + deflate, streaming, byte-identical for identical content)
//    and JSONL. create_logical_trace() picks HDF5 for ".h5"/".hdf5", JSONL otherwise; writers
//    build "<path>.tmp.<pid>" and rename on close() (a writer destroyed during unwinding publishes
//    nothing). open_logical_trace() detects the form from the content.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/workload/request.h"

namespace tiersim::workload {

enum class AccessKind : std::uint8_t {
  kStep = 0,     // a scheduled step begins: request, index = phase (0 prefill, 1 decode),
                 // count = tokens in the step
  kWeight = 1,   // dense weights: index = WeightTensor
  kExpert = 2,   // one MoE expert's FFN weights: index = expert id, count = tokens routed
  kNeurons = 3,  // a subset of FFN neurons: count = neurons (selection from the activation model)
  kKvRead = 4,   // KV cache read: request, count = tokens
  kKvWrite = 5,  // KV cache write: request, count = tokens
  kActivation = 6,  // activations entering a layer: count = elements
  kCompute = 7,     // a matrix product: index = ComputeOp, count = repeats, shape m x n x k
  kKvPages = 8,     // sparse attention (v2): request, index = tokens per page (0 when a token
                    // spans pages), count = pages touched (K and V, all KV heads),
                    // bytes = count x page bytes
};
inline constexpr std::uint8_t kAccessKinds = 9;
// kv_read index: 0 = every cached token; 1 = sparse attention (count = selected (token, KV head)
// pairs, bytes = their K and V bytes).
inline constexpr std::uint32_t kKvReadDense = 0;
inline constexpr std::uint32_t kKvReadSparse = 1;

enum class WeightTensor : std::uint32_t {
  kAttention = 0,
  kFfn = 1,
  kRouter = 2,
  kEmbedding = 3,
  kLmHead = 4
};
enum class ComputeOp : std::uint32_t {
  kQkv = 0,
  kScores = 1,
  kValues = 2,
  kOutProj = 3,
  kFfnUp = 4,
  kFfnDown = 5,
  kRouter = 6,
  kLmHead = 7
};

[[nodiscard]] std::string_view access_kind_name(AccessKind k);
[[nodiscard]] std::optional<AccessKind> access_kind_from_name(std::string_view name);

inline constexpr std::uint64_t kNoRequest = ~std::uint64_t{0};
inline constexpr std::uint16_t kNoLayer = 0xFFFF;

struct Access {
  std::uint64_t step = 0;
  std::uint64_t request = kNoRequest;
  std::uint16_t layer = kNoLayer;
  AccessKind kind = AccessKind::kStep;
  std::uint32_t index = 0;
  std::uint64_t count = 0;
  Bytes bytes;
  std::uint32_t m = 0;
  std::uint32_t n = 0;
  std::uint32_t k = 0;
  friend bool operator==(const Access&, const Access&) = default;
};

struct LogicalHeader {
  std::string model;      // YAML of the model (model_yaml), or empty for request-only traces
  std::string generator;  // YAML of the generator settings (seed, models used), or empty
};

inline constexpr std::string_view kLogicalFormat = "tiersim-logical-trace";
// Version 2 added the request fields user / after / think_ps and the kv_pages kind; readers
// accept versions 1 and 2 (a version-1 request has no user), writers write version 2.
inline constexpr int kLogicalVersion = 2;
inline constexpr int kLogicalMinVersion = 1;

class LogicalTraceWriter {
 public:
  virtual ~LogicalTraceWriter() = default;
  virtual void write_request(const Request& r) = 0;
  virtual void write_access(const Access& a) = 0;
  virtual void close() = 0;
};

class LogicalTraceReader {
 public:
  virtual ~LogicalTraceReader() = default;
  [[nodiscard]] virtual const LogicalHeader& header() const = 0;
  [[nodiscard]] virtual bool next_request(Request& out) = 0;
  [[nodiscard]] virtual bool next_access(Access& out) = 0;
  // Requests in the trace when known up front (HDF5), or nullopt (JSONL).
  [[nodiscard]] virtual std::optional<std::uint64_t> request_count() const = 0;
};

[[nodiscard]] std::unique_ptr<LogicalTraceWriter> create_logical_trace(const std::string& path,
                                                                       const LogicalHeader& h);
[[nodiscard]] std::unique_ptr<LogicalTraceReader> open_logical_trace(const std::string& path);

// Validation shared by writers and readers: returns the <what> of a violation, or nullopt.
class LogicalRules {
 public:
  [[nodiscard]] std::optional<std::string> check_request(const Request& r);
  [[nodiscard]] std::optional<std::string> check_access(const Access& a);
  [[nodiscard]] std::uint64_t requests() const { return requests_; }
  [[nodiscard]] std::uint64_t accesses() const { return accesses_; }

 private:
  std::uint64_t requests_ = 0;
  std::uint64_t accesses_ = 0;
  Time last_arrival_;
  std::uint64_t last_step_ = 0;
};

}  // namespace tiersim::workload
