#include "process/mappings.h"

namespace isomorph::process {

namespace {
uint64_t end_of(const Mapping& mapping) { return uint64_t{mapping.start} + mapping.length; }
} // namespace

void MappingTable::split_at(uint32_t address)
{
    auto it = m_regions.upper_bound(address);
    if (it == m_regions.begin())
        return;
    --it;
    Mapping& region = it->second;
    if (region.start == address || end_of(region) <= address)
        return;
    Mapping tail = region;
    uint32_t head_length = address - region.start;
    tail.start = address;
    tail.length = region.length - head_length;
    if (!tail.anonymous)
        tail.file_offset += head_length;
    region.length = head_length;
    m_regions.emplace(address, tail);
}

void MappingTable::insert(const Mapping& mapping)
{
    if (mapping.length == 0)
        return;
    remove(mapping.start, mapping.length);
    m_regions.emplace(mapping.start, mapping);
}

void MappingTable::remove(uint32_t start, uint32_t length)
{
    if (length == 0)
        return;
    uint64_t end = uint64_t{start} + length;
    split_at(start);
    if (end < (uint64_t{1} << 32))
        split_at(static_cast<uint32_t>(end));
    auto it = m_regions.lower_bound(start);
    while (it != m_regions.end() && it->first < end)
        it = m_regions.erase(it);
}

void MappingTable::protect(uint32_t start, uint32_t length, uint8_t protection)
{
    if (length == 0)
        return;
    uint64_t end = uint64_t{start} + length;
    split_at(start);
    if (end < (uint64_t{1} << 32))
        split_at(static_cast<uint32_t>(end));
    for (auto it = m_regions.lower_bound(start); it != m_regions.end() && it->first < end; ++it)
        it->second.protection = protection;
}

const Mapping* MappingTable::find(uint32_t address) const
{
    auto it = m_regions.upper_bound(address);
    if (it == m_regions.begin())
        return nullptr;
    --it;
    return address < end_of(it->second) ? &it->second : nullptr;
}

std::vector<Mapping> MappingTable::overlapping(uint32_t start, uint32_t length) const
{
    std::vector<Mapping> result;
    uint64_t end = uint64_t{start} + length;
    auto it = m_regions.upper_bound(start);
    if (it != m_regions.begin())
        --it;
    for (; it != m_regions.end() && it->first < end; ++it)
        if (end_of(it->second) > start)
            result.push_back(it->second);
    return result;
}

} // namespace isomorph::process
