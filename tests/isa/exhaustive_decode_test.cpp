// Decodes every one of the 2^32 instruction words and proves that each yields exactly one row of
// the instruction table, or Reserved when no row matches.
//
// The argument: every word the decoder assigns to row r is checked to match r (word & mask ==
// match). So the words assigned to r are a subset of r's words, of which there are
// 2^(number of r's free bits). If the decoder assigned exactly that many words to r, it assigned
// all of them: every word matching r decodes to r. Since that holds for every row, a word
// matching two rows would have to decode to both, which is impossible; so the rows do not
// overlap, every word matching a row decodes to it, and a Reserved word matches no row — without
// ever scanning the table for a word.

#include "isa/decoder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdio>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace isomorph::isa {

TEST(ExhaustiveDecode, EveryWordDecodesToExactlyOneRowOrReserved)
{
    using Counts = std::array<uint64_t, instruction_count + 1>;
    unsigned thread_count = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
    constexpr uint64_t total = uint64_t{1} << 32;
    std::vector<Counts> counts(thread_count);
    std::vector<uint64_t> mismatched(thread_count, 0);
    std::vector<uint32_t> first_mismatch(thread_count, 0);
    auto start = std::chrono::steady_clock::now();

    std::vector<std::thread> threads;
    for (unsigned index = 0; index < thread_count; ++index) {
        threads.emplace_back([&, index] {
            Counts local{};
            uint64_t bad = 0;
            uint32_t first_bad = 0;
            uint64_t begin = total * index / thread_count, end = total * (index + 1) / thread_count;
            for (uint64_t value = begin; value < end; ++value) {
                uint32_t word = static_cast<uint32_t>(value);
                Opcode opcode = decode_opcode(word);
                unsigned row = static_cast<unsigned>(opcode);
                ++local[row];
                if (opcode != Opcode::Reserved) {
                    const Encoding& encoding = instruction_table[row].encoding;
                    if ((word & encoding.mask) != encoding.match && bad++ == 0)
                        first_bad = word;
                }
            }
            counts[index] = local;
            mismatched[index] = bad;
            first_mismatch[index] = first_bad;
        });
    }
    for (std::thread& thread : threads)
        thread.join();

    Counts sum{};
    for (const Counts& local : counts)
        for (unsigned row = 0; row <= instruction_count; ++row)
            sum[row] += local[row];
    for (unsigned index = 0; index < thread_count; ++index)
        EXPECT_EQ(mismatched[index], 0u) << "the decoder returned a row that does not match, e.g. for word 0x"
                                         << std::hex << first_mismatch[index];

    uint64_t matched = 0;
    for (unsigned row = 0; row < instruction_count; ++row) {
        const InstructionInfo& info = instruction_table[row];
        uint64_t size = uint64_t{1} << std::popcount(~info.encoding.mask);
        EXPECT_EQ(sum[row], size) << info.name << ": decoded " << sum[row] << " words, but the row has " << size;
        matched += size;
    }
    EXPECT_EQ(sum[instruction_count] + matched, total);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%u threads, %.1f s; %llu words belong to %u rows, %llu are reserved (%.1f%%)\n", thread_count, seconds,
                static_cast<unsigned long long>(matched), instruction_count,
                static_cast<unsigned long long>(sum[instruction_count]), 100.0 * sum[instruction_count] / total);
}

} // namespace isomorph::isa
