#include "sim/validate/predict.h"

#include <stdexcept>

#include "models/sram/backing_memory.h"
#include "models/sram/sectored_cache_timing.h"
#include "models/sram/streaming_passes.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/kernel/component.h"

namespace tiersim::validate {
namespace {

namespace gpu = models::gpu;

gpu::DecodeAttentionShape attention_shape(std::uint64_t batch, std::uint64_t q_heads,
                                          std::uint64_t kv_heads, std::uint64_t context,
                                          std::uint64_t head_dim, bool paged,
                                          std::uint64_t page_tokens) {
  gpu::DecodeAttentionShape s;
  s.batch = batch;
  s.q_heads = q_heads;
  s.kv_heads = kv_heads;
  s.context = context;
  s.head_dim = head_dim;
  s.dtype = gpu::DType::kFp16;
  s.paged = paged;
  s.page_tokens = page_tokens;
  return s;
}

gpu::ElementwiseShape elementwise(std::uint64_t elements, std::uint64_t in, std::uint64_t out,
                                  gpu::DType t) {
  gpu::ElementwiseShape s;
  s.elements = elements;
  s.inputs = in;
  s.outputs = out;
  s.dtype = t;
  return s;
}

models::SectoredCacheConfig load_l2(const std::string& path, Bandwidth hbm) {
  config::Node node = config::load_file(path);
  config::validate(node, *kernel::component_schema("sectored_cache"), "l2");
  models::SectoredCacheConfig c = models::sectored_cache_config(node);
  c.backing_bandwidth = hbm;  // the measured GPU's HBM (the L2 preset names the H100's)
  return c;
}

}  // namespace

Predictor::Predictor(const PresetFiles& files, const std::string& tiersim)
    : gpu_(gpu::load_gpu_preset(files.gpu), gpu::LaunchMode::kGraph),
      l2_(load_l2(files.l2, gpu_.spec().hbm_bandwidth)),
      copies_(std::make_unique<CopySimulator>(tiersim, files.system)) {}

Time Predictor::predict(const Point& p) {
  switch (p.kind) {
    case Kind::kCopy:
      return copy(p);
    case Kind::kHbmStream: {
      const std::uint64_t elements = p.get("bytes") / 4;
      const std::uint64_t in = p.op == "write" ? 0 : 1;
      const std::uint64_t out = p.op == "read" ? 0 : 1;
      return gpu_.elementwise(elementwise(elements, in, out, gpu::DType::kFp32)).total();
    }
    case Kind::kPointerChase:
      return pointer_chase(p);
    case Kind::kL2Sweep:
      return l2_sweep(p);
    case Kind::kKvGather: {
      const std::uint64_t bytes = p.get("pages") * p.get("page_tokens") * p.get("token_bytes");
      return gpu_.roofline(0, Bytes(2 * bytes), gpu::DType::kFp16).total();
    }
    case Kind::kDecodeAttention:
      return gpu_
          .decode_attention(attention_shape(p.get("batch"), p.get("q_heads"), p.get("kv_heads"),
                                            p.get("context"), p.get("head_dim"),
                                            p.get("paged") == 1, p.get("page_tokens")))
          .total();
    case Kind::kGemv:
      return gpu_.gemv(p.get("m"), p.get("n"), gpu::DType::kFp16).total();
    case Kind::kGemm: {
      gpu::GemmShape s;
      s.m = p.get("m");
      s.n = p.get("n");
      s.k = p.get("k");
      s.dtype = gpu::DType::kBf16;
      return gpu_.gemm(s).total();
    }
    case Kind::kLayer:
      return layer(p);
  }
  throw std::logic_error("predict: unknown kind");
}

Time Predictor::copy(const Point& p) {
  const Bytes bytes(p.get("bytes"));
  if (p.op == "d2d") {
    return gpu_.elementwise(elementwise(bytes.count() / 2, 1, 1, gpu::DType::kFp16)).total();
  }
  const bool pageable = p.memory == "pageable";
  if (p.get("chained") == 1) {
    return copies_->simulate_copies({{true, pageable, bytes}}) +
           copies_->simulate_copies({{false, pageable, bytes}});
  }
  std::vector<HostCopy> c(p.get("streams"), HostCopy{p.op == "h2d", pageable, bytes});
  return copies_->simulate_copies(c);
}

Time Predictor::pointer_chase(const Point& p) const {
  models::sram::TimelineBacking backing(l2_.backing_latency, l2_.backing_bandwidth);
  models::sram::SectoredCacheTiming cache(l2_.cache, backing);
  const std::vector<std::uint32_t> next = chase_order(p);
  const std::uint64_t stride = p.get("stride");
  std::uint64_t node = 0;
  Time t;
  const auto load = [&] {
    const auto w = cache.access(kernel::TxnKind::kRead, t, t, node * stride, Bytes(8), 0);
    t = w.last;
    node = next[node];
  };
  for (std::uint64_t i = 0; i < chase_warm_loads(p); ++i) load();
  const Time start = t;
  const std::uint64_t loads = p.get("loads");
  for (std::uint64_t i = 0; i < loads; ++i) load();
  const Time total = (t - start) + gpu_.launch_overhead();
  return Time::ps((total.ps() + static_cast<std::int64_t>(loads) / 2) /
                  static_cast<std::int64_t>(loads));
}

Time Predictor::l2_sweep(const Point& p) const {
  const auto r =
      models::sram::streaming_passes(l2_.cache, l2_.backing_latency, l2_.backing_bandwidth,
                                     Bytes(p.get("footprint")), Bytes::KiB(4), 2, 2);
  return Time::ps((r.elapsed.ps() + 1) / 2) + gpu_.launch_overhead();
}

Time Predictor::layer(const Point& p) const {
  Time total;
  for (const LayerStep& s : layer_steps(p)) {
    switch (s.op) {
      case LayerStep::Op::kGemm: {
        gpu::GemmShape g;
        g.m = s.m;
        g.n = s.n;
        g.k = s.k;
        g.dtype = gpu::DType::kFp16;
        total += gpu_.gemm(g).total();
        break;
      }
      case LayerStep::Op::kDecodeAttention:
        total += gpu_.decode_attention(attention_shape(s.batch, s.q_heads, s.kv_heads, s.context,
                                                       s.head_dim, false, 16))
                     .total();
        break;
      case LayerStep::Op::kElementwise:
        total += gpu_.elementwise(elementwise(s.elements, s.inputs, s.outputs, gpu::DType::kFp16))
                     .total();
        break;
    }
  }
  return total;
}

}  // namespace tiersim::validate
