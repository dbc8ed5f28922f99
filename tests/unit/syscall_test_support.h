#pragma once

// A small guest process for system-call tests: a minimal static o32 ELF executable written to a
// temporary directory, loaded into a Process, and a call() that runs one system call through the
// real dispatcher (registers in, v0/a3 out) without running guest code.

#include "process/process.h"
#include "process/syscalls/syscalls.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <elf.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace isomorph::process::testing {

// A temporary directory removed with everything in it when the object goes.
class TemporaryDirectory {
public:
    TemporaryDirectory()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "isomorph-syscall-XXXXXX").string();
        m_path = mkdtemp(pattern.data());
    }
    ~TemporaryDirectory() { std::filesystem::remove_all(m_path); }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Writes a static MIPS32r2 o32 executable: one read-execute segment at 0x400000 holding a few
// instructions, one read-write segment of data after it.
inline void write_minimal_executable(const std::filesystem::path& path)
{
    constexpr uint32_t base = 0x00400000;
    const std::vector<uint32_t> code = {
        0x24020fa1, // addiu v0, zero, 4001 (exit)
        0x0000000c, // syscall
        0x00000000, // nop
    };
    Elf32_Ehdr header{};
    std::copy_n(ELFMAG, SELFMAG, header.e_ident);
    header.e_ident[EI_CLASS] = ELFCLASS32;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_EXEC;
    header.e_machine = EM_MIPS;
    header.e_version = EV_CURRENT;
    header.e_phoff = sizeof(Elf32_Ehdr);
    header.e_flags = 0x70001007; // MIPS32r2, o32, PIC, CPIC, noreorder
    header.e_ehsize = sizeof(Elf32_Ehdr);
    header.e_phentsize = sizeof(Elf32_Phdr);
    header.e_phnum = 2;
    uint32_t code_offset = sizeof(Elf32_Ehdr) + 2 * sizeof(Elf32_Phdr);
    header.e_entry = base + code_offset;
    Elf32_Phdr text{};
    text.p_type = PT_LOAD;
    text.p_offset = 0;
    text.p_vaddr = text.p_paddr = base;
    text.p_filesz = text.p_memsz = code_offset + static_cast<uint32_t>(code.size() * 4);
    text.p_flags = PF_R | PF_X;
    text.p_align = 0x10000;
    Elf32_Phdr data{};
    data.p_type = PT_LOAD;
    data.p_offset = 0;
    data.p_vaddr = data.p_paddr = base + 0x10000;
    data.p_filesz = 0;
    data.p_memsz = 0x1000;
    data.p_flags = PF_R | PF_W;
    data.p_align = 0x10000;
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(&header), sizeof header);
    file.write(reinterpret_cast<const char*>(&text), sizeof text);
    file.write(reinterpret_cast<const char*>(&data), sizeof data);
    file.write(reinterpret_cast<const char*>(code.data()), static_cast<std::streamsize>(code.size() * 4));
    file.close();
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

class GuestProcess {
public:
    // With strace set, trace lines go to a temporary file that trace() reads back.
    explicit GuestProcess(std::string sysroot = {}, bool strace = false)
    {
        m_program = m_directory.path() / "minimal";
        write_minimal_executable(m_program);
        ProcessOptions options;
        options.program = m_program.string();
        options.arguments = {m_program.string()};
        options.environment = {"HOME=/nowhere"};
        options.sysroot = std::move(sysroot);
        options.strace = strace;
        if (strace) {
            m_trace = std::tmpfile();
            options.strace_output = m_trace;
        }
        m_process = std::make_unique<Process>(std::move(options));
    }
    ~GuestProcess()
    {
        m_process.reset();
        if (m_trace)
            std::fclose(m_trace);
    }

    Process& process() { return *m_process; }
    const std::filesystem::path& directory() const { return m_directory.path(); }
    const std::filesystem::path& program() const { return m_program; }

    // Runs system call number with up to eight argument words (the last four go on the stack).
    // Returns v0, or minus the MIPS errno when a3 reports an error.
    int64_t call(uint32_t number, std::array<uint32_t, 8> arguments = {})
    {
        cpu::CpuState& cpu = m_process->cpu();
        cpu.gpr[2] = number;
        for (unsigned index = 0; index < 4; ++index)
            cpu.gpr[4 + index] = arguments[index];
        for (unsigned index = 4; index < 8; ++index)
            m_process->memory().copy_to_guest(cpu.gpr[29] + 4 * index, &arguments[index], 4);
        dispatch_syscall(*m_process);
        return cpu.gpr[7] ? -static_cast<int64_t>(cpu.gpr[2]) : static_cast<int64_t>(cpu.gpr[2]);
    }

    // Guest scratch memory: anonymous pages from the guest's own mmap.
    uint32_t allocate(uint32_t length)
    {
        return static_cast<uint32_t>(call(4090, {0, length, 3, 0x802, 0xFFFFFFFF, 0}));
    }
    // A NUL-terminated string copied into fresh guest memory.
    uint32_t string(const std::string& text)
    {
        uint32_t address = allocate(static_cast<uint32_t>(text.size() + 1));
        m_process->memory().copy_to_guest(address, text.c_str(), text.size() + 1);
        return address;
    }

    // Everything traced so far.
    std::string trace()
    {
        std::fflush(m_trace);
        std::string text;
        std::rewind(m_trace);
        char buffer[4096];
        size_t count;
        while ((count = std::fread(buffer, 1, sizeof buffer, m_trace)) > 0)
            text.append(buffer, count);
        return text;
    }

private:
    TemporaryDirectory m_directory;
    std::filesystem::path m_program;
    std::FILE* m_trace = nullptr;
    std::unique_ptr<Process> m_process;
};

// MIPS errno values the tests name.
namespace mips_errno {
constexpr int64_t eperm = 1, enoent = 2, ebadf = 9, enomem = 12, efault = 14, eexist = 17, einval = 22,
                  enotty = 25, enosys = 89, enotempty = 93, eopnotsupp = 122;
}

} // namespace isomorph::process::testing
