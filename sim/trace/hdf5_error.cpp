#include "sim/trace/hdf5_error.h"

namespace tiersim::trace::hdf5 {

namespace {

// The last failure seen by remember_failure(): its API function and innermost description.
struct Failure {
  std::string api;
  std::string innermost;
};

thread_local Failure g_last_failure;

// Walks upward: entry 0 is the most specific, the last one is the API function.
herr_t visit(unsigned n, const H5E_error2_t* err, void* data) {
  auto* f = static_cast<Failure*>(data);
  if (err == nullptr) return 0;
  if (n == 0 && err->desc != nullptr) f->innermost = err->desc;
  if (err->func_name != nullptr) f->api = err->func_name;
  return 0;
}

// Called by HDF5 when an API call fails (instead of printing the error stack).
herr_t remember_failure(hid_t stack, void* /*unused*/) {
  g_last_failure = Failure{};
  (void)H5Ewalk2(stack, H5E_WALK_UPWARD, visit, &g_last_failure);
  return 0;
}

}  // namespace

void quiet_hdf5_errors() {
  H5::Exception::dontPrint();
  (void)H5Eset_auto2(H5E_DEFAULT, remember_failure, nullptr);
}

std::string error_text(const H5::Exception& e) {
  std::string text = e.getDetailMsg();
  const Failure& f = g_last_failure;
  if (!f.api.empty() && !f.innermost.empty() && text.find(f.api) != std::string::npos) {
    text += ": ";
    text += f.innermost;
  }
  g_last_failure = Failure{};
  return text;
}

}  // namespace tiersim::trace::hdf5
