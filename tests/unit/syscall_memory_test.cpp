// Memory-management calls run through the dispatcher: placement, partial unmapping and
// protection, mremap in place and moving, and the Linux answers QEMU 7.2 gets wrong (ENOMEM for
// ranges with holes, EEXIST for MAP_FIXED_NOREPLACE), which the guest tests cannot check.

#include "syscall_test_support.h"

#include <gtest/gtest.h>

namespace isomorph::process::testing {
namespace {

constexpr uint32_t page = 4096;
constexpr uint32_t sys_mmap = 4090, sys_munmap = 4091, sys_mprotect = 4125, sys_mremap = 4167, sys_brk = 4045,
                   sys_msync = 4144, sys_madvise = 4218, sys_mmap2 = 4210;
constexpr uint32_t prot_read = 1, prot_write = 2, map_private = 2, map_shared = 1, map_fixed = 0x10,
                   map_anonymous = 0x800, map_fixed_noreplace = 0x100000, mremap_maymove = 1, mremap_fixed = 2;
constexpr uint32_t no_fd = 0xFFFFFFFF;

uint32_t anonymous(GuestProcess& guest, uint32_t length, uint32_t prot = prot_read | prot_write)
{
    return static_cast<uint32_t>(guest.call(sys_mmap, {0, length, prot, map_private | map_anonymous, no_fd, 0}));
}

TEST(SyscallMemory, AnonymousMappingsArePageAlignedZeroedAndBelowTheStack)
{
    GuestProcess guest;
    uint32_t address = anonymous(guest, 3 * page + 1);
    EXPECT_EQ(address % page, 0u);
    EXPECT_GE(address, guest.process().mmap_base);
    EXPECT_LT(address + 4 * page, Process::mmap_limit);
    auto& memory = guest.process().memory();
    EXPECT_TRUE(memory.range_has(address, 4 * page, memory::ProtectionRead | memory::ProtectionWrite));
    EXPECT_EQ(memory.read<uint32_t>(address + 3 * page), 0u);
    const Mapping* mapping = guest.process().mappings().find(address + page);
    ASSERT_NE(mapping, nullptr);
    EXPECT_EQ(mapping->start, address);
    EXPECT_EQ(mapping->length, 4 * page);
    EXPECT_TRUE(mapping->anonymous);
    uint32_t second = anonymous(guest, page);
    EXPECT_TRUE(second + page <= address || second >= address + 4 * page);
}

TEST(SyscallMemory, MunmapAndMprotectWorkOnPartsOfMappings)
{
    GuestProcess guest;
    uint32_t address = anonymous(guest, 4 * page);
    auto& memory = guest.process().memory();
    EXPECT_EQ(guest.call(sys_munmap, {address + page, page}), 0);
    EXPECT_FALSE(memory.is_mapped(address + page));
    EXPECT_TRUE(memory.is_mapped(address));
    EXPECT_TRUE(memory.is_mapped(address + 2 * page));
    EXPECT_EQ(guest.process().mappings().find(address + page), nullptr);
    ASSERT_NE(guest.process().mappings().find(address + 3 * page), nullptr);
    EXPECT_EQ(guest.process().mappings().find(address + 3 * page)->start, address + 2 * page);

    EXPECT_EQ(guest.call(sys_mprotect, {address + 3 * page, page, prot_read}), 0);
    EXPECT_EQ(memory.protection(address + 3 * page) & 7, memory::ProtectionRead);
    EXPECT_EQ(memory.protection(address + 2 * page) & 7, memory::ProtectionRead | memory::ProtectionWrite);
    // Linux: a range with an unmapped page fails with ENOMEM, for mprotect, msync and madvise.
    EXPECT_EQ(guest.call(sys_mprotect, {address, 2 * page, prot_read}), -mips_errno::enomem);
    EXPECT_EQ(guest.call(sys_msync, {address + page, page, 4}), -mips_errno::enomem);
    EXPECT_EQ(guest.call(sys_madvise, {address, 2 * page, 4}), -mips_errno::enomem);
    // Misaligned starts are EINVAL; so is an empty munmap.
    EXPECT_EQ(guest.call(sys_munmap, {address + 1, page}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_munmap, {address, 0}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_mprotect, {address + 1, page, prot_read}), -mips_errno::einval);
}

TEST(SyscallMemory, FixedMappings)
{
    GuestProcess guest;
    uint32_t address = anonymous(guest, 2 * page);
    guest.process().memory().write<uint32_t>(address, 0x12345678);
    EXPECT_EQ(guest.call(sys_mmap, {address, page, prot_read, map_private | map_anonymous | map_fixed_noreplace, no_fd, 0}),
              -mips_errno::eexist);
    EXPECT_EQ(guest.process().memory().read<uint32_t>(address), 0x12345678u);
    EXPECT_EQ(guest.call(sys_mmap, {address, page, prot_read, map_private | map_anonymous | map_fixed, no_fd, 0}), address);
    EXPECT_EQ(guest.process().memory().read<uint32_t>(address), 0u);
    EXPECT_EQ(guest.call(sys_mmap, {address + 1, page, prot_read, map_private | map_anonymous | map_fixed, no_fd, 0}),
              -mips_errno::einval);
    // Beyond the 2 GiB of o32 user space.
    EXPECT_EQ(guest.call(sys_mmap, {0x80000000, page, prot_read, map_private | map_anonymous | map_fixed, no_fd, 0}),
              -mips_errno::enomem);
    EXPECT_EQ(guest.call(sys_mmap, {0, page, prot_read, map_anonymous, no_fd, 0}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_mmap, {0, 0, prot_read, map_private | map_anonymous, no_fd, 0}), -mips_errno::einval);
}

TEST(SyscallMemory, MremapGrowsInPlaceOrMovesKeepingContents)
{
    GuestProcess guest;
    auto& memory = guest.process().memory();
    uint32_t address = anonymous(guest, 2 * page);
    memory.write<uint32_t>(address + page, 0xCAFEF00D);
    // The pages after it are free: it grows where it is.
    EXPECT_EQ(guest.call(sys_mremap, {address, 2 * page, 4 * page, 0, 0}), address);
    EXPECT_TRUE(memory.range_has(address, 4 * page, memory::ProtectionWrite));
    EXPECT_EQ(guest.process().mappings().find(address)->length, 4 * page);
    // Shrinking unmaps the tail.
    EXPECT_EQ(guest.call(sys_mremap, {address, 4 * page, 2 * page, 0, 0}), address);
    EXPECT_FALSE(memory.is_mapped(address + 2 * page));
    // Block the next page: growing needs MREMAP_MAYMOVE and moves the contents.
    uint32_t blocker = static_cast<uint32_t>(
        guest.call(sys_mmap, {address + 2 * page, page, prot_read, map_private | map_anonymous | map_fixed, no_fd, 0}));
    ASSERT_EQ(blocker, address + 2 * page);
    EXPECT_EQ(guest.call(sys_mremap, {address, 2 * page, 3 * page, 0, 0}), -mips_errno::enomem);
    int64_t moved = guest.call(sys_mremap, {address, 2 * page, 3 * page, mremap_maymove, 0});
    ASSERT_GT(moved, 0);
    uint32_t target = static_cast<uint32_t>(moved);
    EXPECT_NE(target, address);
    EXPECT_EQ(memory.read<uint32_t>(target + page), 0xCAFEF00Du);
    EXPECT_FALSE(memory.is_mapped(address));
    EXPECT_TRUE(memory.range_has(target, 3 * page, memory::ProtectionWrite));
    // MREMAP_FIXED to a chosen place.
    uint32_t destination = anonymous(guest, 8 * page) + 4 * page;
    EXPECT_EQ(guest.call(sys_mremap, {target, 3 * page, page, mremap_maymove | mremap_fixed, destination}),
              destination);
    EXPECT_EQ(memory.read<uint32_t>(destination), 0u);
    EXPECT_EQ(guest.call(sys_mremap, {destination, page, page, mremap_fixed, destination + page}),
              -mips_errno::einval);
    // Unmapped source.
    EXPECT_EQ(guest.call(sys_mremap, {target, page, 2 * page, mremap_maymove, 0}), -14);
}

TEST(SyscallMemory, FileMappingsSharedAndPrivate)
{
    GuestProcess guest;
    std::filesystem::path file = guest.directory() / "data";
    {
        std::ofstream out(file);
        out << std::string(page, 'a') << std::string(page, 'b');
    }
    int fd = open(file.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    uint32_t shared = static_cast<uint32_t>(guest.call(sys_mmap2, {0, page, prot_read | prot_write, map_shared, uint32_t(fd), 1}));
    auto& memory = guest.process().memory();
    EXPECT_EQ(memory.read<uint8_t>(shared), 'b');
    memory.write<uint8_t>(shared, 'B');
    char byte = 0;
    ASSERT_EQ(pread(fd, &byte, 1, page), 1);
    EXPECT_EQ(byte, 'B');
    const Mapping* mapping = guest.process().mappings().find(shared);
    ASSERT_NE(mapping, nullptr);
    EXPECT_FALSE(mapping->anonymous);
    EXPECT_EQ(mapping->file_offset, page);
    uint32_t copy = static_cast<uint32_t>(guest.call(sys_mmap, {0, page, prot_read | prot_write, map_private, uint32_t(fd), 0}));
    memory.write<uint8_t>(copy, 'X');
    ASSERT_EQ(pread(fd, &byte, 1, 0), 1);
    EXPECT_EQ(byte, 'a');
    EXPECT_EQ(guest.call(sys_mmap, {0, page, prot_read, map_private, uint32_t(fd), 100}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_mmap, {0, page, prot_read, map_private, 999, 0}), -mips_errno::ebadf);
    close(fd);
}

TEST(SyscallMemory, BrkGrowsAndShrinks)
{
    GuestProcess guest;
    uint32_t start = static_cast<uint32_t>(guest.call(sys_brk, {0}));
    EXPECT_EQ(start, guest.process().break_start);
    EXPECT_EQ(guest.call(sys_brk, {start + 10000}), start + 10000);
    EXPECT_TRUE(guest.process().memory().range_has(start, 10000, memory::ProtectionWrite));
    EXPECT_EQ(guest.call(sys_brk, {start + 100}), start + 100);
    EXPECT_FALSE(guest.process().memory().is_mapped(start + 2 * page));
    // Below the start, or into mapped memory: the break stays.
    EXPECT_EQ(guest.call(sys_brk, {start - page}), start + 100);
    uint32_t wall = start + 16 * page;
    ASSERT_EQ(guest.call(sys_mmap, {wall, page, prot_read, map_private | map_anonymous | map_fixed, no_fd, 0}), wall);
    EXPECT_EQ(guest.call(sys_brk, {wall + page}), start + 100);
}

} // namespace
} // namespace isomorph::process::testing
