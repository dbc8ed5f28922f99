# Shared helpers for the scripts in scripts/. Source this file; it defines no commands of its own.

# The repository's top directory, whatever the caller's working directory is.
repository_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# A path given relative to the caller's working directory, made absolute.
absolute_path() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

# Where the build lives: the CMake preset "default" puts it in build/; ISOMORPH_BUILD_DIR moves it.
build_directory=$(absolute_path "${ISOMORPH_BUILD_DIR:-$repository_root/build}")

# Where downloaded guest software is kept (git-ignored; nothing in it is committed).
guest_directory=$(absolute_path "${ISOMORPH_GUEST_DIR:-$repository_root/guest}")

say() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        fail "'$*' needs root and sudo is not installed"
    fi
}

# Apt's download sandbox runs as the user _apt, who may not be able to write into our directories;
# as root, download as root instead so apt does not warn about it.
apt_download_options() {
    if [ "$(id -u)" = 0 ]; then
        printf '%s\n' -o APT::Sandbox::User=root
    fi
}

apt_environment=(env DEBIAN_FRONTEND=noninteractive)

# Makes sure dpkg knows the mipsel architecture and apt has its package lists, so that
# `apt-get install PACKAGE:mipsel` and `apt-get download PACKAGE:mipsel` work.
ensure_mipsel_architecture() {
    if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
        say "adding the mipsel architecture to dpkg"
        as_root dpkg --add-architecture mipsel
        apt_lists_are_fresh=no
    fi
}

apt_lists_are_fresh=no
update_apt_lists() {
    if [ "$apt_lists_are_fresh" != yes ]; then
        say "apt-get update"
        as_root "${apt_environment[@]}" apt-get update -qq
        apt_lists_are_fresh=yes
    fi
}

# True when apt knows a candidate version for PACKAGE (which may carry an architecture suffix).
apt_has_candidate() {
    local candidate
    candidate=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}
