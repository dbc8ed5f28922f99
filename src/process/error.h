#pragma once

#include <stdexcept>
#include <string>

namespace isomorph::process {

// A problem with what the user asked for (a missing file, an ELF we cannot run). The command line
// prints its message as one line and exits with a non-zero status.
class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace isomorph::process
