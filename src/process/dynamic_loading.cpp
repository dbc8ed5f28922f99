#include "process/dynamic_loading.h"

#include "process/error.h"

#include <fmt/format.h>
#include <unistd.h>

namespace isomorph::process {

std::string find_interpreter(const PathTranslator& paths, const std::string& interpreter)
{
    std::string host_path = paths.to_host(interpreter);
    if (access(host_path.c_str(), F_OK) != 0)
        throw UserError(fmt::format("the program interpreter {} was not found (looked for {}); give the guest's root "
                                    "file system with -L ROOT or ISOMORPH_LD_PREFIX",
                                    interpreter, host_path));
    return host_path;
}

LoadedImage load_interpreter(memory::AddressSpace& memory, const PathTranslator& paths, const std::string& interpreter)
{
    LoadedImage image = load_elf(memory, find_interpreter(paths, interpreter), interpreter_base);
    if (!image.interpreter.empty())
        throw UserError(fmt::format("the program interpreter {} itself asks for an interpreter ({})", interpreter,
                                    image.interpreter));
    return image;
}

} // namespace isomorph::process
