"""The Debian-userland workloads of bench/run: lua5.4, xz, perl and 7zz from a Debian bookworm
mipsel root file system (scripts/build-rootfs), run with -L ROOT under Isomorph and qemu-mipsel,
and natively by Debian's amd64 builds of the same programs.

Each workload checks what it printed against a reference the harness computes itself (in Python),
so that its result does not depend on the native run being there: a fast wrong answer fails, and
so does a run that prints nothing. 7zz's benchmark runs for a fixed time and reports its own
rating; the harness records that rating and checks that the benchmark verified its own output.
"""

import collections
import hashlib
import lzma
import os
import re
import shutil
import subprocess

from workload import Step, Workload

# The native program of each workload and the Debian package that provides it.
NATIVE_PACKAGES = {"lua5.4": "lua5.4", "xz": "xz-utils", "perl": "perl", "7zz": "7zip"}

# Sizes: (full, quick).
LUA_FIB = (30, 22)
LUA_STRINGS = (150000, 20000)
XZ_BYTES = (10 << 20, 256 << 10)
PERL_KEYS = (150000, 20000)
# 7zz's benchmark chooses how much work to do from how fast the machine seemed: about four
# seconds per phase, or one with -mtime=1. Its CPU-frequency test before that is fixed work.
SEVEN_ZIP_OPTIONS = (["-md22"], ["-md18", "-mtime=1"])

LUA_SCRIPT = """\
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local n, m = tonumber(arg[1]), tonumber(arg[2])
print(fib(n))
local parts = {}
for i = 1, m do parts[#parts + 1] = string.format("%d:%x", i, i * i) end
local s = table.concat(parts, ",")
local hash = 0
for i = 1, #s, 7 do hash = (hash * 31 + s:byte(i)) % 4294967296 end
local fields = 0
for _ in s:gmatch("%d+:") do fields = fields + 1 end
print(#s, hash, fields, (s:gsub("a", "A")):sub(-20))
"""

PERL_ONE_LINER = (
    'my ($n) = @ARGV; my %h; $h{sprintf("w%x", ($_ * 7919) % 65521)}++ for 1 .. $n; '
    'my ($matched, $sum) = (0, 0); '
    'for my $k (keys %h) { if ($k =~ /^w([0-9a-f]*?)([a-f]+)$/) { $matched++; '
    '$sum = ($sum + hex($1 || "0") * $h{$k}) % 1000003 } } '
    'my $text = join(" ", map { "w$_" } 1 .. $n); my $sevens = () = $text =~ /\\bw\\d*7\\b/g; '
    '(my $swapped = $text) =~ s/(\\d)(\\d)/$2$1/g; '
    'print scalar(keys %h), " $matched $sum $sevens ", length($swapped), " ", substr($swapped, -24), "\\n";'
)


def lua_expected(n, m):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    s = ",".join(f"{i}:{i * i:x}" for i in range(1, m + 1))
    hash_value = 0
    for character in s[::7]:
        hash_value = (hash_value * 31 + ord(character)) % 4294967296
    fields = len(re.findall(r"\d+:", s))
    return f"{a}\n{len(s)}\t{hash_value}\t{fields}\t{s.replace('a', 'A')[-20:]}\n"


def perl_expected(n):
    counts = collections.Counter(f"w{(i * 7919) % 65521:x}" for i in range(1, n + 1))
    matched = total = 0
    for key, count in counts.items():
        match = re.fullmatch(r"w([0-9a-f]*?)([a-f]+)", key)
        if match:
            matched += 1
            total = (total + int(match.group(1) or "0", 16) * count) % 1000003
    text = " ".join(f"w{i}" for i in range(1, n + 1))
    sevens = len(re.findall(r"\bw\d*7\b", text))
    swapped = re.sub(r"(\d)(\d)", r"\2\1", text)
    return f"{len(counts)} {matched} {total} {sevens} {len(swapped)} {swapped[-24:]}\n"


def generate_text(path, size):
    """Deterministic English-like text: words of a 4096-word vocabulary, most drawn from a few
    dozen common ones, twelve to a sentence. It compresses about 5:1 with xz -6."""
    if path.exists() and path.stat().st_size >= size:
        return
    syllables = ["ka", "to", "ri", "mu", "se", "lo", "va", "pen", "dor", "is", "om", "ph", "gue", "st", "ho", "re",
                 "gi", "ster", "bra", "nch"]
    state = 12345

    def next_random():
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return state >> 33

    vocabulary = []
    for _ in range(4096):
        length = 1 + next_random() % 4
        vocabulary.append("".join(syllables[next_random() % len(syllables)] for _ in range(length)))
    lines = []
    written = 0
    while written < size:
        words = []
        for _ in range(12):
            value = next_random()
            words.append(vocabulary[value % 64 if value & 3 else value % 4096])
        line = " ".join(words) + ".\n"
        lines.append(line)
        written += len(line)
    temporary = path.with_suffix(".partial")
    temporary.write_text("".join(lines))
    temporary.rename(path)


def expect_text(expected):
    def check(outputs):
        actual = outputs[-1]["stdout"]
        if actual == expected.encode():
            return None
        return f"printed {actual[:80]!r}, expected {expected.encode()[:80]!r}"
    return check


def seven_zip_rating(stdout):
    """The 'Tot:' line of 7zz b: usage %, rating per usage (MIPS), rating (MIPS)."""
    for line in stdout.decode(errors="replace").splitlines():
        if line.startswith("Tot:"):
            fields = line.split()
            if len(fields) >= 4:
                return {"usage": float(fields[1]), "rating_per_usage": float(fields[2]), "rating": float(fields[3])}
    return None


def check_seven_zip(outputs):
    stdout = outputs[-1]["stdout"]
    text = stdout.decode(errors="replace")
    if re.search(r"error", text, re.IGNORECASE):
        line = next(line for line in text.splitlines() if re.search(r"error", line, re.IGNORECASE))
        return f"7zz reported: {line.strip()[:120]}"
    if seven_zip_rating(stdout) is None:
        return "no 'Tot:' rating line in 7zz's output"
    return None


def native_program(name):
    return shutil.which(name)


def install_native_programs(allowed):
    """Installs the Debian packages of missing native programs. Returns what is still missing."""
    missing = {name: package for name, package in NATIVE_PACKAGES.items() if native_program(name) is None}
    if missing and allowed:
        apt_install(sorted(set(missing.values())), "the native programs' packages")
    return {name: package for name, package in missing.items() if native_program(name) is None}


def apt_install(packages, what):
    """apt-get install, as scripts/install-dependencies does it: as root, or through sudo; the
    package lists are refreshed once if the first attempt fails."""
    prefix = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if prefix is None:
        print(f"bench: cannot install {' '.join(packages)} (not root and no sudo)")
        return
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"bench: installing {what}: {' '.join(packages)}", flush=True)
    install = [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    if subprocess.run(install, env=environment).returncode != 0:
        # Stale package lists name versions the archive no longer has: refresh once and retry.
        subprocess.run([*prefix, "apt-get", "update", "-qq"], env=environment)
        subprocess.run(install, env=environment)


def rootfs_problem(root):
    if root is None:
        return "no Debian mipsel root file system given"
    if not (root / "bin" / "bash").exists() or not (root / "lib" / "ld.so.1").exists():
        return f"no Debian mipsel root file system at {root} (build it with scripts/build-rootfs)"
    return None


def debian_workloads(cache, quick, root, missing_native):
    """lua, xz, perl and 7zz. Without a root file system they are returned skipped, with the reason."""
    size = 1 if quick else 0
    problem = rootfs_problem(root)
    workloads = []

    def add(name, description, steps, check, program, **options):
        workload = Workload(name, description, steps, check=check, sysroot=root, **options)
        if problem:
            workload.skipped = problem
        elif not (root / program.lstrip("/")).exists():
            workload.skipped = f"{program} is not in {root} (scripts/build-rootfs installs it)"
        native = os.path.basename(program)
        if native in missing_native:
            workload.native_missing = f"no native {native} (apt-get install {missing_native[native]})"
        workloads.append(workload)

    fib, strings = LUA_FIB[size], LUA_STRINGS[size]
    script = cache / "strings.lua"
    cache.mkdir(parents=True, exist_ok=True)
    if not script.exists() or script.read_text() != LUA_SCRIPT:
        script.write_text(LUA_SCRIPT)
    add("lua", f"lua5.4: recursive fib({fib}) and building a string of {strings} numbers",
        [Step("/usr/bin/lua5.4", [str(script), str(fib), str(strings)], native="lua5.4")],
        expect_text(lua_expected(fib, strings)) if not problem else None, "/usr/bin/lua5.4")

    data_size = XZ_BYTES[size]
    data = cache / f"words-{data_size}.txt"
    if not problem:
        generate_text(data, data_size)
    compressed = cache / "xz-{runner}.xz"
    add("xz", f"xz -6 compress and decompress of {data_size >> 10} KiB of text",
        [Step("/usr/bin/xz", ["-6", "-T1", "-c", str(data)], native="xz", stdout_file=str(compressed)),
         Step("/usr/bin/xz", ["-d", "-c", str(compressed)], native="xz")],
        check_xz(data) if not problem else None, "/usr/bin/xz")

    keys = PERL_KEYS[size]
    add("perl", f"perl hash-and-regex one-liner over {keys} keys",
        [Step("/usr/bin/perl", ["-e", PERL_ONE_LINER, str(keys)], native="perl")],
        expect_text(perl_expected(keys)) if not problem else None, "/usr/bin/perl")

    options = ["b", "1", "-mmt1", *SEVEN_ZIP_OPTIONS[size]]
    add("7zz", f"7zz {' '.join(options)}: 7-Zip's LZMA benchmark, its own rating (MIPS)",
        [Step("/usr/bin/7zz", options, native="7zz")],
        check_seven_zip, "/usr/bin/7zz", rate=lambda outputs: (seven_zip_rating(outputs[-1]["stdout"]) or {}),
        instruction_counts=False)
    return workloads


def check_xz(data):
    expected = hashlib.sha256(data.read_bytes()).hexdigest()

    def check(outputs):
        if outputs[-1]["digest"] != expected:
            return "xz -d did not give back the original text"
        # The compressed stream must be valid for another decoder too (Python's lzma module), so
        # that a compressor and decompressor that are wrong in the same way cannot pass.
        try:
            with open(outputs[0]["stdout_file"], "rb") as compressed:
                restored = lzma.decompress(compressed.read())
        except (OSError, lzma.LZMAError) as error:
            return f"the compressed stream does not decode: {error}"
        if hashlib.sha256(restored).hexdigest() != expected:
            return "the compressed stream decodes to something else"
        return None
    return check
