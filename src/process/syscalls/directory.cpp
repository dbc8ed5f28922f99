// Names in the file system: directories, links, renames, permissions, owners and times. Every
// path argument goes through read_path (process/paths.h), so -L applies to all of them alike.

#include "process/o32/layouts.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <utime.h>

namespace isomorph::process::syscalls {

namespace {

constexpr int at_fdcwd = AT_FDCWD;

// Reads two path arguments.
SyscallResult read_paths(Process& process, uint32_t first_address, std::string& first, uint32_t second_address,
                         std::string& second)
{
    if (SyscallResult error = read_path(process, first_address, first))
        return error;
    return read_path(process, second_address, second);
}

SyscallResult make_directory(Process& process, int directory, uint32_t path_address, uint32_t mode)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(mkdirat(directory, path.c_str(), mode));
}

SyscallResult remove_name(Process& process, int directory, uint32_t path_address, uint32_t flags)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(unlinkat(directory, path.c_str(), static_cast<int>(flags)));
}

SyscallResult rename_names(Process& process, int old_directory, uint32_t old_address, int new_directory,
                           uint32_t new_address, uint32_t flags)
{
    std::string old_path, new_path;
    if (SyscallResult error = read_paths(process, old_address, old_path, new_address, new_path))
        return error;
    return host_result(
        syscall(SYS_renameat2, old_directory, old_path.c_str(), new_directory, new_path.c_str(), flags));
}

SyscallResult hard_link(Process& process, int old_directory, uint32_t old_address, int new_directory,
                        uint32_t new_address, uint32_t flags)
{
    std::string old_path, new_path;
    if (SyscallResult error = read_paths(process, old_address, old_path, new_address, new_path))
        return error;
    return host_result(linkat(old_directory, old_path.c_str(), new_directory, new_path.c_str(), static_cast<int>(flags)));
}

// The target of a symbolic link is stored as the guest wrote it; only the link's own name is a
// path to translate.
SyscallResult symbolic_link(Process& process, uint32_t target_address, int directory, uint32_t path_address)
{
    auto target = process.memory().read_string(target_address, PATH_MAX - 1);
    if (!target)
        return -EFAULT;
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(symlinkat(target->c_str(), directory, path.c_str()));
}

SyscallResult read_link(Process& process, int directory, uint32_t path_address, uint32_t buffer, uint32_t size)
{
    if (static_cast<int32_t>(size) <= 0)
        return -EINVAL;
    auto guest_path = process.memory().read_string(path_address, PATH_MAX - 1);
    if (!guest_path)
        return -EFAULT;
    uint32_t usable = accessible_length(process, buffer, size, memory::ProtectionWrite);
    if (usable == 0)
        return -EFAULT;
    if (auto target = process.paths().magic_link_target(*guest_path)) {
        uint32_t length = std::min<uint32_t>(usable, static_cast<uint32_t>(target->size()));
        process.memory().copy_to_guest(buffer, target->data(), length);
        return length;
    }
    std::string path = process.paths().to_host(*guest_path);
    return host_result(readlinkat(directory, path.c_str(), reinterpret_cast<char*>(process.memory().host_address(buffer)),
                                  usable));
}

// A 32-bit device number in new_encode_dev() form to the host's dev_t.
dev_t decode_device(uint32_t device)
{
    unsigned major_number = (device & 0xFFF00) >> 8;
    unsigned minor_number = (device & 0xFF) | ((device >> 12) & 0xFFF00);
    return makedev(major_number, minor_number);
}

SyscallResult make_node(Process& process, int directory, uint32_t path_address, uint32_t mode, uint32_t device)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(mknodat(directory, path.c_str(), mode, decode_device(device)));
}

SyscallResult check_access(Process& process, int directory, uint32_t path_address, uint32_t mode, uint32_t flags)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(faccessat(directory, path.c_str(), static_cast<int>(mode), static_cast<int>(flags)));
}

SyscallResult change_mode(Process& process, int directory, uint32_t path_address, uint32_t mode, uint32_t flags)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    if (flags == 0)
        return host_result(syscall(SYS_fchmodat, directory, path.c_str(), mode));
    return host_result(fchmodat(directory, path.c_str(), mode, static_cast<int>(flags)));
}

SyscallResult change_owner(Process& process, int directory, uint32_t path_address, uint32_t owner, uint32_t group,
                           uint32_t flags)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(fchownat(directory, path.c_str(), owner, group, static_cast<int>(flags)));
}

// utimensat with host timespecs (or none); a null path changes the descriptor's own times.
SyscallResult set_times(Process& process, int directory, uint32_t path_address, const struct timespec* times,
                        uint32_t flags)
{
    std::string path;
    if (path_address != 0)
        if (SyscallResult error = read_path(process, path_address, path))
            return error;
    return host_result(
        syscall(SYS_utimensat, directory, path_address ? path.c_str() : nullptr, times, static_cast<int>(flags)));
}

// Guest timevals (utimes, futimesat) to timespecs; 0 means "now" for both.
SyscallResult timevals_to_times(Process& process, uint32_t address, struct timespec (&times)[2], bool& present)
{
    present = address != 0;
    if (!present)
        return 0;
    o32::Timeval32 guest[2];
    if (!read_guest(process, address, guest))
        return -EFAULT;
    for (int index = 0; index < 2; ++index) {
        if (guest[index].microseconds < 0 || guest[index].microseconds >= 1000000)
            return -EINVAL;
        times[index] = {guest[index].seconds, guest[index].microseconds * 1000L};
    }
    return 0;
}

template <class Timespec>
SyscallResult utimens(Process& process, const SyscallArguments& a)
{
    struct timespec times[2];
    if (a[2] != 0) {
        Timespec guest[2];
        if (!read_guest(process, a[2], guest))
            return -EFAULT;
        for (int index = 0; index < 2; ++index)
            // A 32-bit kernel reads only the low word of a 64-bit nanoseconds field.
            times[index] = {static_cast<time_t>(guest[index].seconds), static_cast<int32_t>(guest[index].nanoseconds)};
    }
    return set_times(process, descriptor(a[0]), a[1], a[2] ? times : nullptr, a[3]);
}

} // namespace

// getdents64(fd, buffer, size): struct linux_dirent64 is the same on every architecture; positions
// that do not fit a 32-bit off_t become cookies (process/directory_offsets.h).
SyscallResult sys_getdents64(Process& process, const SyscallArguments& a)
{
    uint32_t usable = accessible_length(process, a[1], a[2], memory::ProtectionWrite);
    if (usable == 0)
        return -EFAULT;
    int fd = descriptor(a[0]);
    uint8_t* buffer = process.memory().host_address(a[1]);
    long length = syscall(SYS_getdents64, fd, buffer, usable);
    if (length < 0)
        return -errno;
    // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), d_name.
    constexpr size_t position_offset = 8, length_offset = 16;
    for (long record = 0; record + 18 <= length;) {
        int64_t position;
        uint16_t record_length;
        std::memcpy(&position, buffer + record + position_offset, sizeof position);
        std::memcpy(&record_length, buffer + record + length_offset, sizeof record_length);
        position = process.directory_offsets().to_guest(fd, position);
        std::memcpy(buffer + record + position_offset, &position, sizeof position);
        if (record_length == 0)
            break;
        record += record_length;
    }
    return length;
}

// getcwd(buffer, size): returns the length including the terminating NUL.
SyscallResult sys_getcwd(Process& process, const SyscallArguments& a)
{
    char directory[PATH_MAX];
    if (getcwd(directory, sizeof directory) == nullptr)
        return -errno;
    size_t length = std::strlen(directory) + 1;
    if (length > a[1])
        return -ERANGE;
    if (!process.memory().copy_to_guest(a[0], directory, length))
        return -EFAULT;
    return static_cast<SyscallResult>(length);
}

SyscallResult sys_chdir(Process& process, const SyscallArguments& a)
{
    std::string path;
    if (SyscallResult error = read_path(process, a[0], path))
        return error;
    return host_result(chdir(path.c_str()));
}

SyscallResult sys_fchdir(Process&, const SyscallArguments& a) { return host_result(fchdir(descriptor(a[0]))); }

SyscallResult sys_mkdir(Process& process, const SyscallArguments& a) { return make_directory(process, at_fdcwd, a[0], a[1]); }

SyscallResult sys_mkdirat(Process& process, const SyscallArguments& a)
{
    return make_directory(process, descriptor(a[0]), a[1], a[2]);
}

SyscallResult sys_rmdir(Process& process, const SyscallArguments& a)
{
    return remove_name(process, at_fdcwd, a[0], AT_REMOVEDIR);
}

SyscallResult sys_unlink(Process& process, const SyscallArguments& a) { return remove_name(process, at_fdcwd, a[0], 0); }

SyscallResult sys_unlinkat(Process& process, const SyscallArguments& a)
{
    if (a[2] & ~static_cast<uint32_t>(AT_REMOVEDIR))
        return -EINVAL;
    return remove_name(process, descriptor(a[0]), a[1], a[2]);
}

SyscallResult sys_rename(Process& process, const SyscallArguments& a)
{
    return rename_names(process, at_fdcwd, a[0], at_fdcwd, a[1], 0);
}

SyscallResult sys_renameat(Process& process, const SyscallArguments& a)
{
    return rename_names(process, descriptor(a[0]), a[1], descriptor(a[2]), a[3], 0);
}

SyscallResult sys_renameat2(Process& process, const SyscallArguments& a)
{
    return rename_names(process, descriptor(a[0]), a[1], descriptor(a[2]), a[3], a[4]);
}

SyscallResult sys_link(Process& process, const SyscallArguments& a)
{
    return hard_link(process, at_fdcwd, a[0], at_fdcwd, a[1], 0);
}

SyscallResult sys_linkat(Process& process, const SyscallArguments& a)
{
    return hard_link(process, descriptor(a[0]), a[1], descriptor(a[2]), a[3], a[4]);
}

SyscallResult sys_symlink(Process& process, const SyscallArguments& a) { return symbolic_link(process, a[0], at_fdcwd, a[1]); }

SyscallResult sys_symlinkat(Process& process, const SyscallArguments& a)
{
    return symbolic_link(process, a[0], descriptor(a[1]), a[2]);
}

SyscallResult sys_readlink(Process& process, const SyscallArguments& a)
{
    return read_link(process, at_fdcwd, a[0], a[1], a[2]);
}

SyscallResult sys_readlinkat(Process& process, const SyscallArguments& a)
{
    return read_link(process, descriptor(a[0]), a[1], a[2], a[3]);
}

SyscallResult sys_mknod(Process& process, const SyscallArguments& a) { return make_node(process, at_fdcwd, a[0], a[1], a[2]); }

SyscallResult sys_mknodat(Process& process, const SyscallArguments& a)
{
    return make_node(process, descriptor(a[0]), a[1], a[2], a[3]);
}

SyscallResult sys_access(Process& process, const SyscallArguments& a) { return check_access(process, at_fdcwd, a[0], a[1], 0); }

SyscallResult sys_faccessat(Process& process, const SyscallArguments& a)
{
    return check_access(process, descriptor(a[0]), a[1], a[2], 0);
}

SyscallResult sys_faccessat2(Process& process, const SyscallArguments& a)
{
    return check_access(process, descriptor(a[0]), a[1], a[2], a[3]);
}

SyscallResult sys_chmod(Process& process, const SyscallArguments& a) { return change_mode(process, at_fdcwd, a[0], a[1], 0); }

SyscallResult sys_fchmod(Process&, const SyscallArguments& a) { return host_result(fchmod(descriptor(a[0]), a[1])); }

SyscallResult sys_fchmodat(Process& process, const SyscallArguments& a)
{
    return change_mode(process, descriptor(a[0]), a[1], a[2], 0);
}

SyscallResult sys_fchmodat2(Process& process, const SyscallArguments& a)
{
    return change_mode(process, descriptor(a[0]), a[1], a[2], a[3]);
}

SyscallResult sys_chown(Process& process, const SyscallArguments& a)
{
    return change_owner(process, at_fdcwd, a[0], a[1], a[2], 0);
}

SyscallResult sys_lchown(Process& process, const SyscallArguments& a)
{
    return change_owner(process, at_fdcwd, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW);
}

SyscallResult sys_fchown(Process&, const SyscallArguments& a)
{
    return host_result(fchown(descriptor(a[0]), a[1], a[2]));
}

SyscallResult sys_fchownat(Process& process, const SyscallArguments& a)
{
    return change_owner(process, descriptor(a[0]), a[1], a[2], a[3], a[4]);
}

SyscallResult sys_umask(Process&, const SyscallArguments& a) { return umask(a[0] & 0777); }

// utime(path, struct utimbuf*): two 32-bit second counts, or null for "now".
SyscallResult sys_utime(Process& process, const SyscallArguments& a)
{
    struct timespec times[2];
    if (a[1] != 0) {
        int32_t guest[2];
        if (!read_guest(process, a[1], guest))
            return -EFAULT;
        times[0] = {guest[0], 0};
        times[1] = {guest[1], 0};
    }
    if (a[0] == 0)
        return -EFAULT;
    return set_times(process, at_fdcwd, a[0], a[1] ? times : nullptr, 0);
}

SyscallResult sys_utimes(Process& process, const SyscallArguments& a)
{
    struct timespec times[2];
    bool present = false;
    if (SyscallResult error = timevals_to_times(process, a[1], times, present))
        return error;
    if (a[0] == 0)
        return -EFAULT;
    return set_times(process, at_fdcwd, a[0], present ? times : nullptr, 0);
}

SyscallResult sys_futimesat(Process& process, const SyscallArguments& a)
{
    struct timespec times[2];
    bool present = false;
    if (SyscallResult error = timevals_to_times(process, a[2], times, present))
        return error;
    return set_times(process, descriptor(a[0]), a[1], present ? times : nullptr, 0);
}

// utimensat(directory, path, struct old_timespec32[2], flags) and the time64 form.
SyscallResult sys_utimensat(Process& process, const SyscallArguments& a) { return utimens<o32::Timespec32>(process, a); }

SyscallResult sys_utimensat_time64(Process& process, const SyscallArguments& a)
{
    return utimens<o32::Timespec64>(process, a);
}

} // namespace isomorph::process::syscalls
