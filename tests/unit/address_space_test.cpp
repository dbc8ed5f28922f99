// The system-call layer's checked accesses to guest memory. The page table is checked first, but
// another guest thread may unmap or protect the range before the copy; the copy must then fail
// (the system call returns EFAULT) rather than crash the emulator. The race is made certain here
// by taking the host page away behind the page table's back.
#include "memory/address_space.h"

#include <gtest/gtest.h>

#include <cstring>
#include <sys/mman.h>

namespace isomorph::memory {
namespace {

constexpr uint32_t page = 0x10000;
constexpr uint8_t read_write = ProtectionRead | ProtectionWrite;

class AddressSpaceRace : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(space.map_anonymous(page, AddressSpace::page_size, read_write), 0);
        const char text[] = "guest text";
        ASSERT_TRUE(space.copy_to_guest(page, text, sizeof text));
    }

    // What another thread's munmap leaves on the host, while this thread still trusts the table.
    void unmap_on_host_only()
    {
        ASSERT_EQ(mprotect(space.host_address(page), AddressSpace::page_size, PROT_NONE), 0);
    }

    AddressSpace space;
};

TEST_F(AddressSpaceRace, CopiesWorkWhileTheHostPageIsThere)
{
    char buffer[11] = {};
    EXPECT_TRUE(space.copy_from_guest(buffer, page, sizeof buffer));
    EXPECT_STREQ(buffer, "guest text");
    EXPECT_EQ(space.read_string(page), "guest text");
}

TEST_F(AddressSpaceRace, CopyFromGuestFailsInsteadOfCrashing)
{
    unmap_on_host_only();
    char buffer[16];
    EXPECT_FALSE(space.copy_from_guest(buffer, page, sizeof buffer));
}

// copy_to_guest holds the code lock while it writes, so its fault must not go the way of a
// guest store to a watched page (which waits for that lock).
TEST_F(AddressSpaceRace, CopyToGuestFailsInsteadOfCrashing)
{
    unmap_on_host_only();
    const char text[] = "new";
    EXPECT_FALSE(space.copy_to_guest(page, text, sizeof text));
}

TEST_F(AddressSpaceRace, ReadStringFailsInsteadOfCrashing)
{
    unmap_on_host_only();
    EXPECT_EQ(space.read_string(page), std::nullopt);
}

} // namespace
} // namespace isomorph::memory
