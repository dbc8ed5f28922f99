#pragma once

// Regression files (tests/fuzz/regressions/*.txt): a minimised fuzz case, its initial state and
// the outcome the reference interpreter gave when it was saved. One "key hex-values..." line each;
// '#' starts a comment. A "known-failure REASON" line marks a divergence that is not fixed yet.

#include "fuzz_case.h"

#include <string>

namespace isomorph::fuzz {

struct Regression {
    Case fuzz_case;
    Outcome expected; // scratch left empty: expected_scratch_hash stands for it
    uint64_t expected_scratch_hash = 0;
    std::string known_failure;
};

void write_regression(const std::string& path, const Case& fuzz_case, const Outcome& expected, const std::string& comment);

// Throws std::runtime_error naming the file and line on a malformed file.
Regression read_regression(const std::string& path);

} // namespace isomorph::fuzz
