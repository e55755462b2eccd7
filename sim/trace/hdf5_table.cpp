#include "sim/trace/hdf5_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/trace/trace_reader.h"

namespace tiersim::trace::hdf5 {

void disable_time_tracking(const H5::PropList& plist) {
  if (H5Pset_obj_track_times(plist.getId(), 0) < 0) {
    throw H5::PropListIException("H5Pset_obj_track_times", "cannot disable time tracking");
  }
}

void create_empty_file(const std::string& temp_path, const std::string& path) {
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw TraceError(fmt::format("{}: cannot create trace: {}", path, std::strerror(errno)));
  }
  ::close(fd);
}

H5::DataSet create_table(H5::H5File& file, const char* name, const H5::DataType& file_type) {
  const hsize_t dims = 0;
  const hsize_t max_dims = H5S_UNLIMITED;
  const H5::DataSpace space(1, &dims, &max_dims);
  H5::DSetCreatPropList dcpl;
  dcpl.setChunk(1, &kChunkRows);
  dcpl.setShuffle();
  dcpl.setDeflate(kDeflateLevel);
  disable_time_tracking(dcpl);
  return file.createDataSet(name, file_type, space, dcpl);
}

}  // namespace tiersim::trace::hdf5
