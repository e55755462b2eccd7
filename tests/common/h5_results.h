// Reads back what the end-to-end tests need from a tiersim results file (docs/output.md) with the
// HDF5 C++ API: the /requests rows and the attributes of any group (/summary, /components/<g>).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace tiersim::test::h5 {

// One row of /requests (fields matched by name, so the in-file layout does not matter).
struct RequestRow {
  std::uint64_t id;
  std::uint16_t stream;
  std::uint8_t kind;
  std::uint16_t source;
  std::uint16_t target;
  std::uint64_t address;
  std::uint64_t bytes;
  std::int64_t arrival_ps;
  std::int64_t issue_ps;
  std::int64_t complete_ps;
  bool operator==(const RequestRow&) const = default;
};

using AttrValue = std::variant<std::int64_t, std::uint64_t, double, std::string>;
using Attrs = std::map<std::string, AttrValue>;

struct Results {
  std::vector<RequestRow> requests;
  Attrs summary;
  std::vector<std::string> components;  // /names/components
  std::string resolved_config;          // /config/resolved
};

// Throws std::runtime_error naming the file on any HDF5 failure.
Results read_results(const std::string& path);
// Attributes of the group at `group_path` (e.g. "/components/mem").
Attrs read_group_attrs(const std::string& path, const std::string& group_path);

// Typed access to one attribute; throws std::runtime_error if absent or of another type.
std::int64_t i64(const Attrs& a, const std::string& name);
std::uint64_t u64(const Attrs& a, const std::string& name);
double f64(const Attrs& a, const std::string& name);

}  // namespace tiersim::test::h5
