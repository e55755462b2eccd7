#include "sim/kernel/transaction.h"

namespace tiersim::kernel {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::kGeneric:
      return "generic";
    case OpKind::kGemm:
      return "gemm";
    case OpKind::kGemv:
      return "gemv";
    case OpKind::kDecodeAttention:
      return "decode_attention";
    case OpKind::kPrefillAttention:
      return "prefill_attention";
    case OpKind::kSoftmax:
      return "softmax";
    case OpKind::kTopK:
      return "topk";
    case OpKind::kElementwise:
      return "elementwise";
    case OpKind::kMoeFfn:
      return "moe_ffn";
    case OpKind::kAllReduce:
      return "all_reduce";
  }
  return "unknown";
}

}  // namespace tiersim::kernel
