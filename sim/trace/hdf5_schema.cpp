#include "sim/trace/hdf5_schema.h"

#include <cstddef>

namespace tiersim::trace::hdf5 {

H5::CompType memory_row_type() {
  H5::CompType t(sizeof(Row));
  t.insertMember(kFieldNames[0], offsetof(Row, time_ps), H5::PredType::NATIVE_INT64);
  t.insertMember(kFieldNames[1], offsetof(Row, op), H5::PredType::NATIVE_UINT8);
  t.insertMember(kFieldNames[2], offsetof(Row, address), H5::PredType::NATIVE_UINT64);
  t.insertMember(kFieldNames[3], offsetof(Row, bytes), H5::PredType::NATIVE_UINT64);
  t.insertMember(kFieldNames[4], offsetof(Row, stream), H5::PredType::NATIVE_UINT16);
  return t;
}

H5::CompType file_row_type() {
  constexpr std::size_t kTime = 0;
  constexpr std::size_t kOp = kTime + 8;
  constexpr std::size_t kAddress = kOp + 1;
  constexpr std::size_t kBytes = kAddress + 8;
  constexpr std::size_t kStream = kBytes + 8;
  constexpr std::size_t kSize = kStream + 2;
  H5::CompType t(kSize);
  t.insertMember(kFieldNames[0], kTime, H5::PredType::STD_I64LE);
  t.insertMember(kFieldNames[1], kOp, H5::PredType::STD_U8LE);
  t.insertMember(kFieldNames[2], kAddress, H5::PredType::STD_U64LE);
  t.insertMember(kFieldNames[3], kBytes, H5::PredType::STD_U64LE);
  t.insertMember(kFieldNames[4], kStream, H5::PredType::STD_U16LE);
  return t;
}

H5::StrType vlen_string_type() {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

}  // namespace tiersim::trace::hdf5
