#include <cstddef>

#include "sim/workload/logical_hdf5.h"

namespace tiersim::workload::h5 {

H5::CompType request_type(bool file, int version) {
  using P = H5::PredType;
  const bool v2 = version >= 2;
  if (!file) {
    H5::CompType t(sizeof(RequestRow));
    t.insertMember("id", offsetof(RequestRow, id), P::NATIVE_UINT64);
    t.insertMember("arrival_ps", offsetof(RequestRow, arrival_ps), P::NATIVE_INT64);
    t.insertMember("prompt_tokens", offsetof(RequestRow, prompt_tokens), P::NATIVE_UINT32);
    t.insertMember("output_tokens", offsetof(RequestRow, output_tokens), P::NATIVE_UINT32);
    t.insertMember("prefix_count", offsetof(RequestRow, prefix_count), P::NATIVE_UINT32);
    if (v2) {
      t.insertMember("user", offsetof(RequestRow, user), P::NATIVE_UINT64);
      t.insertMember("after", offsetof(RequestRow, after), P::NATIVE_UINT64);
      t.insertMember("think_ps", offsetof(RequestRow, think_ps), P::NATIVE_INT64);
    }
    return t;
  }
  H5::CompType t(std::size_t{v2 ? 52u : 28u});
  t.insertMember("id", 0, P::STD_U64LE);
  t.insertMember("arrival_ps", 8, P::STD_I64LE);
  t.insertMember("prompt_tokens", 16, P::STD_U32LE);
  t.insertMember("output_tokens", 20, P::STD_U32LE);
  t.insertMember("prefix_count", 24, P::STD_U32LE);
  if (v2) {
    t.insertMember("user", 28, P::STD_U64LE);
    t.insertMember("after", 36, P::STD_U64LE);
    t.insertMember("think_ps", 44, P::STD_I64LE);
  }
  return t;
}

H5::CompType access_type(bool file) {
  using P = H5::PredType;
  if (!file) {
    H5::CompType t(sizeof(AccessRow));
    t.insertMember("step", offsetof(AccessRow, step), P::NATIVE_UINT64);
    t.insertMember("request", offsetof(AccessRow, request), P::NATIVE_UINT64);
    t.insertMember("layer", offsetof(AccessRow, layer), P::NATIVE_UINT16);
    t.insertMember("kind", offsetof(AccessRow, kind), P::NATIVE_UINT8);
    t.insertMember("index", offsetof(AccessRow, index), P::NATIVE_UINT32);
    t.insertMember("count", offsetof(AccessRow, count), P::NATIVE_UINT64);
    t.insertMember("bytes", offsetof(AccessRow, bytes), P::NATIVE_UINT64);
    t.insertMember("m", offsetof(AccessRow, m), P::NATIVE_UINT32);
    t.insertMember("n", offsetof(AccessRow, n), P::NATIVE_UINT32);
    t.insertMember("k", offsetof(AccessRow, k), P::NATIVE_UINT32);
    return t;
  }
  H5::CompType t(std::size_t{59});
  t.insertMember("step", 0, P::STD_U64LE);
  t.insertMember("request", 8, P::STD_U64LE);
  t.insertMember("layer", 16, P::STD_U16LE);
  t.insertMember("kind", 18, P::STD_U8LE);
  t.insertMember("index", 19, P::STD_U32LE);
  t.insertMember("count", 23, P::STD_U64LE);
  t.insertMember("bytes", 31, P::STD_U64LE);
  t.insertMember("m", 39, P::STD_U32LE);
  t.insertMember("n", 43, P::STD_U32LE);
  t.insertMember("k", 47, P::STD_U32LE);
  return t;
}

}  // namespace tiersim::workload::h5
