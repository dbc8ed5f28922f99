#include "isolation.h"

#include <fmt/format.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

namespace isomorph::fuzz {

std::string ChildResult::describe() const
{
    if (exited)
        return fmt::format("exit status {}", code);
    return fmt::format("killed by signal {} ({})", code, strsignal(code));
}

ChildResult run_isolated(const std::function<int()>& work)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t child = fork();
    if (child < 0)
        throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
    if (child == 0) {
        int code = 2;
        try {
            code = work();
        } catch (const std::exception& error) {
            fmt::print(stderr, "instruction fuzzer: {}\n", error.what());
        }
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(code);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error(fmt::format("waitpid: {}", std::strerror(errno)));
    if (WIFEXITED(status))
        return {true, WEXITSTATUS(status)};
    return {false, WTERMSIG(status)};
}

void* allocate_shared(size_t size)
{
    void* memory = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        throw std::bad_alloc();
    return memory;
}

} // namespace isomorph::fuzz
