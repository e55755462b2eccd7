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

namespace {

void no_times(const H5::PropList& plist) {
  if (H5Pset_obj_track_times(plist.getId(), 0) < 0) {
    throw H5::PropListIException("H5Pset_obj_track_times", "cannot disable time tracking");
  }
}

}  // namespace

template <class Row>
Appender<Row>::Appender(H5::H5File& file, const char* name, const H5::DataType& file_type,
                        H5::DataType mem_type)
    : mem_type_(std::move(mem_type)) {
  const hsize_t dims = 0;
  const hsize_t max_dims = H5S_UNLIMITED;
  const H5::DataSpace space(1, &dims, &max_dims);
  H5::DSetCreatPropList dcpl;
  dcpl.setChunk(1, &kChunkRows);
  dcpl.setShuffle();
  dcpl.setDeflate(1);
  no_times(dcpl);
  dataset_ = file.createDataSet(name, file_type, space, dcpl);
  pending_.reserve(kChunkRows);
}

template <class Row>
void Appender<Row>::flush() {
  if (pending_.empty()) return;
  const hsize_t count = pending_.size();
  const hsize_t rows = written_ + count;
  dataset_.extend(&rows);
  H5::DataSpace file_space = dataset_.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, &count, &written_);
  const H5::DataSpace mem_space(1, &count);
  dataset_.write(pending_.data(), mem_type_, mem_space, file_space);
  written_ = rows;
  pending_.clear();
}

template <class Row>
BlockReader<Row>::BlockReader(const H5::H5File& file, const char* name, H5::DataType mem_type)
    : dataset_(file.openDataSet(name)), mem_type_(std::move(mem_type)) {
  const H5::DataSpace space = dataset_.getSpace();
  if (space.getSimpleExtentNdims() != 1) {
    throw H5::DataSetIException("openDataSet", std::string("/") + name + " is not 1-D");
  }
  space.getSimpleExtentDims(&total_);
}

template <class Row>
bool BlockReader<Row>::next(Row& out) {
  if (pos_ == end_) {
    if (fetched_ >= total_) return false;
    const hsize_t count = std::min<hsize_t>(kChunkRows, total_ - fetched_);
    rows_.resize(count);
    H5::DataSpace file_space = dataset_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &fetched_);
    const H5::DataSpace mem_space(1, &count);
    dataset_.read(rows_.data(), mem_type_, mem_space, file_space);
    fetched_ += count;
    pos_ = 0;
    end_ = count;
  }
  out = rows_[pos_++];
  return true;
}

template class Appender<RequestRow>;
template class Appender<AccessRow>;
template class Appender<std::uint64_t>;
template class BlockReader<RequestRow>;
template class BlockReader<AccessRow>;
template class BlockReader<std::uint64_t>;

}  // namespace tiersim::workload::h5
