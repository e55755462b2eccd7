// The validation suite: the points that the CUDA reference backend (sim/replay/cuda) measures on a
// real GPU and that `tiersim validate` predicts with the simulator's models. Plain C++ (no
// SystemC, no YAML) so that the CUDA runner links it too: both sides take the same points, the
// same pointer-chase orders and the same decoder-layer steps from here.
//
// Contracts:
//  - A Point is identified by its `id` (the trace identifier, unique within a suite, stable across
//    releases: measurements are matched to points by it). `kind` says what is measured; `op` and
//    `memory` are the kind's text parameters; every other parameter is an unsigned integer under a
//    fixed key (kind_keys()). Every point measures a time in seconds per operation (per copy, per
//    kernel, per dependent load for pointer chases, per pass for the L2 sweep, per layer).
//  - `calibration` points are those whose figures set model parameters (link and HBM efficiency,
//    L2 and DRAM latency, tensor efficiency); all others are held out and never used to set
//    parameters.
//  - standard_suite() is deterministic; chase_order() and kv_page_table() are deterministic
//    functions of the point (mt19937_64, specified exactly by the C++ standard).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tiersim::validate {

enum class Kind : std::uint8_t {
  kCopy,          // op h2d|d2h|d2d, memory pinned|pageable|wc|device (d2d); bytes, streams, chained
  kHbmStream,     // op read|write|copy; bytes, occupancy_pct
  kPointerChase,  // footprint, stride, random (0/1), loads
  kL2Sweep,       // footprint (streaming read passes over a warm footprint)
  kKvGather,      // pages, page_tokens, token_bytes
  kDecodeAttention,  // batch, q_heads, kv_heads, context, head_dim, paged (0/1), page_tokens
  kGemv,             // m, n (fp16, y[m] = W[m x n] x[n])
  kGemm,             // m, n, k (bf16, C[m x n] = A[m x k] B[k x n], cuBLAS)
  kLayer,            // batch, context, hidden, heads, kv_heads, head_dim, intermediate
};

[[nodiscard]] std::string_view to_string(Kind k);
[[nodiscard]] std::optional<Kind> parse_kind(std::string_view s);
// Integer parameter keys of a kind, in record order.
[[nodiscard]] const std::vector<std::string_view>& kind_keys(Kind k);
// Allowed values of `op` / `memory` for a kind (empty: the kind has no such parameter).
[[nodiscard]] const std::vector<std::string_view>& kind_ops(Kind k);
[[nodiscard]] const std::vector<std::string_view>& kind_memories(Kind k);

struct Point {
  std::string id;
  Kind kind = Kind::kCopy;
  bool calibration = false;
  std::string op;                                             // kind_ops()
  std::string memory;                                         // kind_memories()
  std::vector<std::pair<std::string, std::uint64_t>> params;  // kind_keys() order

  // The parameter `key`; throws std::out_of_range naming the point and key if absent.
  [[nodiscard]] std::uint64_t get(std::string_view key) const;
  Point& set(std::string_view key, std::uint64_t value);
};

// Checks a point against its kind: every key of kind_keys() present exactly once and nothing
// else, op/memory allowed, values in range (sizes > 0, stride <= footprint, heads divisible,
// head_dim <= 128 ...). Returns the problem, or nullopt if the point is well formed.
[[nodiscard]] std::optional<std::string> check(const Point& p);

// The full suite measured by scripts/gpu_measure.sh (about 230 points).
[[nodiscard]] std::vector<Point> standard_suite();

// Pointer chase: the order of node visits. nodes = footprint / stride; node i lives at byte
// offset i x stride. Sequential: next(i) = i + 1 mod nodes. Random: one cycle through all nodes
// (Sattolo's algorithm, seeded by the point's footprint and stride). Returns next[] (size nodes).
[[nodiscard]] std::vector<std::uint32_t> chase_order(const Point& p);
[[nodiscard]] std::uint64_t chase_nodes(const Point& p);
// Nodes visited before timing starts (one whole cycle, so the reuse distance of every timed load
// is the cycle length); then the timed loads continue along the cycle.
[[nodiscard]] std::uint64_t chase_warm_loads(const Point& p);

// KV gather: the physical page of each of `pages` logical pages, drawn without repetition from a
// pool of 2 x pages (seeded by the point's page size).
[[nodiscard]] std::vector<std::uint32_t> kv_page_table(const Point& p);

// One step of a decoder layer, as both sides execute it (fp16 everywhere).
struct LayerStep {
  enum class Op : std::uint8_t { kGemm, kDecodeAttention, kElementwise } op = Op::kElementwise;
  std::string name;
  std::uint64_t m = 0, n = 0, k = 0;                    // GEMM C[m x n] = A[m x k] B[k x n]
  std::uint64_t elements = 0, inputs = 0, outputs = 0;  // elementwise
  std::uint64_t batch = 0, q_heads = 0, kv_heads = 0, context = 0, head_dim = 0;  // attention
};
// The decode step of one layer (batch sequences, one new token each, `context` cached tokens):
// RMSNorm, QKV GEMM, KV append, attention, O GEMM, residual add, RMSNorm, gate+up GEMM, SiLU x
// up, down GEMM, residual add.
[[nodiscard]] std::vector<LayerStep> layer_steps(const Point& p);

// The point as JSON members (no braces): "id", "kind", "set" ("calibration" | "held_out"),
// "op", "memory" (when the kind has them), then the integer parameters in kind_keys() order.
[[nodiscard]] std::string json_members(const Point& p);
// `s` as a JSON string literal.
[[nodiscard]] std::string json_quote(std::string_view s);

}  // namespace tiersim::validate
