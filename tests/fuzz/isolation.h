#pragma once

// Fork-based isolation: an engine bug may crash the host process, so the fuzzer runs cases in
// child processes and treats a child killed by a signal as a finding.

#include <functional>
#include <string>

namespace isomorph::fuzz {

struct ChildResult {
    bool exited = false; // false: killed by a signal
    int code = 0;        // exit status, or the signal's number
    std::string describe() const;
};

// Runs work in a forked child and waits for it; the child exits with work's result.
ChildResult run_isolated(const std::function<int()>& work);

// Memory shared with the children forked after this call (anonymous, MAP_SHARED).
void* allocate_shared(size_t size);

} // namespace isomorph::fuzz
