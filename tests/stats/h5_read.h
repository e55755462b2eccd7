// Test-only helpers that read a tiersim results file back with the HDF5 C++ API.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/stats/results_file.h"

namespace tiersim::test::h5read {

// Attribute names of `obj` / link names of `group`, in creation order.
std::vector<std::string> attr_names(const H5::H5Object& obj);
std::vector<std::string> link_names(const H5::Group& group);

// "int64", "uint64", "double", "string" or "other": the stored type of attribute `name`.
std::string attr_kind(const H5::H5Object& obj, const std::string& name);
std::string str_attr(const H5::H5Object& obj, const std::string& name);
std::int64_t i64_attr(const H5::H5Object& obj, const std::string& name);
std::uint64_t u64_attr(const H5::H5Object& obj, const std::string& name);
double f64_attr(const H5::H5Object& obj, const std::string& name);

std::vector<double> read_f64(const H5::DataSet& ds);
std::vector<std::uint64_t> read_u64(const H5::DataSet& ds);
std::vector<std::string> read_strings(const H5::DataSet& ds);
std::string read_scalar_string(const H5::DataSet& ds);
std::vector<stats::RequestRow> read_requests(const H5::DataSet& ds);

}  // namespace tiersim::test::h5read
