// Layout of the HDF5 form of device traces (traces/FORMAT.md):
//   root attributes  format = "tiersim-device-trace" (variable-length UTF-8 string),
//                    version = 1 (int32)
//   /requests        1-D chunked compound dataset, shuffle + deflate(1), fields in this order:
//                    time_ps int64, op uint8 (0 read, 1 write), address uint64, bytes uint64,
//                    stream uint16
//   /streams         1-D dataset of variable-length strings; index 0 is "default"
// Private to sim/trace; HDF5 headers do not leak out of it.
#pragma once

#include <cstdint>

#include <H5Cpp.h>

namespace tiersim::trace::hdf5 {

inline constexpr const char* kFormatAttr = "format";
inline constexpr const char* kVersionAttr = "version";
inline constexpr const char* kFormatName = "tiersim-device-trace";
inline constexpr int kFormatVersion = 1;
inline constexpr const char* kRequests = "requests";
inline constexpr const char* kStreams = "streams";
inline constexpr hsize_t kChunkRows = 65536;
inline constexpr int kDeflateLevel = 1;

// One /requests row in memory.
struct Row {
  std::int64_t time_ps;
  std::uint8_t op;
  std::uint64_t address;
  std::uint64_t bytes;
  std::uint16_t stream;
};

// The /requests field names, in file order.
inline constexpr const char* kFieldNames[] = {"time_ps", "op", "address", "bytes", "stream"};

// Compound type matching Row (native types), used for reads and writes.
[[nodiscard]] H5::CompType memory_row_type();
// Packed little-endian compound type stored in files.
[[nodiscard]] H5::CompType file_row_type();
// Variable-length UTF-8 string type (for /streams and the format attribute).
[[nodiscard]] H5::StrType vlen_string_type();

}  // namespace tiersim::trace::hdf5
