#include "process/proc_files.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

// What show_cpuinfo() in arch/mips/kernel/proc.c prints for one 24Kc with an FPU, MIPS32
// Release 2 and no ASEs.
constexpr const char* cpuinfo_text = "system type\t\t: MIPS Malta\n"
                                     "machine\t\t\t: Unknown\n"
                                     "processor\t\t: 0\n"
                                     "cpu model\t\t: MIPS 24Kc V0.0  FPU V0.0\n"
                                     "BogoMIPS\t\t: 1000.00\n"
                                     "wait instruction\t: yes\n"
                                     "microsecond timers\t: yes\n"
                                     "tlb_entries\t\t: 16\n"
                                     "extra interrupt vector\t: yes\n"
                                     "hardware watchpoint\t: no\n"
                                     "isa\t\t\t: mips1 mips2 mips32r1 mips32r2\n"
                                     "ASEs implemented\t:\n"
                                     "Options implemented\t: tlb 4kex 4k_cache fpu 32fpr prefetch mcheck ejtag llsc "
                                     "vint perf_cntr_intr_bit cdmm perf\n"
                                     "shadow register sets\t: 1\n"
                                     "kscratch registers\t: 0\n"
                                     "package\t\t\t: 0\n"
                                     "core\t\t\t: 0\n"
                                     "VCED exceptions\t\t: not available\n"
                                     "VCEI exceptions\t\t: not available\n"
                                     "\n";

// Writes text to the file once (through a temporary name, so concurrent guests never see half
// of it); an existing file with the same contents is kept.
bool ensure_file(const std::string& path, const std::string& text)
{
    std::ifstream existing(path);
    if (existing) {
        std::stringstream contents;
        contents << existing.rdbuf();
        if (contents.str() == text)
            return true;
    }
    std::string temporary = path + "." + std::to_string(getpid());
    {
        std::ofstream output(temporary, std::ios::trunc);
        output << text;
        if (!output)
            return false;
    }
    return std::rename(temporary.c_str(), path.c_str()) == 0;
}

} // namespace

std::optional<std::string> emulated_proc_file(const std::string& guest_path)
{
    if (guest_path != "/proc/cpuinfo")
        return std::nullopt;
    const char* temporary = std::getenv("TMPDIR");
    std::string directory = std::string(temporary != nullptr && *temporary != '\0' ? temporary : "/tmp") +
                            "/isomorph-" + std::to_string(getuid());
    mkdir(directory.c_str(), 0700);
    std::string path = directory + "/cpuinfo";
    if (!ensure_file(path, cpuinfo_text))
        return std::nullopt;
    return path;
}

} // namespace isomorph::process
