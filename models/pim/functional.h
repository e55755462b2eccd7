// Functional mode (tiny matrices): computes y = W x through the modelled data placement and the
// command stream the timing model issues, to prove each weight sits where a command reads it and
// reaches the MAC unit that owns its output row (docs/models/pim.md, "Functional mode").
//
// functional_gemv(): writes every W[r][c] into a simulated array at Layout::place(r, c); runs the
// CommandEngine of every pseudo channel; for each column command, reads the addressed burst of
// each bank it covers, asks the Layout which unit, output row and input slice that burst is for
// (Layout::stream_position, unit_rows, global_row), and accumulates lanes x vectors products
// into y. reference_gemv() is the plain loop. Both return y as batch x m (row-major), w is m x k,
// x is batch x k. Throws std::invalid_argument on size mismatches.
#pragma once

#include <vector>

#include "models/dram/spec.h"
#include "models/pim/layout.h"

namespace tiersim::models::pim {

[[nodiscard]] std::vector<double> functional_gemv(const dram::DramSpec& dram, const PimSpec& pim,
                                                  const GemvShape& s, const std::vector<double>& w,
                                                  const std::vector<double>& x);
[[nodiscard]] std::vector<double> reference_gemv(const GemvShape& s, const std::vector<double>& w,
                                                 const std::vector<double>& x);

}  // namespace tiersim::models::pim
