// HDF5 error handling for the trace code: no automatic printing, readable exception texts.
#pragma once

#include <string>

#include <H5Cpp.h>

namespace tiersim::trace::hdf5 {

// Turns off HDF5's automatic error-stack printing for the calling thread
// (H5::Exception::dontPrint()) and installs a silent handler that remembers the most specific
// message of the failing call's error stack, so error_text() can report it. Errors surface only
// as H5::Exception, which the trace code turns into TraceError.
void quiet_hdf5_errors();

// The exception's message followed by the most specific message HDF5 recorded for that failure,
// e.g. "H5Fopen failed: bad superblock version number". The extra part is added only when the
// remembered failure is the exception's API call.
[[nodiscard]] std::string error_text(const H5::Exception& e);

}  // namespace tiersim::trace::hdf5
