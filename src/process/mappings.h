#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace isomorph::process {

// One region the guest mapped with mmap, as the kernel's VMA list would know it.
struct Mapping {
    uint32_t start = 0;
    uint32_t length = 0;       // whole pages
    uint8_t protection = 0;    // memory::Protection bits
    bool shared = false;
    bool anonymous = true;
    uint64_t file_offset = 0;  // of start, for file mappings
    std::string name;          // the file's host path, empty for anonymous memory
};

// The guest's mmap regions, kept page-exact through partial munmap, mprotect and mremap. The
// address space's page table says what is mapped; this table adds what the page table cannot:
// whether a region is anonymous or backed by a file (mremap needs it), and names for later
// views such as /proc/self/maps.
class MappingTable {
public:
    // Records a new region, replacing whatever overlapped it.
    void insert(const Mapping& mapping);
    // Forgets [start, start + length), splitting regions that straddle its ends.
    void remove(uint32_t start, uint32_t length);
    // Changes the protection of [start, start + length), splitting as needed.
    void protect(uint32_t start, uint32_t length, uint8_t protection);
    // The region containing address, if any.
    const Mapping* find(uint32_t address) const;
    // Every recorded region overlapping [start, start + length), in address order.
    std::vector<Mapping> overlapping(uint32_t start, uint32_t length) const;

    size_t size() const { return m_regions.size(); }

private:
    // Splits the region containing address (if any) so that a region starts at address.
    void split_at(uint32_t address);

    std::map<uint32_t, Mapping> m_regions; // keyed by start
};

} // namespace isomorph::process
