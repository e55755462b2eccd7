#include "sim/validate/suite.h"

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

namespace tiersim::validate {
namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = kKiB * kKiB;
constexpr std::uint64_t kGiB = kMiB * kKiB;

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::vector<std::string_view> keys;
  std::vector<std::string_view> ops;
  std::vector<std::string_view> memories;
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> k = {
      {Kind::kCopy,
       "copy",
       {"bytes", "streams", "chained"},
       {"h2d", "d2h", "d2d"},
       {"pinned", "pageable", "wc", "device"}},
      {Kind::kHbmStream, "hbm_stream", {"bytes", "occupancy_pct"}, {"read", "write", "copy"}, {}},
      {Kind::kPointerChase, "pointer_chase", {"footprint", "stride", "random", "loads"}, {}, {}},
      {Kind::kL2Sweep, "l2_sweep", {"footprint"}, {}, {}},
      {Kind::kKvGather, "kv_gather", {"pages", "page_tokens", "token_bytes"}, {}, {}},
      {Kind::kDecodeAttention,
       "decode_attention",
       {"batch", "q_heads", "kv_heads", "context", "head_dim", "paged", "page_tokens"},
       {},
       {}},
      {Kind::kGemv, "gemv", {"m", "n"}, {}, {}},
      {Kind::kGemm, "gemm", {"m", "n", "k"}, {}, {}},
      {Kind::kLayer,
       "layer",
       {"batch", "context", "hidden", "heads", "kv_heads", "head_dim", "intermediate"},
       {},
       {}},
  };
  return k;
}

const KindInfo& info(Kind k) {
  for (const auto& i : kinds()) {
    if (i.kind == k) return i;
  }
  throw std::logic_error("validate: unknown kind");
}

std::string size_label(std::uint64_t b) {
  if (b % kGiB == 0) return std::to_string(b / kGiB) + "GiB";
  if (b % kMiB == 0) return std::to_string(b / kMiB) + "MiB";
  if (b % kKiB == 0) return std::to_string(b / kKiB) + "KiB";
  return std::to_string(b) + "B";
}

Point make(std::string id, Kind kind, std::string op = {}, std::string memory = {}) {
  Point p;
  p.id = std::move(id);
  p.kind = kind;
  p.op = std::move(op);
  p.memory = std::move(memory);
  return p;
}

void add_copies(std::vector<Point>& s) {
  for (const char* dir : {"h2d", "d2h"}) {
    for (const char* mem : {"pinned", "pageable", "wc"}) {
      for (const std::uint64_t b : {4 * kKiB, 64 * kKiB, kMiB, 16 * kMiB, 64 * kMiB, 256 * kMiB}) {
        Point p = make("copy/" + std::string(dir) + "/" + mem + "/" + size_label(b), Kind::kCopy,
                       dir, mem);
        p.set("bytes", b).set("streams", 1).set("chained", 0);
        // Calibration: the pinned plateaus set the link efficiency (completion size, overheads);
        // the pageable plateaus set the host's staging-copy bandwidth (a CPU memcpy into the
        // driver's pinned buffer, a property of the host, not of the GPU or link).
        p.calibration = std::string_view(mem) != "wc" && b == 256 * kMiB;
        s.push_back(p);
      }
    }
  }
  for (const std::uint64_t b : {kMiB, 64 * kMiB, 256 * kMiB}) {
    Point p = make("copy/d2d/" + size_label(b), Kind::kCopy, "d2d", "device");
    p.set("bytes", b).set("streams", 1).set("chained", 0);
    s.push_back(p);
  }
  for (const char* dir : {"h2d", "d2h"}) {
    for (const std::uint64_t n : {2, 4}) {
      Point p = make("copy/" + std::string(dir) + "/pinned/64MiB/x" + std::to_string(n) + "streams",
                     Kind::kCopy, dir, "pinned");
      p.set("bytes", 64 * kMiB).set("streams", n).set("chained", 0);
      s.push_back(p);
    }
  }
  // H2D, then a D2H of the same buffer on another stream that waits for it (an event).
  for (const std::uint64_t b : {64 * kKiB, 64 * kMiB}) {
    Point p = make("copy/h2d-then-d2h/pinned/" + size_label(b), Kind::kCopy, "h2d", "pinned");
    p.set("bytes", b).set("streams", 2).set("chained", 1);
    s.push_back(p);
  }
}

void add_hbm_and_l2(std::vector<Point>& s) {
  for (const char* op : {"read", "write", "copy"}) {
    for (const std::uint64_t b : {16 * kMiB, 64 * kMiB, 256 * kMiB, kGiB}) {
      for (const std::uint64_t occ : {25, 50, 100}) {
        Point p =
            make("hbm/" + std::string(op) + "/" + size_label(b) + "/occ" + std::to_string(occ),
                 Kind::kHbmStream, op);
        p.set("bytes", b).set("occupancy_pct", occ);
        // Calibration: two full-occupancy reads set hbm_efficiency (1 GiB) and memory_ramp
        // (64 MiB: what a memory-bound kernel loses filling and draining the memory pipeline);
        // reads dominate LLM inference traffic (weights, KV). Writes and copies are held out.
        p.calibration =
            std::string_view(op) == "read" && (b == kGiB || b == 64 * kMiB) && occ == 100;
        s.push_back(p);
      }
    }
  }
  for (const std::uint64_t mb : {1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 128}) {
    Point p = make("l2/" + std::to_string(mb) + "MB", Kind::kL2Sweep);
    p.set("footprint", mb * 1000 * 1000);
    p.calibration = mb == 16;  // sets the (assumed) L2 partition bandwidth
    s.push_back(p);
  }
}

void add_chases(std::vector<Point>& s) {
  const std::array<std::uint64_t, 10> footprints = {4 * kKiB,  64 * kKiB, kMiB,       4 * kMiB,
                                                    16 * kMiB, 64 * kMiB, 256 * kMiB, kGiB,
                                                    2 * kGiB,  4 * kGiB};
  for (const std::uint64_t stride : {4 * kKiB, 2 * kMiB}) {
    for (const std::uint64_t random : {0, 1}) {
      for (const std::uint64_t f : footprints) {
        if (f < stride) continue;
        Point p = make("chase/" + std::string(random ? "random" : "seq") + "/stride" +
                           size_label(stride) + "/" + size_label(f),
                       Kind::kPointerChase);
        p.set("footprint", f).set("stride", stride).set("random", random).set("loads", 2048);
        // Calibration: an L2 hit (one node), hits spread over both L2 partitions (random over
        // 64 MiB, 4 KiB apart: 16 Ki lines, 2 MiB of lines, the far-partition latency), and DRAM
        // loads (random over 4 GiB, 4 KiB apart: 1 Mi lines, 128 MiB of lines, well over the L2).
        p.calibration = stride == 4 * kKiB && ((f == 4 * kKiB && random == 0) ||
                                               (random == 1 && (f == 64 * kMiB || f == 4 * kGiB)));
        s.push_back(p);
      }
    }
  }
}

void add_kv_and_attention(std::vector<Point>& s) {
  // Llama-3-8B-like KV: 8 KV heads x 128 dims x fp16, K and V: 4 KiB per token; 256 MiB gathered.
  for (const std::uint64_t pt : {1, 4, 16, 64, 256}) {
    Point p = make("kv_gather/page" + std::to_string(pt), Kind::kKvGather);
    p.set("pages", 256 * kMiB / (pt * 4 * kKiB))
        .set("page_tokens", pt)
        .set("token_bytes", 4 * kKiB);
    s.push_back(p);
  }
  for (const std::uint64_t paged : {0, 1}) {
    for (const std::uint64_t batch : {1, 16, 64}) {
      for (const std::uint64_t ctx : {1024, 4096}) {
        Point p = make("attn/gqa32x8/" + std::string(paged ? "paged16" : "contig") + "/b" +
                           std::to_string(batch) + "/ctx" + std::to_string(ctx),
                       Kind::kDecodeAttention);
        p.set("batch", batch).set("q_heads", 32).set("kv_heads", 8).set("context", ctx);
        p.set("head_dim", 128).set("paged", paged).set("page_tokens", 16);
        s.push_back(p);
      }
    }
    Point p = make("attn/mha32/" + std::string(paged ? "paged16" : "contig") + "/b16/ctx4096",
                   Kind::kDecodeAttention);
    p.set("batch", 16).set("q_heads", 32).set("kv_heads", 32).set("context", 4096);
    p.set("head_dim", 128).set("paged", paged).set("page_tokens", 16);
    s.push_back(p);
  }
}

void add_gemv_gemm_layer(std::vector<Point>& s) {
  const std::array<std::array<std::uint64_t, 2>, 4> gemvs = {
      {{4096, 4096}, {14336, 4096}, {4096, 14336}, {32000, 4096}}};
  for (const auto& [m, n] : gemvs) {
    Point p = make("gemv/" + std::to_string(m) + "x" + std::to_string(n), Kind::kGemv);
    p.set("m", m).set("n", n);
    s.push_back(p);
  }
  const std::array<std::array<std::uint64_t, 3>, 7> gemms = {{{16, 4096, 4096},
                                                              {128, 4096, 4096},
                                                              {1024, 4096, 4096},
                                                              {4096, 4096, 4096},
                                                              {8192, 8192, 8192},
                                                              {16, 14336, 4096},
                                                              {16, 6144, 4096}}};
  for (const auto& [m, n, k] : gemms) {
    Point p = make("gemm/" + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k),
                   Kind::kGemm);
    p.set("m", m).set("n", n).set("k", k);
    p.calibration = m == 8192;  // sets tensor_efficiency
    s.push_back(p);
  }
  // One decoder layer of Llama-3-8B (configs/models/llama-3-8b.yaml) in decode.
  for (const std::uint64_t batch : {1, 16, 64}) {
    for (const std::uint64_t ctx : {1024, 4096}) {
      Point p = make("layer/llama-3-8b/b" + std::to_string(batch) + "/ctx" + std::to_string(ctx),
                     Kind::kLayer);
      p.set("batch", batch).set("context", ctx).set("hidden", 4096).set("heads", 32);
      p.set("kv_heads", 8).set("head_dim", 128).set("intermediate", 14336);
      s.push_back(p);
    }
  }
}

bool is_pow2(std::uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

}  // namespace

std::string_view to_string(Kind k) {
  return info(k).name;
}

std::optional<Kind> parse_kind(std::string_view s) {
  for (const auto& i : kinds()) {
    if (i.name == s) return i.kind;
  }
  return std::nullopt;
}

const std::vector<std::string_view>& kind_keys(Kind k) {
  return info(k).keys;
}
const std::vector<std::string_view>& kind_ops(Kind k) {
  return info(k).ops;
}
const std::vector<std::string_view>& kind_memories(Kind k) {
  return info(k).memories;
}

std::uint64_t Point::get(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  throw std::out_of_range("point '" + id + "' has no parameter '" + std::string(key) + "'");
}

Point& Point::set(std::string_view key, std::uint64_t value) {
  for (auto& [k, v] : params) {
    if (k == key) {
      v = value;
      return *this;
    }
  }
  params.emplace_back(std::string(key), value);
  return *this;
}

std::optional<std::string> check(const Point& p) {
  const auto& keys = kind_keys(p.kind);
  if (p.id.empty()) return "empty id";
  for (const auto& key : keys) {
    if (std::count_if(p.params.begin(), p.params.end(),
                      [&](const auto& kv) { return kv.first == key; }) != 1) {
      return "missing parameter '" + std::string(key) + "'";
    }
  }
  for (const auto& [k, v] : p.params) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      return "unknown parameter '" + k + "' for kind " + std::string(to_string(p.kind));
    }
  }
  const auto allowed = [](const std::vector<std::string_view>& list, const std::string& v) {
    return list.empty() ? v.empty() : std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!allowed(kind_ops(p.kind), p.op)) return "bad op '" + p.op + "'";
  if (!allowed(kind_memories(p.kind), p.memory)) return "bad memory '" + p.memory + "'";
  for (const auto& [k, v] : p.params) {
    const bool may_be_zero = k == "chained" || k == "random" || k == "paged";
    if (v == 0 && !may_be_zero) return "parameter '" + k + "' must be positive";
  }
  switch (p.kind) {
    case Kind::kCopy:
      if (p.get("chained") > 1) return "chained must be 0 or 1";
      if ((p.op == "d2d") != (p.memory == "device")) {
        return "memory 'device' goes with op d2d and only with it";
      }
      if (p.get("chained") == 1 && (p.op != "h2d" || p.get("streams") != 2)) {
        return "a chained copy is an h2d then a d2h on 2 streams";
      }
      break;
    case Kind::kHbmStream:
      if (p.get("occupancy_pct") > 100) return "occupancy_pct must be <= 100";
      if (p.get("bytes") % 16 != 0) return "bytes must be a multiple of 16";
      break;
    case Kind::kPointerChase:
      if (p.get("stride") > p.get("footprint")) return "stride must be <= footprint";
      if (p.get("stride") < 8 || p.get("stride") % 8 != 0) return "stride must be a multiple of 8";
      if (p.get("random") > 1) return "random must be 0 or 1";
      if (p.get("footprint") / p.get("stride") > (1u << 30)) return "too many nodes";
      break;
    case Kind::kL2Sweep:
      if (p.get("footprint") % 16 != 0) return "footprint must be a multiple of 16";
      break;
    case Kind::kKvGather:
      if (p.get("token_bytes") % 16 != 0) return "token_bytes must be a multiple of 16";
      if (p.get("pages") > (1u << 30)) return "too many pages";
      break;
    case Kind::kDecodeAttention:
    case Kind::kLayer: {
      const std::uint64_t q = p.get(p.kind == Kind::kLayer ? "heads" : "q_heads");
      const std::uint64_t kv = p.get("kv_heads");
      if (q % kv != 0 || q / kv > 8) return "q heads must be 1..8 times kv_heads";
      if (p.get("head_dim") > 128 || p.get("head_dim") % 8 != 0) {
        return "head_dim must be a multiple of 8 and <= 128";
      }
      if (p.kind == Kind::kDecodeAttention && p.get("paged") > 1) return "paged must be 0 or 1";
      if (p.kind == Kind::kDecodeAttention && !is_pow2(p.get("page_tokens"))) {
        return "page_tokens must be a power of two";
      }
      break;
    }
    case Kind::kGemv:
      if (p.get("n") % 8 != 0) return "n must be a multiple of 8";
      break;
    case Kind::kGemm:
      break;
  }
  return std::nullopt;
}

std::vector<Point> standard_suite() {
  std::vector<Point> s;
  add_copies(s);
  add_hbm_and_l2(s);
  add_chases(s);
  add_kv_and_attention(s);
  add_gemv_gemm_layer(s);
  return s;
}

std::uint64_t chase_nodes(const Point& p) {
  return p.get("footprint") / p.get("stride");
}

std::uint64_t chase_warm_loads(const Point& p) {
  return chase_nodes(p);
}

std::vector<std::uint32_t> chase_order(const Point& p) {
  const std::uint64_t n = chase_nodes(p);
  std::vector<std::uint32_t> next(n);
  if (p.get("random") == 0) {
    for (std::uint64_t i = 0; i < n; ++i) next[i] = static_cast<std::uint32_t>((i + 1) % n);
    return next;
  }
  // Sattolo: a uniformly random permutation with a single cycle.
  std::vector<std::uint32_t> perm(n);
  for (std::uint64_t i = 0; i < n; ++i) perm[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(p.get("footprint") ^ (p.get("stride") << 32) ^ 0x9e3779b97f4a7c15ULL);
  for (std::uint64_t i = n; i > 1; --i) {
    const std::uint64_t j = rng() % (i - 1);  // j < i - 1
    std::swap(perm[i - 1], perm[j]);
  }
  for (std::uint64_t i = 0; i < n; ++i) next[perm[i]] = perm[(i + 1) % n];
  return next;
}

std::vector<std::uint32_t> kv_page_table(const Point& p) {
  const std::uint64_t pages = p.get("pages");
  std::vector<std::uint32_t> pool(2 * pages);
  for (std::uint64_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(p.get("page_tokens") * 0x2545f4914f6cdd1dULL + 1);
  for (std::uint64_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng() % i]);
  pool.resize(pages);
  return pool;
}

std::vector<LayerStep> layer_steps(const Point& p) {
  const std::uint64_t b = p.get("batch"), h = p.get("hidden"), q = p.get("heads");
  const std::uint64_t kv = p.get("kv_heads"), hd = p.get("head_dim"), ff = p.get("intermediate");
  using Op = LayerStep::Op;
  const auto gemm = [](std::string name, std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    LayerStep s;
    s.op = Op::kGemm;
    s.name = std::move(name);
    s.m = m;
    s.n = n;
    s.k = k;
    return s;
  };
  const auto ew = [](std::string name, std::uint64_t elements, std::uint64_t in,
                     std::uint64_t out) {
    LayerStep s;
    s.op = Op::kElementwise;
    s.name = std::move(name);
    s.elements = elements;
    s.inputs = in;
    s.outputs = out;
    return s;
  };
  LayerStep attn;
  attn.op = Op::kDecodeAttention;
  attn.name = "attention";
  attn.batch = b;
  attn.q_heads = q;
  attn.kv_heads = kv;
  attn.context = p.get("context");
  attn.head_dim = hd;
  return {ew("rmsnorm_attn", b * h, 1, 1),        gemm("qkv", b, (q + 2 * kv) * hd, h),
          ew("kv_append", b * 2 * kv * hd, 1, 1), attn,
          gemm("o_proj", b, h, q * hd),           ew("residual_attn", b * h, 2, 1),
          ew("rmsnorm_ffn", b * h, 1, 1),         gemm("gate_up", b, 2 * ff, h),
          ew("silu_mul", b * ff, 2, 1),           gemm("down", b, h, ff),
          ew("residual_ffn", b * h, 2, 1)};
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_members(const Point& p) {
  std::string out = "\"id\":" + json_quote(p.id) + ",\"kind\":" + json_quote(to_string(p.kind)) +
                    ",\"set\":" + json_quote(p.calibration ? "calibration" : "held_out");
  if (!kind_ops(p.kind).empty()) out += ",\"op\":" + json_quote(p.op);
  if (!kind_memories(p.kind).empty()) out += ",\"memory\":" + json_quote(p.memory);
  for (const auto& key : kind_keys(p.kind)) {
    out += ",\"" + std::string(key) + "\":" + std::to_string(p.get(key));
  }
  return out;
}

}  // namespace tiersim::validate
