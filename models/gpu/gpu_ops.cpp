#include "models/gpu/gpu_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"

namespace tiersim::models::gpu {

using config::Type;

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

double d(std::uint64_t v) {
  return static_cast<double>(v);
}

// Shallowest K range one split-K CTA takes.
constexpr std::uint64_t kMinSplitK = 512;

TileShape parse_tile(const std::string& s, const config::Node& n) {
  const auto x = s.find('x');
  std::uint64_t m = 0;
  std::uint64_t nn = 0;
  try {
    if (x != std::string::npos) {
      std::size_t used_m = 0;
      std::size_t used_n = 0;
      m = std::stoull(s.substr(0, x), &used_m);
      nn = std::stoull(s.substr(x + 1), &used_n);
      if (used_m != x || used_n != s.size() - x - 1) m = 0;
    }
  } catch (const std::exception&) {
    m = 0;
  }
  if (m == 0 || nn == 0) {
    throw config::ConfigError(
        n.origin(), fmt::format("gemm tile '{}' is not of the form MxN (e.g. 128x256)", s));
  }
  return {m, nn};
}

// "128x128, 128x256" -> tiles (comma- or space-separated).
std::vector<TileShape> parse_tiles(const config::Node& n) {
  std::vector<TileShape> out;
  std::string cur;
  const std::string text = n.as_string() + ",";
  for (const char c : text) {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(parse_tile(cur, n));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (out.empty()) throw config::ConfigError(n.origin(), "gemm_tiles must list a tile");
  return out;
}

}  // namespace

std::uint64_t dtype_bytes(DType t) {
  switch (t) {
    case DType::kFp32:
    case DType::kTf32:
      return 4;
    case DType::kFp16:
    case DType::kBf16:
      return 2;
    case DType::kFp8:
      return 1;
  }
  return 0;
}

std::string_view to_string(DType t) {
  switch (t) {
    case DType::kFp32:
      return "fp32";
    case DType::kTf32:
      return "tf32";
    case DType::kFp16:
      return "fp16";
    case DType::kBf16:
      return "bf16";
    case DType::kFp8:
      return "fp8";
  }
  return "?";
}

DType parse_dtype(std::string_view s) {
  if (s == "fp32") return DType::kFp32;
  if (s == "tf32") return DType::kTf32;
  if (s == "fp16") return DType::kFp16;
  if (s == "bf16") return DType::kBf16;
  if (s == "fp8") return DType::kFp8;
  throw std::invalid_argument(fmt::format("unknown data type '{}'", s));
}

std::shared_ptr<config::Schema> gpu_spec_schema() {
  auto s = std::make_shared<config::Schema>("gpu");
  s->add("sms", Type::kUInt, "Streaming multiprocessors.").require().at_least(1);
  s->add("clock", Type::kFrequency, "SM clock behind the published peak rates.").require();
  s->add("fma_per_clock_fp32", Type::kUInt, "FP32 FMA per clock per SM (CUDA cores).").require();
  s->add("fma_per_clock_tf32", Type::kUInt, "Dense TF32 tensor FMA per clock per SM (0: none).")
      .default_to("0");
  s->add("fma_per_clock_fp16", Type::kUInt,
         "Dense FP16 tensor FMA per clock per SM, FP32 accumulate (0: none).")
      .default_to("0");
  s->add("fma_per_clock_bf16", Type::kUInt,
         "Dense BF16 tensor FMA per clock per SM, FP32 accumulate (0: none).")
      .default_to("0");
  s->add("fma_per_clock_fp8", Type::kUInt, "Dense FP8 tensor FMA per clock per SM (0: none).")
      .default_to("0");
  s->add("tensor_efficiency", Type::kFloat,
         "Share of per-SM tensor peak a large GEMM mainloop sustains (clock under power cap, "
         "mainloop stalls); tile and wave quantization come on top.")
      .default_to("0.8")
      .at_least(0.01)
      .at_most(1);
  s->add(
       "attention_efficiency", Type::kFloat,
       "Share of tensor peak of fused prefill/decode attention (FlashAttention-2: ~0.35 on H100).")
      .default_to("0.35")
      .at_least(0.01)
      .at_most(1);
  s->add("simt_efficiency", Type::kFloat,
         "Share of CUDA-core peak of SIMT kernels (GEMV, elementwise).")
      .default_to("0.7")
      .at_least(0.01)
      .at_most(1);
  s->add("gemm_tiles", Type::kString,
         "CTA tile shapes MxN the GEMM heuristic chooses from, comma-separated.")
      .default_to("128x128, 128x256, 256x128");
  s->add("hbm_bandwidth", Type::kBandwidth, "Peak device-memory bandwidth.").require();
  s->add("hbm_efficiency", Type::kFloat,
         "Achievable share of hbm_bandwidth for streaming kernels (measured H100 reads: 0.917).")
      .default_to("0.9")
      .at_least(0.01)
      .at_most(1);
  s->add("memory_ramp", Type::kTime,
         "Time a memory-bound kernel loses filling and draining the memory pipeline, once per "
         "operator; a kernel streaming for less runs at half bandwidth (docs/models/gpu.md).")
      .default_to("0 us");
  s->add("memory_capacity", Type::kSize, "Device memory capacity.").require();
  s->add("l2_capacity", Type::kSize, "L2 cache capacity.").require();
  s->add("sector", Type::kSize, "Memory access granule (L2 sector).").default_to("32 B");
  s->add("launch_eager", Type::kTime, "Kernel launch overhead, eager (stream) launch.")
      .default_to("2.5 us");
  s->add("launch_graph", Type::kTime, "Kernel launch overhead inside a CUDA graph.")
      .default_to("1.3 us");
  s->add("link_bandwidth", Type::kBandwidth,
         "Per-GPU, per-direction bandwidth for collectives (NVLink; PCIe where none).")
      .default_to("0 GB/s");
  s->add("link_efficiency", Type::kFloat, "Achievable share of link_bandwidth for a ring.")
      .default_to("0.8")
      .at_least(0.01)
      .at_most(1);
  s->add("link_latency", Type::kTime, "Latency of one ring step (send, sync, reduce).")
      .default_to("2 us");
  s->add("energy_per_flop", Type::kEnergy,
         "Dynamic energy per floating-point operation (gpu component energy statistics).")
      .default_to("0 pJ");
  s->add("energy_per_byte", Type::kEnergy,
         "Dynamic energy per byte of HBM traffic (DRAM array + I/O + on-chip movement).")
      .default_to("0 pJ");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

GpuSpec spec_from(const config::Node& cfg) {
  GpuSpec p;
  p.sms = cfg.get_uint("sms");
  p.clock = cfg.get_frequency("clock");
  p.fma_fp32 = cfg.get_uint("fma_per_clock_fp32");
  p.fma_tf32 = cfg.get_uint("fma_per_clock_tf32");
  p.fma_fp16 = cfg.get_uint("fma_per_clock_fp16");
  p.fma_bf16 = cfg.get_uint("fma_per_clock_bf16");
  p.fma_fp8 = cfg.get_uint("fma_per_clock_fp8");
  p.tensor_efficiency = cfg.get_double("tensor_efficiency");
  p.attention_efficiency = cfg.get_double("attention_efficiency");
  p.simt_efficiency = cfg.get_double("simt_efficiency");
  p.gemm_tiles = parse_tiles(cfg.at("gemm_tiles"));
  p.hbm_bandwidth = cfg.get_bandwidth("hbm_bandwidth");
  p.hbm_efficiency = cfg.get_double("hbm_efficiency");
  p.memory_ramp = cfg.get_time("memory_ramp");
  p.memory_capacity = cfg.get_size("memory_capacity");
  p.l2_capacity = cfg.get_size("l2_capacity");
  p.sector = cfg.get_size("sector");
  p.launch_eager = cfg.get_time("launch_eager");
  p.launch_graph = cfg.get_time("launch_graph");
  p.link_bandwidth = cfg.get_bandwidth("link_bandwidth");
  p.link_efficiency = cfg.get_double("link_efficiency");
  p.link_latency = cfg.get_time("link_latency");
  p.energy_per_flop = cfg.get_energy("energy_per_flop");
  p.energy_per_byte = cfg.get_energy("energy_per_byte");
  if (p.clock.as_hz() <= 0.0) {
    throw config::ConfigError(cfg.at("clock").origin(), "clock must be > 0");
  }
  if (p.hbm_bandwidth.bytes_per_second() <= 0.0) {
    throw config::ConfigError(cfg.at("hbm_bandwidth").origin(), "hbm_bandwidth must be > 0");
  }
  if (p.sector.count() == 0) {
    throw config::ConfigError(cfg.at("sector").origin(), "sector must be > 0");
  }
  if (p.fma_fp32 == 0) {
    throw config::ConfigError(cfg.at("fma_per_clock_fp32").origin(),
                              "fma_per_clock_fp32 must be > 0");
  }
  return p;
}

GpuSpec load_gpu_preset(const std::string& path) {
  config::Node node = config::load_file(path);
  auto schema = gpu_spec_schema();
  schema->add("type", Type::kString, "Component type.").one_of({"gpu"});
  config::validate(node, *schema, "gpu");
  return spec_from(node);
}

double OpResult::achieved_flops() const {
  const double s = total().as_seconds();
  return s > 0.0 ? flops / s : 0.0;
}

Bandwidth OpResult::achieved_bandwidth() const {
  const double s = total().as_seconds();
  return Bandwidth::bytes_per_second(s > 0.0 ? bytes.as_double() / s : 0.0);
}

double OpResult::compute_utilization() const {
  return peak_flops > 0.0 ? achieved_flops() / peak_flops : 0.0;
}

double OpResult::bandwidth_utilization() const {
  const double peak = peak_bandwidth.bytes_per_second();
  return peak > 0.0 ? achieved_bandwidth().bytes_per_second() / peak : 0.0;
}

GpuModel::GpuModel(GpuSpec spec, LaunchMode mode) : spec_(std::move(spec)), mode_(mode) {}

Time GpuModel::launch_overhead() const {
  return mode_ == LaunchMode::kGraph ? spec_.launch_graph : spec_.launch_eager;
}

double GpuModel::peak_flops(DType t) const {
  std::uint64_t fma = 0;
  switch (t) {
    case DType::kFp32:
      fma = spec_.fma_fp32;
      break;
    case DType::kTf32:
      fma = spec_.fma_tf32;
      break;
    case DType::kFp16:
      fma = spec_.fma_fp16;
      break;
    case DType::kBf16:
      fma = spec_.fma_bf16;
      break;
    case DType::kFp8:
      fma = spec_.fma_fp8;
      break;
  }
  if (fma == 0) {
    throw std::invalid_argument(fmt::format("this GPU has no {} units", to_string(t)));
  }
  return d(spec_.sms) * d(fma) * 2.0 * spec_.clock.as_hz();
}

Bandwidth GpuModel::achievable_bandwidth() const {
  return Bandwidth::bytes_per_second(spec_.hbm_bandwidth.bytes_per_second() * spec_.hbm_efficiency);
}

Time GpuModel::memory_time(Bytes bytes) const {
  const Time stream = achievable_bandwidth().transfer_time(bytes);
  return stream + min(spec_.memory_ramp, stream);
}

Time GpuModel::compute_time(double flops, double rate) const {
  return Time::ps(static_cast<std::int64_t>(std::ceil(flops * 1e12 / rate)));
}

Bytes GpuModel::sectors(Bytes segment) const {
  const std::uint64_t s = spec_.sector.count();
  return Bytes(ceil_div(segment.count(), s) * s);
}

OpResult GpuModel::finish(OpResult r, Time compute, std::uint64_t kernels) const {
  const Time memory = memory_time(r.bytes);
  r.compute_bound = compute >= memory;
  r.kernel = max(compute, memory);
  r.kernels = kernels;
  r.launch = launch_overhead() * static_cast<std::int64_t>(kernels);
  if (r.peak_bandwidth.bytes_per_second() <= 0.0) r.peak_bandwidth = spec_.hbm_bandwidth;
  return r;
}

OpResult GpuModel::grouped_gemm(const std::string& name, const std::vector<std::uint64_t>& ms,
                                std::uint64_t n, std::uint64_t k, DType t) const {
  const double peak = peak_flops(t);
  const double sm_rate = peak / d(spec_.sms) * spec_.tensor_efficiency;
  const std::uint64_t es = dtype_bytes(t);
  OpResult r;
  r.op = name;
  r.peak_flops = peak;
  std::uint64_t active = 0;
  std::uint64_t rows = 0;
  for (const auto m : ms) {
    if (m == 0) continue;
    ++active;
    rows += m;
  }
  r.flops = 2.0 * d(rows) * d(n) * d(k);
  // Compulsory traffic: A (rows x k) and C (rows x n) of every product, B (k x n) of each.
  r.bytes = Bytes((rows * k + rows * n + active * k * n) * es);
  r.segments = 3 * active;
  // For each tile shape (and split-K when the tiles leave SMs idle) the kernel time is
  // max(compute, traffic); the shape with the least time is chosen.
  const Time memory = memory_time(r.bytes);
  Time best = Time::max();
  Time best_compute = Time::zero();
  for (const auto& tile : spec_.gemm_tiles) {
    std::uint64_t tiles = 0;
    std::uint64_t padded_rows = 0;
    for (const auto m : ms) {
      if (m == 0) continue;
      tiles += ceil_div(m, tile.m) * ceil_div(n, tile.n);
      padded_rows += ceil_div(m, tile.m) * tile.m;
    }
    if (tiles == 0) continue;
    // Split-K: fewer tiles than SMs -> each tile's K range is split over up to sms / tiles CTAs
    // (at least kMinSplitK deep each); partial sums are reduced through L2 (not HBM traffic).
    const std::uint64_t split =
        tiles < spec_.sms ? std::max<std::uint64_t>(1, std::min(spec_.sms / tiles, k / kMinSplitK))
                          : 1;
    const std::uint64_t ctas = tiles * split;
    const std::uint64_t waves = ceil_div(ctas, spec_.sms);
    const double tile_flops = 2.0 * d(tile.m) * d(tile.n) * d(ceil_div(k, split));
    const Time compute = compute_time(d(waves) * tile_flops, sm_rate);
    if (max(compute, memory) < best) {
      best = max(compute, memory);
      best_compute = compute;
      r.tile = tile;
      r.tiles = tiles;
      r.split_k = split;
      r.waves = waves;
      r.tile_efficiency = d(rows) * d(n) / (d(padded_rows) * d(ceil_div(n, tile.n) * tile.n));
      r.wave_efficiency = d(ctas) / (d(waves) * d(spec_.sms));
    }
  }
  return finish(r, best_compute, 1);
}

OpResult GpuModel::gemm(const GemmShape& s) const {
  if (s.m == 0 || s.n == 0 || s.k == 0 || s.batch == 0) {
    throw std::invalid_argument("gemm: m, n, k and batch must be > 0");
  }
  return grouped_gemm(fmt::format("gemm {}x{}x{} {}", s.m, s.n, s.k, to_string(s.dtype)),
                      std::vector<std::uint64_t>(s.batch, s.m), s.n, s.k, s.dtype);
}

OpResult GpuModel::gemv(std::uint64_t m, std::uint64_t n, DType t) const {
  if (m == 0 || n == 0) throw std::invalid_argument("gemv: m and n must be > 0");
  const std::uint64_t es = dtype_bytes(t);
  OpResult r;
  r.op = fmt::format("gemv {}x{} {}", m, n, to_string(t));
  r.peak_flops = peak_flops(DType::kFp32);
  r.flops = 2.0 * d(m) * d(n);
  r.bytes = sectors(Bytes(m * n * es)) + sectors(Bytes(n * es)) + sectors(Bytes(m * es));
  r.segments = 3;
  return finish(r, compute_time(r.flops, r.peak_flops * spec_.simt_efficiency), 1);
}

OpResult GpuModel::decode_attention(const DecodeAttentionShape& s) const {
  if (s.batch == 0 || s.q_heads == 0 || s.kv_heads == 0 || s.context == 0 || s.head_dim == 0 ||
      s.q_heads % s.kv_heads != 0 || (s.paged && s.page_tokens == 0)) {
    throw std::invalid_argument(
        "decode attention: sizes must be > 0 and q_heads a multiple of kv_heads");
  }
  const std::uint64_t es = dtype_bytes(s.dtype);
  OpResult r;
  r.op = fmt::format("decode attn b{} ctx{} h{}/{} d{} {}{}", s.batch, s.context, s.q_heads,
                     s.kv_heads, s.head_dim, to_string(s.dtype), s.paged ? " paged" : "");
  r.peak_flops = peak_flops(s.dtype);
  r.flops = 4.0 * d(s.batch) * d(s.q_heads) * d(s.context) * d(s.head_dim);
  Bytes kv;
  if (s.paged) {
    const std::uint64_t pages = ceil_div(s.context, s.page_tokens);
    const std::uint64_t segs = s.batch * s.kv_heads * pages * 2;
    kv = Bytes(segs * sectors(Bytes(s.page_tokens * s.head_dim * es)).count()) +
         Bytes(s.batch * sectors(Bytes(pages * 4)).count());  // block tables
    r.segments = segs + s.batch;
  } else {
    const std::uint64_t segs = s.batch * s.kv_heads * 2;
    kv = Bytes(segs * sectors(Bytes(s.context * s.head_dim * es)).count());
    r.segments = segs;
  }
  const Bytes q_or_o = Bytes(s.batch * sectors(Bytes(s.q_heads * s.head_dim * es)).count());
  r.bytes = kv + q_or_o + q_or_o;
  r.segments += 2 * s.batch;
  return finish(r, compute_time(r.flops, r.peak_flops * spec_.attention_efficiency), 1);
}

OpResult GpuModel::prefill_attention(const PrefillAttentionShape& s) const {
  if (s.batch == 0 || s.q_heads == 0 || s.kv_heads == 0 || s.seq_q == 0 || s.seq_kv < s.seq_q ||
      s.head_dim == 0 || s.q_heads % s.kv_heads != 0 || s.block_q == 0) {
    throw std::invalid_argument(
        "prefill attention: sizes must be > 0, seq_kv >= seq_q, q_heads a multiple of kv_heads");
  }
  const std::uint64_t es = dtype_bytes(s.dtype);
  OpResult r;
  r.op = fmt::format("prefill attn b{} s{} h{}/{} d{} {}{}", s.batch, s.seq_q, s.q_heads,
                     s.kv_heads, s.head_dim, to_string(s.dtype), s.causal ? " causal" : "");
  r.peak_flops = peak_flops(s.dtype);
  // (query, key) pairs: causal aligns the queries with the last seq_q keys.
  const double pairs =
      s.causal ? d(s.seq_q) * d(s.seq_kv - s.seq_q) + d(s.seq_q) * (d(s.seq_q) + 1.0) / 2.0
               : d(s.seq_q) * d(s.seq_kv);
  const double visited = pairs / (d(s.seq_q) * d(s.seq_kv));
  r.flops = 4.0 * d(s.batch) * d(s.q_heads) * pairs * d(s.head_dim);
  const Bytes q = Bytes(s.batch * s.q_heads * s.seq_q * s.head_dim * es);
  const std::uint64_t kv_per_head = s.seq_kv * s.head_dim * es * 2;
  const std::uint64_t qblocks = ceil_div(s.seq_q, s.block_q);
  const std::uint64_t ctas = s.batch * s.q_heads * qblocks;
  const std::uint64_t resident_heads = ceil_div(std::min(ctas, spec_.sms), qblocks);
  Bytes kv = Bytes(s.batch * s.kv_heads * kv_per_head);
  if (resident_heads * kv_per_head > spec_.l2_capacity.count()) {
    // Every query block streams its head's K and V (the part it visits) from HBM.
    kv = Bytes(static_cast<std::uint64_t>(std::ceil(d(ctas) * d(kv_per_head) * visited)));
  }
  r.bytes = q + q + kv;
  r.segments = 2 * s.batch * s.q_heads + s.batch * s.kv_heads * 2;
  return finish(r, compute_time(r.flops, r.peak_flops * spec_.attention_efficiency), 1);
}

OpResult GpuModel::elementwise(const ElementwiseShape& s) const {
  const std::uint64_t es = dtype_bytes(s.dtype);
  OpResult r;
  r.op =
      fmt::format("elementwise {} x{}/{} {}", s.elements, s.inputs, s.outputs, to_string(s.dtype));
  r.peak_flops = peak_flops(DType::kFp32);
  r.flops = d(s.elements) * s.flops_per_element;
  r.bytes = Bytes((s.inputs + s.outputs) * sectors(Bytes(s.elements * es)).count());
  r.segments = s.inputs + s.outputs;
  return finish(r, compute_time(r.flops, r.peak_flops * spec_.simt_efficiency), 1);
}

OpResult GpuModel::softmax(std::uint64_t rows, std::uint64_t cols, DType t) const {
  OpResult r = elementwise({rows * cols, 1, 1, t, 5.0});
  r.op = fmt::format("softmax {}x{} {}", rows, cols, to_string(t));
  return r;
}

OpResult GpuModel::moe_ffn(const MoeFfnShape& s) const {
  if (s.d_model == 0 || s.d_ff == 0) throw std::invalid_argument("moe: d_model, d_ff must be > 0");
  const std::uint64_t up_n = (s.gated ? 2 : 1) * s.d_ff;
  const OpResult up = grouped_gemm("up", s.tokens_per_expert, up_n, s.d_model, s.dtype);
  const OpResult down = grouped_gemm("down", s.tokens_per_expert, s.d_model, s.d_ff, s.dtype);
  std::uint64_t tokens = 0;
  std::uint64_t active = 0;
  for (const auto t : s.tokens_per_expert) {
    tokens += t;
    active += t > 0 ? 1 : 0;
  }
  OpResult r;
  r.op = fmt::format("moe ffn {} tok / {} experts d{} ff{} {}", tokens, active, s.d_model, s.d_ff,
                     to_string(s.dtype));
  r.kernel = up.kernel + down.kernel;
  r.launch = up.launch + down.launch;
  r.kernels = 2;
  r.flops = up.flops + down.flops;
  r.bytes = up.bytes + down.bytes;
  r.segments = up.segments + down.segments;
  r.compute_bound = up.compute_bound && down.compute_bound;
  r.peak_flops = up.peak_flops;
  r.peak_bandwidth = spec_.hbm_bandwidth;
  r.tiles = up.tiles + down.tiles;
  r.waves = up.waves + down.waves;
  return r;
}

OpResult GpuModel::all_reduce(Bytes bytes, std::uint64_t ranks) const {
  if (ranks == 0) throw std::invalid_argument("all-reduce: ranks must be > 0");
  OpResult r;
  r.op = fmt::format("all-reduce {} B x{} ring", bytes.count(), ranks);
  r.peak_bandwidth = spec_.link_bandwidth;
  if (ranks == 1) {
    r.kernels = 0;
    return r;
  }
  if (spec_.link_bandwidth.bytes_per_second() <= 0.0) {
    throw std::invalid_argument("all-reduce: this GPU has no link_bandwidth");
  }
  const double n = d(ranks);
  r.bytes = Bytes(static_cast<std::uint64_t>(std::ceil(2.0 * (n - 1.0) / n * bytes.as_double())));
  const Bandwidth eff =
      Bandwidth::bytes_per_second(spec_.link_bandwidth.bytes_per_second() * spec_.link_efficiency);
  r.kernel =
      eff.transfer_time(r.bytes) + spec_.link_latency * static_cast<std::int64_t>(2 * (ranks - 1));
  r.kernels = 1;
  r.launch = launch_overhead();
  return r;
}

OpResult GpuModel::roofline(double flops, Bytes bytes, DType t) const {
  OpResult r;
  r.op = fmt::format("kernel {} {}", flops, to_string(t));
  r.peak_flops = peak_flops(t);
  r.flops = flops;
  r.bytes = bytes;
  const double eff = t == DType::kFp32 ? spec_.simt_efficiency : spec_.tensor_efficiency;
  return finish(r, compute_time(flops, r.peak_flops * eff), 1);
}

}  // namespace tiersim::models::gpu
