// flexgen: offloading with placement percentages and the zig-zag block schedule (FlexGen, Sheng
// et al., ICML 2023, arXiv 2303.06865), as its released runtime (flexgen/flex_opt.py,
// pytorch_backend.py) runs it.
//
// Follows the paper's §4.1 (zig-zag block schedule, Algorithm 1) and §4.2-4.3 (tensor placement,
// CPU delegation):
//  - Placement: `percent` = FlexGen's --percent (weights GPU/CPU, KV cache GPU/CPU, activations
//    GPU/CPU; disk gets the rest of each). Each layer's weights and KV are split by those shares.
//  - Zig-zag block: a step's batch is cut into `gpu_batches` GPU batches; the schedule walks
//    layer by layer and, inside a layer, GPU batch by GPU batch, so each layer's offloaded
//    weights are loaded once per block. With `overlap` (Algorithm 1), iteration (layer j, batch
//    k) computes while the next iteration's weights (layer j+1, at k = 0), KV cache and
//    activations load and the previous iteration's KV cache and activations store; the
//    iteration ends when all of them are done (FlexGen's sync()). Without overlap they run one
//    after another.
//  - CPU delegation (§4.3, --cpu-cache-compute): with `cpu_attention`, decode attention over the
//    CPU-resident KV runs on the CPU (q, k, v go down, the attention output comes back), so that
//    KV never crosses PCIe; otherwise it is copied to the GPU.
//  - Disk: FlexGen's disk tensors are numpy memmaps; a disk <-> GPU copy goes through a pinned
//    relay buffer of `pinned_relay` bytes per copy thread (pytorch_backend.py: 1 Gi fp16 elements)
//    — a synchronous memmap read (page-cache read-ahead: `disk_read_request` bytes,
//    `disk_read_depth` in flight) into the relay, then one host -> GPU copy; K and V of a layer are
//    separate tensors, one after the other. Stores go GPU -> relay -> page cache -> disk
//    (`disk_write_request`, `disk_write_depth`; on the critical path: the prefill's KV exceeds the
//    dirty-page limit, so writers are throttled to the disk's write speed).
//  - Capacity (place()): GPU = weights and KV on GPU + two weight buffers and two KV buffers for
//    what is offloaded + FlexGen's prefill attention (scores and softmax of a GPU batch
//    materialized in the dtype, no fused attention) + hidden and FFN activations; pinned host =
//    the relays, and one layer's K (or V) of a GPU batch at the final context must fit one relay
//    (a larger copy cannot be staged); host DRAM = weights and KV on the CPU + relays. Whatever
//    does not fit throws OutOfMemory naming the resource (InstInfer Table 3: batch 128 with KV on
//    disk).
//
// Simplifications: the LP policy search (§4.2) is not run — `percent` and `gpu_batches` are given;
// 4-bit compression is not modelled; activations placed on the CPU move D2H/H2D once per
// iteration; the LM head's weights follow the weight percentages through host memory.
#include <algorithm>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/policies/offload_io.h"
#include "sim/policies/policy.h"

namespace tiersim::policies {
namespace {

using config::Type;

// The part of an op one GPU batch (1/g of the step's sequences) runs: activations and attention
// scale by 1/g, a GEMM's weight operand is read in full by every GPU batch.
ComputeWork part(const ComputeWork& w, std::uint64_t g) {
  if (g <= 1) return w;
  ComputeWork p = w;
  p.flops = w.flops / g;
  const kernel::OpKind k = w.op.kind;
  if (k == kernel::OpKind::kGemm || k == kernel::OpKind::kGemv) {
    const std::uint64_t weights =
        std::uint64_t{w.op.k} * w.op.n * std::max<std::uint32_t>(1, w.op.elem_bytes);
    const std::uint64_t wb = std::min(weights, w.bytes.count());
    p.bytes = Bytes(wb + (w.bytes.count() - wb) / g);
    p.op.m = static_cast<std::uint32_t>((w.op.m + g - 1) / g);
  } else {
    p.bytes = Bytes(w.bytes.count() / g);
    p.op.batch = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (w.op.batch + g - 1) / g));
  }
  return p;
}

class FlexGen : public Policy {
 public:
  explicit FlexGen(const PolicyContext& c)
      : ctx_(c),
        plan_output_(static_cast<std::uint32_t>(c.config.get_uint("plan_output_tokens"))),
        model_(c.model),
        gpu_batches_(static_cast<std::uint32_t>(c.config.get_uint("gpu_batches"))),
        overlap_(c.config.get_bool("overlap")),
        cpu_attention_(c.config.get_bool("cpu_attention")),
        read_req_(c.config.get_size("disk_read_request")),
        read_depth_(static_cast<std::uint32_t>(c.config.get_uint("disk_read_depth"))),
        write_req_(c.config.get_size("disk_write_request")),
        write_depth_(static_cast<std::uint32_t>(c.config.get_uint("disk_write_depth"))),
        relay_(c.config.get_size("pinned_relay")),
        copy_threads_(c.config.get_uint("copy_threads")),
        gpu_reserve_(c.config.get_size("gpu_reserve")),
        host_reserve_(c.config.get_size("host_reserve")),
        gpu_(id("gpu")),
        gpu_mem_(id("gpu_memory")),
        host_mem_(id("host_memory")),
        cpu_(id("cpu")),
        disk_(id("disk")),
        disk_read_(c.stats.counter("disk_read_bytes", "Bytes read from disk (weights, KV)")),
        disk_written_(c.stats.counter("disk_write_bytes", "Bytes written to disk (KV)")),
        h2d_(c.stats.counter("h2d_bytes", "Host -> GPU bytes")),
        d2h_(c.stats.counter("d2h_bytes", "GPU -> host bytes")) {
    const config::Node& p = c.config.at("percent");
    if (p.items().size() != 6) {
      throw config::ConfigError(p.origin(),
                                "percent needs 6 numbers (FlexGen --percent: weights GPU, "
                                "weights CPU, cache GPU, cache CPU, activations GPU, "
                                "activations CPU)");
    }
    std::uint32_t v[6];
    for (int i = 0; i < 6; ++i) {
      v[i] = static_cast<std::uint32_t>(p.items()[static_cast<std::size_t>(i)].as_uint());
    }
    for (int i = 0; i < 6; i += 2) {
      if (v[i] + v[i + 1] > 100) {
        throw config::ConfigError(p.items()[static_cast<std::size_t>(i)].origin(),
                                  "percent: GPU + CPU shares of a tensor kind exceed 100");
      }
    }
    w_ = {v[0], v[1]};
    kv_ = {v[2], v[3]};
    act_ = {v[4], v[5]};
    if (gpu_batches_ == 0) gpu_batches_ = 1;
  }

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("flexgen");
    s->add("type", Type::kString, "Policy type.").require();
    s->add("plan_output_tokens", Type::kUInt,
           "Output tokens per sequence that placement plans for (OOM, swap, regions); 0: the "
           "run's own. Reduced-length runs set the full length so placement matches it.")
        .default_to("0");
    s->add("percent", Type::kList,
           "FlexGen --percent: weights GPU, weights CPU, cache GPU, cache CPU, activations GPU, "
           "activations CPU (whole percents; disk holds the rest of each).")
        .items(Type::kUInt)
        .require();
    s->add("gpu_batches", Type::kUInt,
           "GPU batches per zig-zag block (--num-gpu-batches); the step's batch is split evenly.")
        .default_to("1")
        .at_least(1);
    s->add("overlap", Type::kBool, "Overlap loads/stores with compute (Algorithm 1).")
        .default_to("true");
    s->add("cpu_attention", Type::kBool,
           "Decode attention over CPU-resident KV runs on the CPU (--cpu-cache-compute).")
        .default_to("false");
    s->add("disk_read_request", Type::kSize,
           "Disk read request of the memmap copy (Linux read-ahead window, read_ahead_kb).")
        .default_to("128 KiB");
    s->add("disk_read_depth", Type::kUInt, "Disk reads in flight per copy (synchronous memcpy).")
        .default_to("1")
        .at_least(1)
        .at_most(kMaxDepth);
    s->add("disk_write_request", Type::kSize, "Disk write request of page-cache write-back.")
        .default_to("1 MiB");
    s->add("disk_write_depth", Type::kUInt, "Write-back requests in flight.")
        .default_to("8")
        .at_least(1)
        .at_most(kMaxDepth);
    s->add("pinned_relay", Type::kSize,
           "Pinned relay buffer per copy thread for disk <-> GPU copies (FlexGen "
           "pytorch_backend.py: torch.empty((1 * GB,), float16, pin_memory=True) = 2 GiB).")
        .default_to("2 GiB");
    s->add("copy_threads", Type::kUInt, "Disk copy threads, one relay each (num_copy_threads).")
        .default_to("4")
        .at_least(1);
    s->add("gpu_reserve", Type::kSize, "GPU memory not available (CUDA context, allocator).")
        .default_to("1 GiB");
    s->add("host_reserve", Type::kSize, "Host memory not available (OS, Python, framework).")
        .default_to("8 GiB");
    s->add("gpu", Type::kString, "GPU compute component.").default_to("gpu");
    s->add("gpu_memory", Type::kString, "GPU memory component.").default_to("gpu_mem");
    s->add("host_memory", Type::kString, "Host DRAM component.").default_to("host_mem");
    s->add("cpu", Type::kString, "Host CPU compute component.").default_to("cpu");
    s->add("disk", Type::kString, "Disk (ssd) component.").default_to("ssd");
    return s;
  }

  Capacity place(const PlacementRequest& run_req) override {
    PlacementRequest req = run_req;
    if (plan_output_ != 0) req.output_tokens = plan_output_;
    const std::uint64_t g = std::min<std::uint64_t>(gpu_batches_, std::max(1U, req.batch));
    const std::uint64_t gb = (req.batch + g - 1) / g;  // GPU batch size
    const std::uint64_t elem = model_.dtype_bytes;
    const std::uint64_t ctx_max = std::uint64_t{req.prompt_tokens} + req.output_tokens;
    const Bytes weights = model_.total_weight_bytes();
    const Bytes kv_total(std::uint64_t{req.batch} * ctx_max * model_.kv_bytes_per_token().count());
    const Split3 ws = split3(weights, w_);
    const Split3 ks = split3(kv_total, kv_);
    Bytes max_layer(0);
    for (std::uint32_t l = 0; l < model_.layers; ++l) {
      max_layer = std::max(max_layer, model_.layer_weight_bytes(l));
    }
    const std::uint64_t kv_dim = std::uint64_t{model_.kv_heads} * model_.head_dim;
    const Bytes layer_k(gb * ctx_max * kv_dim * elem);  // one layer's K of a GPU batch
    // GPU working set.
    Bytes gpu_need = ws.gpu + ks.gpu + gpu_reserve_;
    if (w_.gpu < 100) gpu_need += Bytes(2 * (max_layer.count() - split(max_layer, w_.gpu).count()));
    const bool kv_to_gpu = kv_.gpu < 100 && !(cpu_attention_ && kv_.disk() == 0);
    if (kv_to_gpu) gpu_need += Bytes(2 * 2 * layer_k.count());  // K and V, double-buffered
    const std::uint64_t p = req.prompt_tokens;
    const Bytes scores(2 * gb * model_.heads * p * p * elem);  // scores + softmax output
    const Bytes acts(gb * p * (2ULL * model_.hidden + model_.intermediate) * elem);
    gpu_need += scores + acts;
    const Bytes gpu_cap = ctx_.exec.capacity(gpu_mem_);
    if (gpu_cap.count() != 0 && gpu_need > gpu_cap) {
      throw OutOfMemory("flexgen: GPU memory: needs " + gib(gpu_need) + " (weights " + gib(ws.gpu) +
                        ", KV " + gib(ks.gpu) + ", prefill attention scores " + gib(scores) +
                        ", activations " + gib(acts) + "), has " + gib(gpu_cap));
    }
    // Pinned relays for disk copies.
    const bool disk_used = ws.disk.count() > 0 || ks.disk.count() > 0;
    if (ks.disk.count() > 0 && layer_k > relay_) {
      throw OutOfMemory(
          "flexgen: pinned relay: one layer's K of a GPU batch at the final "
          "context is " +
          gib(layer_k) + ", the disk copy relay holds " + gib(relay_));
    }
    const Bytes relays(disk_used ? copy_threads_ * relay_.count() : 0);
    const Bytes host_need = ws.cpu + ks.cpu + relays + host_reserve_;
    const Bytes host_cap = ctx_.exec.capacity(host_mem_);
    if (host_cap.count() != 0 && host_need > host_cap) {
      throw OutOfMemory("flexgen: host memory: needs " + gib(host_need) + ", has " + gib(host_cap));
    }
    const Bytes disk_cap = ctx_.exec.capacity(disk_);
    if (disk_cap.count() != 0 && ws.disk + ks.disk > disk_cap) {
      throw OutOfMemory("flexgen: disk: needs " + gib(ws.disk + ks.disk) + ", has " +
                        gib(disk_cap));
    }
    kv_disk_base_ = ws.disk.count();
    kv_layer_stride_ = ks.disk.count() / std::max(1U, model_.layers);
    kv_write_cursor_.assign(model_.layers, 0);
    const std::uint64_t per_token = model_.kv_bytes_per_token().count();
    const std::uint64_t kv_tokens =
        per_token == 0 ? 0 : (ks.gpu.count() + ks.cpu.count() + ks.disk.count()) / per_token;
    return Capacity{std::max(kv_tokens, std::uint64_t{req.batch} * ctx_max), 0};
  }

  StepResult run_step(const scheduler::Step& step, const StepWork& work, Time start) override {
    const std::uint64_t g =
        std::clamp<std::uint64_t>(gpu_batches_, 1, std::max<std::size_t>(1, step.entries.size()));
    std::uint64_t decode_seqs = 0;
    for (const auto& e : step.entries) decode_seqs += e.phase == scheduler::Phase::kDecode;
    StepBreakdown bd;
    const std::size_t layers = work.layers.size();
    const std::uint64_t iters = layers * g;
    auto layer_of = [&](std::uint64_t it) { return work.layers[it / g]; };
    // Loads of iteration 0 before the loop.
    Time t = start;
    {
      const Time w = load_weights(layer_of(0), t);
      const Time k = load_kv(layer_of(0), g, decode_seqs, t);
      const Time a = move_act(layer_of(0), g, t, true);
      const Time e = max(max(w, k), a);
      attribute(bd, t, e, w, k);
      t = e;
    }
    for (std::uint64_t it = 0; it < iters; ++it) {
      const LayerWork& lw = layer_of(it);
      const Time s = t;
      const Time c = compute(lw, g, decode_seqs, s);
      // Stores of this iteration (FlexGen stores iteration i-1's during iteration i; the sync
      // at the end of the iteration waits for them either way).
      Time io_w = s, io_kv = s;
      if (overlap_) {
        if (it + 1 < iters) {
          const std::uint64_t nx = it + 1;
          if (nx % g == 0) io_w = load_weights(layer_of(nx), s);
          io_kv = max(io_kv, load_kv(layer_of(nx), g, decode_seqs, s));
          io_kv = max(io_kv, move_act(layer_of(nx), g, s, true));
        }
        io_kv = max(io_kv, store_kv(lw, g, c));
        io_kv = max(io_kv, move_act(lw, g, c, false));
      } else {
        io_kv = max(io_kv, store_kv(lw, g, c));
        io_kv = max(io_kv, move_act(lw, g, c, false));
        if (it + 1 < iters) {
          const Time q = max(c, io_kv);
          if ((it + 1) % g == 0) io_w = load_weights(layer_of(it + 1), q);
          io_kv = max(io_kv, load_kv(layer_of(it + 1), g, decode_seqs, max(q, io_w)));
          io_kv = max(io_kv, move_act(layer_of(it + 1), g, max(q, io_w), true));
        }
      }
      const Time e = max(c, max(io_w, io_kv));
      bd.compute += c - s;
      attribute(bd, c, e, io_w, io_kv);
      t = e;
    }
    if (work.lm_head.flops > 0) {
      const Bytes off = work.lm_head_weights - split(work.lm_head_weights, w_.gpu);
      Time l = t;
      if (off.count() > 0) {
        l = ctx_.exec.read(gpu_mem_, host_mem_, 0, off, t);
        h2d_.add(off.count());
        bd.weight_io += l - t;
      }
      const Time e =
          ctx_.exec.compute(gpu_, work.lm_head.op, work.lm_head.flops, work.lm_head.bytes, l);
      bd.compute += e - l;
      t = e;
    }
    return close_step(bd, start, t);
  }

 private:
  ComponentId id(const char* key) const { return component_at(ctx_, key); }
  static std::string gib(Bytes b) {
    return std::to_string(b.as_double() / static_cast<double>(1ULL << 30)).substr(0, 6) + " GiB";
  }

  // Exposed I/O after compute ends at c, up to e, goes to whichever finished last.
  static void attribute(StepBreakdown& bd, Time c, Time e, Time w, Time kv) {
    if (e <= c) return;
    if (w > kv) {
      bd.weight_io += e - c;
    } else {
      bd.kv_io += e - c;
    }
  }

  // disk -> relay (memmap read through the page cache) -> GPU.
  Time disk_to_gpu(std::uint64_t address, Bytes bytes, Time at) {
    if (bytes.count() == 0) return at;
    const Time in_relay =
        issue_chunked(bytes, read_req_, read_depth_, at, [&](std::uint64_t off, Bytes b, Time t) {
          return ctx_.exec.read(host_mem_, disk_, address + off, b, t);
        });
    disk_read_.add(bytes.count());
    h2d_.add(bytes.count());
    return ctx_.exec.read(gpu_mem_, host_mem_, 0, bytes, in_relay);
  }
  // GPU -> relay -> page cache -> disk.
  Time gpu_to_disk(std::uint64_t address, Bytes bytes, Time at) {
    if (bytes.count() == 0) return at;
    const Time in_host = ctx_.exec.write(gpu_mem_, host_mem_, 0, bytes, at);
    d2h_.add(bytes.count());
    disk_written_.add(bytes.count());
    return issue_chunked(bytes, write_req_, write_depth_, in_host,
                         [&](std::uint64_t off, Bytes b, Time t) {
                           return ctx_.exec.write(host_mem_, disk_, address + off, b, t);
                         });
  }

  Time load_weights(const LayerWork& lw, Time at) {
    const Bytes wl = lw.attention_weights + lw.ffn_weights;
    const Split3 s = split3(wl, w_);
    Time done = at;
    if (s.cpu.count() > 0) {
      done = max(done, ctx_.exec.read(gpu_mem_, host_mem_, 0, s.cpu, at));
      h2d_.add(s.cpu.count());
    }
    if (s.disk.count() > 0) {
      done = max(done, disk_to_gpu(std::uint64_t{lw.layer} * s.disk.count(), s.disk, done));
    }
    return done;
  }

  Time load_kv(const LayerWork& lw, std::uint64_t g, std::uint64_t decode_seqs, Time at) {
    if (decode_seqs == 0 || lw.kv_read.count() == 0) return at;
    const Split3 s = split3(Bytes(lw.kv_read.count() / g), kv_);
    Time done = at;
    if (s.cpu.count() > 0 && !cpu_attention_) {
      done = max(done, ctx_.exec.read(gpu_mem_, host_mem_, 0, s.cpu, at));
      h2d_.add(s.cpu.count());
    }
    if (s.disk.count() > 0) {
      // K then V, each a separate memmap tensor through the relay.
      const Bytes half(s.disk.count() / 2);
      const std::uint64_t base = kv_disk_base_ + std::uint64_t{lw.layer} * kv_layer_stride_;
      Time k = disk_to_gpu(base, half, done);
      k = disk_to_gpu(base + kv_layer_stride_ / 2, s.disk - half, k);
      done = max(done, k);
    }
    return done;
  }

  Time store_kv(const LayerWork& lw, std::uint64_t g, Time at) {
    if (lw.kv_write.count() == 0) return at;
    const Split3 s = split3(Bytes(lw.kv_write.count() / g), kv_);
    Time done = at;
    if (s.cpu.count() > 0) {
      done = max(done, ctx_.exec.write(gpu_mem_, host_mem_, 0, s.cpu, at));
      d2h_.add(s.cpu.count());
    }
    if (s.disk.count() > 0) {
      const std::uint64_t stride = std::max<std::uint64_t>(1, kv_layer_stride_);
      std::uint64_t& cur = kv_write_cursor_[lw.layer];
      const std::uint64_t base =
          kv_disk_base_ + std::uint64_t{lw.layer} * kv_layer_stride_ + cur % stride;
      cur += s.disk.count();
      done = max(done, gpu_to_disk(base, s.disk, at));
    }
    return done;
  }

  Time move_act(const LayerWork& lw, std::uint64_t g, Time at, bool load) {
    const Split3 s = split3(Bytes(lw.activations.count() / g), act_);
    const Bytes off = s.cpu + s.disk;
    if (off.count() == 0) return at;
    if (load) {
      h2d_.add(off.count());
      return ctx_.exec.read(gpu_mem_, host_mem_, 0, off, at);
    }
    d2h_.add(off.count());
    return ctx_.exec.write(gpu_mem_, host_mem_, 0, off, at);
  }

  // One layer of one GPU batch; KV already loaded where it is needed.
  Time compute(const LayerWork& lw, std::uint64_t g, std::uint64_t decode_seqs, Time at) {
    const std::uint64_t elem = model_.dtype_bytes;
    const ComputeWork qkv = part(lw.qkv, g);
    Time t = ctx_.exec.compute(gpu_, qkv.op, qkv.flops, qkv.bytes, at);
    if (lw.prefill_attention.op.kind != kernel::OpKind::kGeneric) {
      const ComputeWork pa = part(lw.prefill_attention, g);
      t = ctx_.exec.compute(gpu_, pa.op, pa.flops, pa.bytes, t);
    }
    if (decode_seqs > 0 && lw.decode_attention.op.kind != kernel::OpKind::kGeneric) {
      const ComputeWork da = part(lw.decode_attention, g);
      // Shares of the attention by where its KV sits (and is computed).
      const std::uint32_t on_cpu = cpu_attention_ ? kv_.cpu : 0;
      const std::uint32_t on_gpu = 100 - on_cpu;
      Time gpu_end = t;
      if (on_gpu > 0) {
        gpu_end =
            ctx_.exec.compute(gpu_, da.op, da.flops / 100 * on_gpu, split(da.bytes, on_gpu), t);
      }
      Time cpu_end = t;
      if (on_cpu > 0) {
        const std::uint64_t seqs = (decode_seqs + g - 1) / g;
        const std::uint64_t kv_dim = std::uint64_t{model_.kv_heads} * model_.head_dim;
        const Bytes down(seqs * (model_.hidden + 2 * kv_dim) * elem);
        const Time d = ctx_.exec.write(gpu_mem_, host_mem_, 0, down, t);
        d2h_.add(down.count());
        const Time a =
            ctx_.exec.compute(cpu_, da.op, da.flops / 100 * on_cpu, split(da.bytes, on_cpu), d);
        const Bytes up(seqs * model_.hidden * elem);
        cpu_end = ctx_.exec.read(gpu_mem_, host_mem_, 0, up, a);
        h2d_.add(up.count());
      }
      t = max(gpu_end, cpu_end);
    }
    for (const ComputeWork* w : {&lw.out_proj, &lw.ffn_up, &lw.ffn_down}) {
      const ComputeWork p = part(*w, g);
      t = ctx_.exec.compute(gpu_, p.op, p.flops, p.bytes, t);
    }
    return t;
  }

  PolicyContext ctx_;
  std::uint32_t plan_output_;
  const workload::ModelSpec& model_;
  Percent3 w_, kv_, act_;
  std::uint32_t gpu_batches_;
  bool overlap_;
  bool cpu_attention_;
  Bytes read_req_;
  std::uint32_t read_depth_;
  Bytes write_req_;
  std::uint32_t write_depth_;
  Bytes relay_;
  std::uint64_t copy_threads_;
  Bytes gpu_reserve_;
  Bytes host_reserve_;
  ComponentId gpu_, gpu_mem_, host_mem_, cpu_, disk_;
  std::uint64_t kv_disk_base_ = 0;
  std::uint64_t kv_layer_stride_ = 0;
  std::vector<std::uint64_t> kv_write_cursor_;
  stats::Counter& disk_read_;
  stats::Counter& disk_written_;
  stats::Counter& h2d_;
  stats::Counter& d2h_;
};

}  // namespace

TIERSIM_REGISTER_POLICY("flexgen", FlexGen,
                        "FlexGen (ICML 2023): GPU/CPU/disk placement percentages, zig-zag block "
                        "schedule with overlapped I/O, CPU attention delegation.");

}  // namespace tiersim::policies
