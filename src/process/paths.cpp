#include "process/paths.h"

#include "process/proc_files.h"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

std::string absolute(const std::string& path)
{
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) != nullptr)
        return resolved;
    return path;
}

} // namespace

PathTranslator::PathTranslator(std::string sysroot, std::string program) : m_program(absolute(program))
{
    if (!sysroot.empty()) {
        m_sysroot = absolute(sysroot);
        while (m_sysroot.size() > 1 && m_sysroot.back() == '/')
            m_sysroot.pop_back();
        if (m_sysroot == "/")
            m_sysroot.clear();
    }
}

bool PathTranslator::names_own_executable(const std::string& guest_path) const
{
    if (guest_path == "/proc/self/exe")
        return true;
    std::string own = "/proc/" + std::to_string(getpid()) + "/exe";
    return guest_path == own;
}

std::string PathTranslator::to_host(const std::string& guest_path) const
{
    if (guest_path.empty() || guest_path[0] != '/')
        return guest_path;
    if (names_own_executable(guest_path))
        return m_program;
    if (auto emulated = emulated_proc_file(guest_path))
        return *emulated;
    if (m_sysroot.empty())
        return guest_path;
    std::string candidate = m_sysroot + guest_path;
    struct stat status;
    if (lstat(candidate.c_str(), &status) == 0)
        return candidate;
    return guest_path;
}

std::optional<std::string> PathTranslator::magic_link_target(const std::string& guest_path) const
{
    if (names_own_executable(guest_path))
        return m_program;
    return std::nullopt;
}

} // namespace isomorph::process
