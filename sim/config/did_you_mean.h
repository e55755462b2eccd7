// "Did you mean" suggestions by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tiersim::config {

// Damerau-Levenshtein (optimal string alignment) distance.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" if none is close enough (distance <= max(2, |word|/3)).
// Ties go to the earlier candidate, so the answer is deterministic.
[[nodiscard]] std::string closest(std::string_view word,
                                  const std::vector<std::string>& candidates);

}  // namespace tiersim::config
