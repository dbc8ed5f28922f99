#!/usr/bin/env bash
# Runs one case of dynamically linked programs from the Debian mipsel root file system built by
# scripts/build-rootfs. Usage: run_rootfs.sh ISOMORPH ENGINE ROOT CASE
#
# Programs that run alone are compared with qemu-mipsel -L ROOT byte for byte (stdout, stderr,
# exit status). Shell scripts that start other programs cannot run under qemu-mipsel (its execve
# of a MIPS program needs binfmt_misc), so they are compared with the same script run by the
# host's bash and tools: Debian bookworm on both sides prints the same. 7-Zip's benchmark prints
# timings, so it is checked by its own verification instead: it must finish with status 0 and
# print its totals and no error (mode selfcheck).
set -u
isomorph=$1 engine=$2 root=$3 name=$4
# shellcheck source=tests/diff/engine_options.sh
source "$(dirname "${BASH_SOURCE[0]}")/../diff/engine_options.sh"
engine_options_for "$engine"
if [ ! -x "$root/bin/bash" ] || [ ! -e "$root/lib/ld.so.1" ]; then
    echo "FAIL: no mipsel root file system at $root: build it with scripts/build-rootfs"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/a" "$work/b"

# Fixed input files in each working directory.
prepare() {
    printf 'pear\napple\nfig\nbanana\napple\ncherry\n' >"$1/fruit.txt"
    seq 1 2000 | sed 's/$/ lines of text for the archive/' >"$1/numbers.txt"
}
prepare "$work/a"
prepare "$work/b"

guest() { (cd "$work/a" && exec "$isomorph" run "${engine_options[@]}" -L "$root" "$root$1" "${@:2}") </dev/null; }
qemu() { (cd "$work/b" && exec qemu-mipsel -L "$root" "$root$1" "${@:2}") </dev/null; }
host() { (cd "$work/b" && exec "$@") </dev/null; }

mode=qemu
case "$name" in
bash_builtins)
    script='f() { echo "f:$1"; }; for i in 1 2 3; do f $i; done | while read l; do echo "<$l>"; done
x=$(echo inner $(echo nested)); echo "${x^^} ${#x}"; echo $(( $(echo 6) * 7 )); declare -A m=([a]=1 [b]=2); echo ${!m[@]} ${m[b]}'
    set -- /bin/bash -c "$script" ;;
bash_pipeline)
    mode=host
    script='sort fruit.txt | uniq -c | sort -rn | head -3; echo "words: $(cat fruit.txt | wc -w)"; ls | sort; grep -c lines numbers.txt | sed "s/^/count=/"; seq 3 | while read n; do echo "$n $(expr $n \* $n)"; done'
    set -- /bin/bash -c "$script" ;;
tar_gzip)
    mode=host
    script='tar czf archive.tar.gz fruit.txt numbers.txt && mkdir out && tar xzf archive.tar.gz -C out && cmp fruit.txt out/fruit.txt && cmp numbers.txt out/numbers.txt && gzip -dc archive.tar.gz | tar tf - && echo round trip ok'
    set -- /bin/bash -c "$script" ;;
xz)
    mode=host
    script='xz -k numbers.txt && xz -dc numbers.txt.xz | md5sum && xz -l numbers.txt.xz >/dev/null && echo xz ok'
    set -- /bin/bash -c "$script" ;;
bash_jobs)
    # Background jobs and wait, a trap on a signal, exit statuses of functions and subshells. The
    # jobs write to files, printed after they end: on a loaded machine the order in which jobs
    # sleeping 0.1, 0.2 and 0.3 s finish is not certain.
    mode=host
    script='trap "echo trapped USR1" USR1; kill -USR1 $$; for i in 1 2 3; do (sleep 0.$i; echo job $i >job$i.out; exit $i) & pids="$pids $!"; done
for pid in $pids; do wait $pid; echo "status $?"; done; wait; cat job1.out job2.out job3.out; echo all done
(exit 4); echo subshell $?; f() { return 3; }; f; echo function $?; sleep 5 & kill %1; wait %1; echo killed $?'
    set -- /bin/bash -c "$script" ;;
find_xargs)
    mode=host
    script='mkdir -p tree/a/b tree/c && touch tree/a/one.txt tree/a/b/two.txt tree/c/three.log tree/four.txt &&
find tree -name "*.txt" | sort | xargs -n 1 basename && find tree -type d | sort | xargs echo dirs: &&
find tree -type f -print0 | xargs -0 ls | wc -l'
    set -- /bin/bash -c "$script" ;;
xz_large)
    # A multi-megabyte round trip, checked by checksum.
    mode=host
    script='seq 1 400000 | sed "s/$/ some text to compress/" >big.txt && md5sum <big.txt && xz -1 -T1 -k big.txt &&
xz -dc big.txt.xz | md5sum && xz -t big.txt.xz && echo "$(wc -c <big.txt) bytes round trip ok"'
    set -- /bin/bash -c "$script" ;;
perl_processes)
    # fork, pipe, waitpid and a %SIG handler.
    set -- /usr/bin/perl -e 'pipe(my $r, my $w) or die; my $pid = fork(); die unless defined $pid;
if ($pid == 0) { close $r; print $w "hello from the child\n"; close $w; exit 3 }
close $w; print scalar <$r>; waitpid($pid, 0); print "child status ", $? >> 8, "\n";
my $got = 0; $SIG{USR1} = sub { $got++ }; kill "USR1", $$; print "handler ran $got time(s)\n";
local $SIG{ALRM} = sub { print "alarm\n" }; alarm 1; sleep 2; print "end\n"' ;;
lua_coroutine)
    set -- /usr/bin/lua5.4 -e 'local co = coroutine.create(function(a) for i = 1, 3 do a = coroutine.yield(a * i) end return "done " .. a end)
local value = 1 while true do local ok, result = coroutine.resume(co, value) print(ok, result, coroutine.status(co))
if coroutine.status(co) == "dead" then break end value = result + 1 end
local gen = coroutine.wrap(function() for i = 1, 4 do coroutine.yield(i * i) end end) print(gen(), gen(), gen(), gen())' ;;
coreutils_ls) set -- /bin/ls -a . ;;
coreutils_sort) set -- /usr/bin/sort -r fruit.txt ;;
coreutils_wc) set -- /usr/bin/wc numbers.txt fruit.txt ;;
coreutils_md5sum) set -- /usr/bin/md5sum numbers.txt fruit.txt ;;
coreutils_seq) set -- /usr/bin/seq -w 1 3 100 ;;
grep) set -- /bin/grep -n -E '^(apple|fig)$' fruit.txt ;;
sed) set -- /bin/sed -n -e 's/\(a\+\)/[\1]/gp' fruit.txt ;;
perl)
    set -- /usr/bin/perl -e 'my %h; $h{$_ % 7}++ for 1..10000; print join(",", map {"$_=$h{$_}"} sort keys %h), "\n";
printf("%.10f %s\n", atan2(1,1)*4, join("", reverse split //, "isomorph")); my @s = sort { $b <=> $a } map { $_ * $_ } 1..20; print "@s[0..4]\n"' ;;
lua)
    set -- /usr/bin/lua5.4 -e 'local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print(fib(24)); local t = {} for i = 1, 5000 do t[#t + 1] = tostring(i * i) end local s = table.concat(t, ",")
print(#s, s:sub(1, 40), string.format("%.6f", math.sqrt(2)), ("x"):rep(5), string.byte("A"))' ;;
7zz_bench_mt1 | 7zz_bench_mt2)
    # The benchmark compresses and decompresses with LZMA and checks every round trip's CRC.
    mode=selfcheck
    set -- /usr/bin/7zz b 1 -md16 "-mmt${name#7zz_bench_mt}" ;;
7zz_archive)
    # Compression with two threads, then test and extraction; the checksums come out the same.
    mode=selfcheck
    script='7zz a -bd -mmt2 -mx5 archive.7z numbers.txt fruit.txt >/dev/null && 7zz t -bd archive.7z >/dev/null &&
mkdir out && 7zz x -bd -oout archive.7z >/dev/null && cmp numbers.txt out/numbers.txt && cmp fruit.txt out/fruit.txt &&
echo "Tot: archive round trip ok"'
    set -- /bin/bash -c "$script" ;;
*) echo "unknown case $name"; exit 2 ;;
esac

guest "$@" >"$work/guest.out" 2>"$work/guest.err"
guest_status=$?
if [ "$mode" = selfcheck ]; then
    if [ "$guest_status" = 0 ] && grep -q '^Tot:' "$work/guest.out" && ! grep -qi 'error' "$work/guest.out" "$work/guest.err"; then
        echo "self-check passed: $(grep '^Tot:' "$work/guest.out")"
        exit 0
    fi
    echo "FAIL: exit status $guest_status"
    tail -20 "$work/guest.out" "$work/guest.err"
    exit 1
fi
if [ "$mode" = qemu ]; then
    qemu "$@" >"$work/other.out" 2>"$work/other.err"
else
    # The host runs the same script with its own bash and tools.
    host /bin/bash "${@:2}" >"$work/other.out" 2>"$work/other.err"
fi
other_status=$?

failed=0
for stream in out err; do
    if ! cmp -s "$work/other.$stream" "$work/guest.$stream"; then
        echo "std$stream differs ($mode vs isomorph):"
        diff -u "$work/other.$stream" "$work/guest.$stream" | head -30
        failed=1
    fi
done
if [ "$other_status" != "$guest_status" ]; then
    echo "exit status differs: $mode $other_status, isomorph $guest_status"
    failed=1
fi
[ "$failed" = 0 ] || exit 1
echo "match with $mode: $(wc -c <"$work/guest.out") bytes of output, exit status $guest_status"
