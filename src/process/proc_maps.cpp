#include "process/proc_maps.h"

#include "process/initial_stack.h"
#include "process/process.h"
#include "process/signal_delivery.h"

#include <cerrno>
#include <filesystem>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

using memory::AddressSpace;
using FilePages = LoadedImage::FilePages;

// What a run of pages belongs to: its name and, for files, the file offset of its first page
// and the device and inode numbers.
struct RegionName {
    std::string name;
    uint64_t offset = 0;
    dev_t device = 0;
    ino_t inode = 0;
    bool shared = false;
    bool operator==(const RegionName&) const = default;
};

class Namer {
public:
    explicit Namer(Process& process)
        : m_process(process), m_program(absolute_path(process.options().program)),
          m_interpreter(absolute_path(process.interpreter_host_path()))
    {
    }

    RegionName name(uint32_t address)
    {
        if (const Mapping* mapping = m_process.mappings().find(address)) {
            RegionName region;
            if (!mapping->anonymous)
                region = file_region(mapping->name, mapping->file_offset + (address - mapping->start));
            region.shared = mapping->shared;
            return region;
        }
        for (const FilePages& pages : m_process.image().file_pages)
            if (address >= pages.start && address < pages.end)
                return file_region(m_program, pages.offset + (address - pages.start));
        if (const LoadedImage* interpreter = m_process.interpreter_image())
            for (const FilePages& pages : interpreter->file_pages)
                if (address >= pages.start && address < pages.end)
                    return file_region(m_interpreter, pages.offset + (address - pages.start));
        if (address >= AddressSpace::round_up_to_page(m_process.break_start) &&
            address < AddressSpace::round_up_to_page(m_process.break_end))
            return {"[heap]"};
        if (address >= stack_top - stack_size && address < stack_top)
            return {"[stack]"};
        if ((address & ~(AddressSpace::page_size - 1)) == sigreturn_page)
            return {"[vdso]"}; // where Linux/MIPS keeps its signal return code
        return {};
    }

private:
    RegionName file_region(const std::string& path, uint64_t offset)
    {
        RegionName region{path, offset};
        if (path != m_last_path) {
            struct stat status;
            bool found = !path.empty() && stat(path.c_str(), &status) == 0;
            m_last_path = path;
            m_last_device = found ? status.st_dev : 0;
            m_last_inode = found ? status.st_ino : 0;
        }
        region.device = m_last_device;
        region.inode = m_last_inode;
        return region;
    }

    static std::string absolute_path(const std::string& path)
    {
        if (path.empty())
            return path;
        std::error_code error;
        std::filesystem::path absolute = std::filesystem::absolute(path, error);
        return error ? path : absolute.lexically_normal().string();
    }

    Process& m_process;
    std::string m_program;
    std::string m_interpreter;
    // The last file looked up: a file's pages come one after another.
    std::string m_last_path;
    dev_t m_last_device = 0;
    ino_t m_last_inode = 0;
};

std::string line(uint32_t start, uint32_t end, uint8_t protection, const RegionName& region)
{
    std::string text = fmt::format(
        "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ", start, end, protection & memory::ProtectionRead ? 'r' : '-',
        protection & memory::ProtectionWrite ? 'w' : '-', protection & memory::ProtectionExecute ? 'x' : '-',
        region.shared ? 's' : 'p', region.offset, major(region.device), minor(region.device), region.inode);
    if (!region.name.empty()) {
        // A 32-bit kernel pads the fields to 48 columns before the name.
        if (text.size() < 48)
            text.append(48 - text.size(), ' ');
        text += ' ';
        text += region.name;
    }
    return text + '\n';
}

} // namespace

bool names_own_maps(const std::string& path)
{
    if (path == "/proc/self/maps" || path == "/proc/thread-self/maps")
        return true;
    std::string own = fmt::format("/proc/{}/", getpid());
    if (!path.starts_with(own))
        return false;
    std::string rest = path.substr(own.size());
    return rest == "maps" || (rest.starts_with("task/") && rest.ends_with("/maps") &&
                              rest.find_first_not_of("0123456789", 5) == rest.size() - 5);
}

std::string guest_memory_map(Process& process)
{
    AddressSpace& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    Namer namer(process);
    std::string text;
    constexpr uint64_t page_count = uint64_t{1} << (32 - AddressSpace::page_shift);
    uint64_t page = 0;
    while (page < page_count) {
        uint32_t address = static_cast<uint32_t>(page << AddressSpace::page_shift);
        if (!memory.is_mapped(address)) {
            ++page;
            continue;
        }
        uint8_t protection = memory.protection(address) & (memory::ProtectionRead | memory::ProtectionWrite |
                                                            memory::ProtectionExecute);
        RegionName region = namer.name(address);
        uint64_t end = page + 1;
        for (; end < page_count; ++end) {
            uint32_t next = static_cast<uint32_t>(end << AddressSpace::page_shift);
            if (!memory.is_mapped(next))
                break;
            uint8_t next_protection = memory.protection(next) & (memory::ProtectionRead | memory::ProtectionWrite |
                                                                 memory::ProtectionExecute);
            RegionName next_region = namer.name(next);
            // A file region continues only where its offset does.
            uint64_t expected_offset = region.offset + ((end - page) << AddressSpace::page_shift);
            if (next_protection != protection || next_region.name != region.name ||
                next_region.shared != region.shared || (region.inode != 0 && next_region.offset != expected_offset))
                break;
        }
        text += line(address, static_cast<uint32_t>(end << AddressSpace::page_shift), protection, region);
        page = end;
    }
    return text;
}

int open_guest_memory_map(Process& process, bool close_on_exec)
{
    std::string text = guest_memory_map(process);
    int fd = memfd_create("maps", close_on_exec ? MFD_CLOEXEC : 0);
    if (fd < 0)
        return -errno;
    size_t written = 0;
    while (written < text.size()) {
        ssize_t count = write(fd, text.data() + written, text.size() - written);
        if (count <= 0) {
            int error = count < 0 ? errno : EIO;
            close(fd);
            return -error;
        }
        written += static_cast<size_t>(count);
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

} // namespace isomorph::process
