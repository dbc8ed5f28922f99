#include "isa/disassembler.h"

#include "isa/decoder.h"

#include <fmt/format.h>

#include <optional>

// The text follows GNU objdump 2.40 (`mipsel-linux-gnu-objdump -d`, and `-M no-aliases`) for
// MIPS32 Release 2, operand for operand; tests/isa compares the two on every row and on the
// whole guest corpus. Branch targets are printed as bare hexadecimal addresses, without
// objdump's " <symbol+offset>" suffix.

namespace isomorph::isa {

namespace {

constexpr std::string_view register_names[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
    "s0",   "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
};

// Coprocessor 0 register names as objdump prints them for MIPS32 Release 2 (select 0), and the
// named selects; any other (register, select) pair is printed as "$register,select".
constexpr std::string_view coprocessor0_names[32] = {
    "c0_index",    "c0_random",  "c0_entrylo0", "c0_entrylo1", "c0_context", "c0_pagemask", "c0_wired",
    "c0_hwrena",   "c0_badvaddr", "c0_count",   "c0_entryhi",  "c0_compare", "c0_status",   "c0_cause",
    "c0_epc",      "c0_prid",    "c0_config",   "c0_lladdr",   "c0_watchlo", "c0_watchhi",  "c0_xcontext",
    "$21",         "$22",        "c0_debug",    "c0_depc",     "c0_perfcnt", "c0_errctl",   "c0_cacheerr",
    "c0_taglo",    "c0_taghi",   "c0_errorepc", "c0_desave",
};

struct SelectName {
    uint8_t number;
    uint8_t select;
    std::string_view name;
};

constexpr SelectName coprocessor0_select_names[] = {
    {0, 1, "c0_mvpcontrol"},   {0, 2, "c0_mvpconf0"},       {0, 3, "c0_mvpconf1"},
    {1, 1, "c0_vpecontrol"},   {1, 2, "c0_vpeconf0"},       {1, 3, "c0_vpeconf1"},
    {1, 4, "c0_yqmask"},       {1, 5, "c0_vpeschedule"},    {1, 6, "c0_vpeschefback"},
    {2, 1, "c0_tcstatus"},     {2, 2, "c0_tcbind"},         {2, 3, "c0_tcrestart"},
    {2, 4, "c0_tchalt"},       {2, 5, "c0_tccontext"},      {2, 6, "c0_tcschedule"},
    {2, 7, "c0_tcschefback"},  {4, 1, "c0_contextconfig"},  {5, 1, "c0_pagegrain"},
    {6, 1, "c0_srsconf0"},     {6, 2, "c0_srsconf1"},       {6, 3, "c0_srsconf2"},
    {6, 4, "c0_srsconf3"},     {6, 5, "c0_srsconf4"},       {12, 1, "c0_intctl"},
    {12, 2, "c0_srsctl"},      {12, 3, "c0_srsmap"},        {15, 1, "c0_ebase"},
    {16, 1, "c0_config1"},     {16, 2, "c0_config2"},       {16, 3, "c0_config3"},
    {18, 1, "c0_watchlo,1"},   {18, 2, "c0_watchlo,2"},     {18, 3, "c0_watchlo,3"},
    {18, 4, "c0_watchlo,4"},   {18, 5, "c0_watchlo,5"},     {18, 6, "c0_watchlo,6"},
    {18, 7, "c0_watchlo,7"},   {19, 1, "c0_watchhi,1"},     {19, 2, "c0_watchhi,2"},
    {19, 3, "c0_watchhi,3"},   {19, 4, "c0_watchhi,4"},     {19, 5, "c0_watchhi,5"},
    {19, 6, "c0_watchhi,6"},   {19, 7, "c0_watchhi,7"},     {23, 1, "c0_tracecontrol"},
    {23, 2, "c0_tracecontrol2"}, {23, 3, "c0_usertracedata"}, {23, 4, "c0_tracebpc"},
    {25, 1, "c0_perfcnt,1"},   {25, 2, "c0_perfcnt,2"},     {25, 3, "c0_perfcnt,3"},
    {25, 4, "c0_perfcnt,4"},   {25, 5, "c0_perfcnt,5"},     {25, 6, "c0_perfcnt,6"},
    {25, 7, "c0_perfcnt,7"},   {27, 1, "c0_cacheerr,1"},    {27, 2, "c0_cacheerr,2"},
    {27, 3, "c0_cacheerr,3"},  {28, 1, "c0_datalo"},        {28, 2, "c0_taglo1"},
    {28, 3, "c0_datalo1"},     {28, 4, "c0_taglo2"},        {28, 5, "c0_datalo2"},
    {28, 6, "c0_taglo3"},      {28, 7, "c0_datalo3"},       {29, 1, "c0_datahi"},
    {29, 2, "c0_taghi1"},      {29, 3, "c0_datahi1"},       {29, 4, "c0_taghi2"},
    {29, 5, "c0_datahi2"},     {29, 6, "c0_taghi3"},        {29, 7, "c0_datahi3"},
};

// RDHWR's registers: the four the manual defines get objdump's names, the rest are "$n".
constexpr std::string_view hardware_register_names[4] = {"hwr_cpunum", "hwr_synci_step", "hwr_cc",
                                                         "hwr_ccres"};

// FPU control registers (CFC1, CTC1) as objdump names them; the others are "$n".
constexpr std::string_view fpu_control_names[32] = {
    "c1_fir", "c1_ufr", "$2",  "$3",  "c1_unfr", "$5",  "$6",  "$7",  "$8",     "$9",      "$10",
    "$11",    "$12",    "$13", "$14", "$15",     "$16", "$17", "$18", "$19",    "$20",     "$21",
    "$22",    "$23",    "$24", "c1_fccr", "c1_fexr", "$27", "c1_fenr", "$29", "$30", "c1_fcsr",
};

std::string hex(uint32_t value) { return fmt::format("0x{:x}", value); }

std::string coprocessor0_register(unsigned number, unsigned select)
{
    if (select == 0)
        return std::string(coprocessor0_names[number]);
    for (const SelectName& entry : coprocessor0_select_names)
        if (entry.number == number && entry.select == select)
            return std::string(entry.name);
    return fmt::format("${},{}", number, select);
}

// Expands one operand token of a row's syntax. An empty result leaves the operand out (the
// tokens ending in '?' when their field is zero).
std::string operand(std::string_view token, const InstructionInfo& row, const Operands& o, uint32_t pc)
{
    if (token == "rd") return std::string(register_name(o.rd));
    if (token == "rs") return std::string(register_name(o.rs));
    if (token == "rt") return std::string(register_name(o.rt));
    if (token == "rt?") return o.rt == 0 ? std::string() : std::string(register_name(o.rt));
    if (token == "rd_or_rt") {
        // CLZ and CLO name their destination in rd and in rt; objdump shows one register when
        // the two agree or one of them is $0, and "rd or rt" otherwise.
        if (o.rd == o.rt || o.rt == 0) return std::string(register_name(o.rd));
        if (o.rd == 0) return std::string(register_name(o.rt));
        return fmt::format("{} or {}", register_name(o.rd), register_name(o.rt));
    }
    if (token == "zero") return "zero";
    if (token == "sa" || token == "pos") return hex(o.sa);
    if (token == "imm") return fmt::format("{}", o.imm);
    if (token == "uimm") return hex(o.unsigned_immediate());
    if (token == "mem") return fmt::format("{}({})", o.imm, register_name(o.rs));
    if (token == "branch") return fmt::format("{:x}", pc + 4 + (static_cast<uint32_t>(o.imm) << 2));
    if (token == "jump") return fmt::format("{:x}", ((pc + 4) & 0xF0000000) | (o.jump_index() << 2));
    if (token == "code20?") return o.code20() == 0 ? std::string() : hex(o.code20());
    if (token == "breakcode?") {
        // BREAK's code is two 10-bit halves, the assembler's first operand in bits 25:16.
        uint32_t high = o.code20() >> 10, low = o.code20() & 0x3FF;
        if (o.code20() == 0) return {};
        return low == 0 ? hex(high) : hex(high) + "," + hex(low);
    }
    if (token == "code10?") return o.code10() == 0 ? std::string() : hex(o.code10());
    if (token == "code19?") {
        uint32_t code = (o.word >> 6) & 0x7FFFF;
        return code == 0 ? std::string() : hex(code);
    }
    if (token == "stype?") return o.sa == 0 ? std::string() : hex(o.sa);
    if (token == "hint") return hex(o.rt);
    if (token == "hintx") return hex(o.rd); // PREFX keeps its hint in bits 15:11
    if (token == "hwr")
        return o.rd < 4 ? std::string(hardware_register_names[o.rd]) : fmt::format("${}", o.rd);
    if (token == "size_ext") return hex(o.msbd() + 1u);
    if (token == "size_ins") return hex(o.msb() - o.lsb() + 1u);
    if (token == "cp0") return coprocessor0_register(o.rd, o.sel());
    if (token == "c2reg") return fmt::format("${}", o.rd);
    if (token == "c2rt") return fmt::format("${}", o.rt);
    if (token == "sel?") return o.sel() == 0 ? std::string() : fmt::format("{}", o.sel());
    if (token == "c2cc?") return o.cc_high() == 0 ? std::string() : fmt::format("$cc{}", o.cc_high());
    if (token == "cofun") return hex(o.word & 0x01FFFFFF);
    if (token == "fd") return fmt::format("$f{}", o.sa);
    if (token == "fs") return fmt::format("$f{}", o.rd);
    if (token == "ft") return fmt::format("$f{}", o.rt);
    if (token == "fr") return fmt::format("$f{}", o.rs);
    if (token == "fcr") return std::string(fpu_control_names[o.rd]);
    // Condition codes: objdump leaves out $fcc0 on the branches (BC1F...) and the compares
    // (C.cond.fmt, whose code is in bits 10:8), but shows it on MOVF, MOVT and MOVF.fmt, MOVT.fmt.
    if (token == "cch") {
        if (o.cc_high() == 0 && row.has(Branch)) return {};
        return fmt::format("$fcc{}", o.cc_high());
    }
    if (token == "ccl") return o.cc_low() == 0 ? std::string() : fmt::format("$fcc{}", o.cc_low());
    if (token == "index") return fmt::format("{}({})", register_name(o.rt), register_name(o.rs));
    return fmt::format("<{}?>", token);
}

std::string_view row_syntax(Opcode opcode) { return info(opcode).syntax; }

// A mnemonic and syntax that replace the row's own.
struct Form {
    std::string_view mnemonic;
    std::string_view syntax;
};

// objdump's special forms. Some are aliases, shown only with AliasStyle::Aliases; others
// (pause, neg, negu, ror, rorv, the one-operand jalr) are separate
// entries of its table and are shown in both styles.
std::optional<Form> special_form(Opcode opcode, const Operands& o, AliasStyle style)
{
    bool aliases = style == AliasStyle::Aliases;
    switch (opcode) {
    case Opcode::SLL:
        if (o.rd != 0 || o.rt != 0)
            break;
        if (o.sa == 0 && aliases) return Form{"nop", ""};
        if (o.sa == 1 && aliases) return Form{"ssnop", ""};
        if (o.sa == 3 && aliases) return Form{"ehb", ""};
        if (o.sa == 5) return Form{"pause", ""};
        break;
    case Opcode::ADDU:
    case Opcode::OR:
        if (o.rt == 0 && aliases) return Form{"move", "rd,rs"};
        break;
    case Opcode::ROTR: return Form{"ror", row_syntax(opcode)};
    case Opcode::ROTRV: return Form{"rorv", row_syntax(opcode)};
    case Opcode::SUB:
        if (o.rs == 0) return Form{"neg", "rd,rt"};
        break;
    case Opcode::SUBU:
        if (o.rs == 0) return Form{"negu", "rd,rt"};
        break;
    case Opcode::JALR:
        if (o.rd == 31) return Form{"jalr", "rs"};
        break;
    case Opcode::JALR_HB:
        if (o.rd == 31) return Form{"jalr.hb", "rs"};
        break;
    case Opcode::SYNC:
        if (!aliases)
            break;
        switch (o.sa) {
        case 0x04: return Form{"sync_wmb", ""};
        case 0x10: return Form{"sync_mb", ""};
        case 0x11: return Form{"sync_acquire", ""};
        case 0x12: return Form{"sync_release", ""};
        case 0x13: return Form{"sync_rmb", ""};
        }
        break;
    case Opcode::BEQ:
        if (o.rs == 0 && o.rt == 0 && aliases) return Form{"b", "branch"};
        if (o.rt == 0 && aliases) return Form{"beqz", "rs,branch"};
        break;
    case Opcode::BNE:
        if (o.rt == 0 && aliases) return Form{"bnez", "rs,branch"};
        break;
    case Opcode::BEQL:
        if (o.rt == 0 && aliases) return Form{"beqzl", "rs,branch"};
        break;
    case Opcode::BNEL:
        if (o.rt == 0 && aliases) return Form{"bnezl", "rs,branch"};
        break;
    case Opcode::BGEZ:
        if (o.rs == 0 && aliases) return Form{"b", "branch"};
        break;
    case Opcode::BGEZAL:
        if (o.rs == 0 && aliases) return Form{"bal", "branch"};
        break;
    case Opcode::ADDIU:
        if (o.rs == 0 && aliases) return Form{"li", "rt,imm"};
        break;
    case Opcode::ORI:
        if (o.rs == 0 && aliases) return Form{"li", "rt,uimm"};
        break;
    default: break;
    }
    return std::nullopt;
}

} // namespace

std::string_view register_name(unsigned number) { return register_names[number & 31]; }

std::string disassemble(uint32_t word, uint32_t pc, AliasStyle style)
{
    DecodedInstruction decoded = decode(word);
    if (decoded.opcode == Opcode::Reserved)
        return fmt::format(".word\t0x{:x}", word);
    const InstructionInfo& row = info(decoded.opcode);
    Form form{row.mnemonic, row.syntax};
    if (std::optional<Form> special = special_form(decoded.opcode, decoded.operands, style))
        form = *special;
    std::string text(form.mnemonic);
    std::string_view syntax = form.syntax;
    char separator = '\t';
    while (!syntax.empty()) {
        size_t comma = syntax.find(',');
        std::string expanded = operand(syntax.substr(0, comma), row, decoded.operands, pc);
        if (!expanded.empty()) {
            text += separator;
            text += expanded;
            separator = ',';
        }
        syntax = comma == std::string_view::npos ? std::string_view{} : syntax.substr(comma + 1);
    }
    return text;
}

} // namespace isomorph::isa
