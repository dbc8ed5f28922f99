#pragma once

// The guest stores of one stretch of reference execution, with the bytes each overwrote, so that
// the stretch's effect on memory can be read and then undone. The lockstep mode
// (engines/lockstep/lockstep_engine.h) runs the reference interpreter over a block with one,
// rolls the stores back, runs the translated block over the same state and compares what both
// left in every location the interpreter wrote.

#include "memory/address_space.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace isomorph::engines {

class StoreJournal {
public:
    struct Entry {
        uint32_t address = 0;
        uint8_t size = 0;
        std::array<uint8_t, 8> before{}; // what the location held before the store
        std::array<uint8_t, 8> after{};  // what it held when the stretch ended (capture_after)
    };

    explicit StoreJournal(memory::AddressSpace& memory) : m_memory(memory) {}

    // Called by the journaling core before a store of size bytes (at most 8) writes. A store to a
    // page the guest cannot read is not recorded: it faults (or the page is write-only, which no
    // real program uses), and there is nothing to read back or undo.
    void before_store(uint32_t address, unsigned size)
    {
        Entry entry;
        entry.address = address;
        entry.size = static_cast<uint8_t>(size);
        if (m_memory.copy_from_guest(entry.before.data(), address, size))
            m_entries.push_back(entry);
    }

    // Reads what every recorded location holds now: the stretch's result.
    void capture_after()
    {
        for (Entry& entry : m_entries)
            m_memory.copy_from_guest(entry.after.data(), entry.address, entry.size);
    }

    // Puts back what the stores overwrote, the last store first. copy_to_guest unwatches code
    // pages as a guest store would, so translations of the rolled-back bytes are dropped.
    void roll_back()
    {
        for (auto entry = m_entries.rbegin(); entry != m_entries.rend(); ++entry)
            m_memory.copy_to_guest(entry->address, entry->before.data(), entry->size);
    }

    const std::vector<Entry>& entries() const { return m_entries; }
    void clear() { m_entries.clear(); }

private:
    memory::AddressSpace& m_memory;
    std::vector<Entry> m_entries;
};

} // namespace isomorph::engines
