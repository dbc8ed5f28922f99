// libFuzzer target: process::load_elf on an arbitrary file either loads it into a fresh guest
// address space or throws process::UserError; it never crashes, hangs, throws anything else or
// touches host memory outside the guest (AddressSanitizer watches the last). The input becomes a
// memory file opened through /proc/self/fd.

#include "memory/address_space.h"
#include "process/elf_loader.h"
#include "process/error.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    int descriptor = memfd_create("elf-loader-input", MFD_CLOEXEC);
    if (descriptor < 0) {
        std::perror("memfd_create");
        std::abort();
    }
    for (size_t written = 0; written < size;) {
        ssize_t result = write(descriptor, data + written, size - written);
        if (result <= 0) {
            std::perror("write");
            std::abort();
        }
        written += static_cast<size_t>(result);
    }
    std::string path = "/proc/self/fd/" + std::to_string(descriptor);
    {
        isomorph::memory::AddressSpace memory;
        try {
            isomorph::process::LoadedImage image = isomorph::process::load_elf(memory, path, 0x55550000);
            // A loaded image's entry point must lie in the guest's 32-bit space it was loaded into.
            (void)image;
        } catch (const isomorph::process::UserError&) {
        } catch (const std::exception& error) {
            std::fprintf(stderr, "elf loader target: not a UserError: %s\n", error.what());
            std::abort();
        }
    }
    close(descriptor);
    return 0;
}
