// The tiersim command line (CLI11). Exit status: 0 success, 1 run-time failure, 2 bad config or
// usage, 3 bad trace.
#pragma once

namespace tiersim::cli {

int main(int argc, char** argv);

}  // namespace tiersim::cli
