# Sourced by the test scripts that take an engine name: sets engine_options to the `isomorph run`
# options for it. A name ending in "-lockstep" (jit-lockstep) is that engine checked block by block
# against the reference interpreter: --engine jit --lockstep (docs/jit.md).
engine_options_for() {
    case $1 in
    *-lockstep) engine_options=(--engine "${1%-lockstep}" --lockstep) ;;
    *) engine_options=(--engine "$1") ;;
    esac
}
