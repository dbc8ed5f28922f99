# The shell's parameters and parameter expansion: defaults, lengths, prefix and suffix removal,
# positional and special parameters, export, unset, readonly.
steps() {
    guest sh -c '
name=isomorph
empty=
echo "${name}" "${#name}" "${unset_variable:-default}" "${empty:-fallback}" "${empty-kept}"
echo "${name:+set}" "${unset_variable:+not shown}" "${assigned:=now set}" "$assigned"
path=/usr/local/lib/libexample.so.1.2
echo "${path#*/}" "${path##*/}" "${path%.*}" "${path%%.*}"
echo "${name:2}" "${name:2:3}" "${name/o/0}" "${name//o/0}"
set -- first second third fourth
echo "$#" "$1" "$4" "$*" "${10:-none}"
shift 2
echo "$#" "$@"
echo "$0"
false; echo "status $?"
true; echo "status $?"
export EXPORTED=yes
unset name
echo "[${name-unset}]"
readonly constant=42
echo "$constant"
IFS=:
set -- $path
echo "$#"
'
    guest sh -c 'readonly fixed=1; fixed=2; echo unreachable'
    guest sh -c 'echo "${missing?is required}"; echo unreachable'
    guest sh -c 'echo "$0 $1 $2 $#"' zero one two
}
