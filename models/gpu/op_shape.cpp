#include "models/gpu/op_shape.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace tiersim::models::gpu {

using kernel::OpKind;

DType dtype_of(const kernel::OpShape& op, DType precision) {
  if (dtype_bytes(precision) == op.elem_bytes) return precision;
  switch (op.elem_bytes) {
    case 1:
      return DType::kFp8;
    case 2:
      return DType::kFp16;
    case 4:
      return DType::kFp32;
    default:
      throw std::invalid_argument(
          fmt::format("{}: element size {} B has no GPU data type (1, 2 or 4)",
                      kernel::op_kind_name(op.kind), op.elem_bytes));
  }
}

OpResult time_op_shape(const GpuModel& model, const kernel::OpShape& op, DType precision) {
  const DType t = dtype_of(op, precision);
  const std::uint64_t batch = op.batch == 0 ? 1 : op.batch;
  switch (op.kind) {
    case OpKind::kGemm:
      return model.gemm({op.m, op.n, op.k, t, batch});
    case OpKind::kGemv:
      if (batch == 1) return model.gemv(op.m, op.k, t);
      return model.gemm({batch, op.m, op.k, t, 1});
    case OpKind::kDecodeAttention:
      return model.decode_attention(
          {op.batch, op.q_heads, op.kv_heads, op.context, op.head_dim, t});
    case OpKind::kPrefillAttention:
      return model.prefill_attention({op.batch, op.q_heads, op.kv_heads, op.m,
                                      op.context == 0 ? op.m : op.context, op.head_dim, t});
    case OpKind::kSoftmax:
      if (op.elements == 0) throw std::invalid_argument("softmax: elements must be > 0");
      return model.softmax(1, op.elements, t);
    case OpKind::kTopK: {
      if (op.elements == 0 || op.k == 0) {
        throw std::invalid_argument("top-k: elements and k must be > 0");
      }
      const double cmp = std::ceil(std::log2(static_cast<double>(op.k))) + 1.0;
      OpResult r = model.elementwise({op.elements, 1, 0, t, cmp});
      r.op = fmt::format("top-{} of {}", op.k, op.elements);
      return r;
    }
    case OpKind::kElementwise:
      if (op.elements == 0) throw std::invalid_argument("elementwise: elements must be > 0");
      return model.elementwise({op.elements, 1, 1, t, 1.0});
    case OpKind::kMoeFfn: {
      if (op.k == 0) throw std::invalid_argument("moe ffn: k (experts touched) must be > 0");
      std::vector<std::uint64_t> tokens(op.k, op.batch / op.k);
      for (std::uint64_t e = 0; e < op.batch % op.k; ++e) ++tokens[e];
      return model.moe_ffn({tokens, op.m, op.n, true, t});
    }
    case OpKind::kAllReduce:
      return model.all_reduce(Bytes(op.elements * op.elem_bytes), batch);
    case OpKind::kGeneric:
      break;
  }
  throw std::invalid_argument(
      fmt::format("{} has no shape-aware GPU operator", kernel::op_kind_name(op.kind)));
}

}  // namespace tiersim::models::gpu
