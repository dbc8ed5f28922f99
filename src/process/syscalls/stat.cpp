// File status: the stat family in its o32 layouts, statx, and file-system statistics.
//
// glibc 2.36 calls statx first for every stat variant and falls back to fstatat64 when the
// kernel lacks it; busybox's own calls go through the same glibc functions. struct statx has one
// layout on every architecture, so it is copied as the host fills it. struct stat64 on o32 has
// 32-bit device numbers followed by padding, st_ino before st_mode and 32-bit seconds: it is
// built field by field (process/o32/layouts.h).

#include "process/o32/layouts.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

// A 32-bit kernel reports device numbers in new_encode_dev() form: minor bits 0-7, major bits
// 8-19, the rest of the minor above them.
uint32_t encode_device(dev_t device)
{
    uint32_t major_number = major(device);
    uint32_t minor_number = minor(device);
    return (minor_number & 0xFF) | (major_number << 8) | ((minor_number & ~0xFFu) << 12);
}

o32::Stat64 to_stat64(const struct stat& host)
{
    o32::Stat64 guest{};
    guest.st_dev = encode_device(host.st_dev);
    guest.st_ino = host.st_ino;
    guest.st_mode = host.st_mode;
    guest.st_nlink = static_cast<uint32_t>(host.st_nlink);
    guest.st_uid = host.st_uid;
    guest.st_gid = host.st_gid;
    guest.st_rdev = encode_device(host.st_rdev);
    guest.st_size = host.st_size;
    guest.st_atime_seconds = static_cast<int32_t>(host.st_atim.tv_sec);
    guest.st_atime_nanoseconds = static_cast<uint32_t>(host.st_atim.tv_nsec);
    guest.st_mtime_seconds = static_cast<int32_t>(host.st_mtim.tv_sec);
    guest.st_mtime_nanoseconds = static_cast<uint32_t>(host.st_mtim.tv_nsec);
    guest.st_ctime_seconds = static_cast<int32_t>(host.st_ctim.tv_sec);
    guest.st_ctime_nanoseconds = static_cast<uint32_t>(host.st_ctim.tv_nsec);
    guest.st_blksize = static_cast<uint32_t>(host.st_blksize);
    guest.st_blocks = host.st_blocks;
    return guest;
}

// The old struct stat: fails with EOVERFLOW when the inode number or the size do not fit.
SyscallResult to_stat(const struct stat& host, o32::Stat& guest)
{
    guest = {};
    if (host.st_ino > UINT32_MAX || host.st_size > INT32_MAX)
        return -EOVERFLOW;
    guest.st_dev = encode_device(host.st_dev);
    guest.st_ino = static_cast<uint32_t>(host.st_ino);
    guest.st_mode = host.st_mode;
    guest.st_nlink = static_cast<uint32_t>(host.st_nlink);
    guest.st_uid = host.st_uid;
    guest.st_gid = host.st_gid;
    guest.st_rdev = encode_device(host.st_rdev);
    guest.st_size = static_cast<int32_t>(host.st_size);
    guest.st_atime_seconds = static_cast<int32_t>(host.st_atim.tv_sec);
    guest.st_atime_nanoseconds = static_cast<int32_t>(host.st_atim.tv_nsec);
    guest.st_mtime_seconds = static_cast<int32_t>(host.st_mtim.tv_sec);
    guest.st_mtime_nanoseconds = static_cast<int32_t>(host.st_mtim.tv_nsec);
    guest.st_ctime_seconds = static_cast<int32_t>(host.st_ctim.tv_sec);
    guest.st_ctime_nanoseconds = static_cast<int32_t>(host.st_ctim.tv_nsec);
    guest.st_blksize = static_cast<int32_t>(host.st_blksize);
    guest.st_blocks = static_cast<int32_t>(host.st_blocks);
    return 0;
}

// Runs fstatat for a path argument (or for the descriptor alone when path_address is 0).
SyscallResult host_status(Process& process, int directory, uint32_t path_address, int flags, struct stat& status)
{
    std::string path;
    if (path_address == 0) {
        flags |= AT_EMPTY_PATH;
    } else if (SyscallResult error = read_path(process, path_address, path)) {
        return error;
    }
    return host_result(fstatat(directory, path.c_str(), &status, flags));
}

SyscallResult status64(Process& process, int directory, uint32_t path_address, int flags, uint32_t buffer)
{
    struct stat status;
    if (SyscallResult error = host_status(process, directory, path_address, flags, status))
        return error;
    return write_guest(process, buffer, to_stat64(status)) ? 0 : -EFAULT;
}

SyscallResult status32(Process& process, int directory, uint32_t path_address, int flags, uint32_t buffer)
{
    struct stat status;
    if (SyscallResult error = host_status(process, directory, path_address, flags, status))
        return error;
    o32::Stat guest;
    if (SyscallResult error = to_stat(status, guest))
        return error;
    return write_guest(process, buffer, guest) ? 0 : -EFAULT;
}

o32::Statfs64 to_statfs64(const struct statfs& host)
{
    o32::Statfs64 guest{};
    guest.f_type = static_cast<uint32_t>(host.f_type);
    guest.f_bsize = static_cast<uint32_t>(host.f_bsize);
    guest.f_frsize = static_cast<uint32_t>(host.f_frsize);
    guest.f_blocks = host.f_blocks;
    guest.f_bfree = host.f_bfree;
    guest.f_files = host.f_files;
    guest.f_ffree = host.f_ffree;
    guest.f_bavail = host.f_bavail;
    std::memcpy(guest.f_fsid, &host.f_fsid, sizeof guest.f_fsid);
    guest.f_namelen = static_cast<uint32_t>(host.f_namelen);
    guest.f_flags = static_cast<uint32_t>(host.f_flags);
    return guest;
}

// The 32-bit struct statfs: EOVERFLOW when a count does not fit, as the kernel's put_compat_statfs.
SyscallResult to_statfs(const struct statfs& host, o32::Statfs& guest)
{
    guest = {};
    auto too_big = [](uint64_t value) { return value > UINT32_MAX && value != ~uint64_t{0}; };
    if (too_big(host.f_blocks) || too_big(host.f_bfree) || too_big(host.f_bavail) || too_big(host.f_files) ||
        too_big(host.f_ffree))
        return -EOVERFLOW;
    guest.f_type = static_cast<int32_t>(host.f_type);
    guest.f_bsize = static_cast<int32_t>(host.f_bsize);
    guest.f_frsize = static_cast<int32_t>(host.f_frsize);
    guest.f_blocks = static_cast<int32_t>(host.f_blocks);
    guest.f_bfree = static_cast<int32_t>(host.f_bfree);
    guest.f_files = static_cast<int32_t>(host.f_files);
    guest.f_ffree = static_cast<int32_t>(host.f_ffree);
    guest.f_bavail = static_cast<int32_t>(host.f_bavail);
    std::memcpy(guest.f_fsid, &host.f_fsid, sizeof guest.f_fsid);
    guest.f_namelen = static_cast<int32_t>(host.f_namelen);
    guest.f_flags = static_cast<int32_t>(host.f_flags);
    return 0;
}

SyscallResult path_statfs(Process& process, uint32_t path_address, struct statfs& host)
{
    std::string path;
    if (SyscallResult error = read_path(process, path_address, path))
        return error;
    return host_result(statfs(path.c_str(), &host));
}

SyscallResult put_statfs(Process& process, const struct statfs& host, uint32_t buffer)
{
    o32::Statfs guest;
    if (SyscallResult error = to_statfs(host, guest))
        return error;
    return write_guest(process, buffer, guest) ? 0 : -EFAULT;
}

} // namespace

SyscallResult sys_stat(Process& process, const SyscallArguments& a) { return status32(process, AT_FDCWD, a[0], 0, a[1]); }

SyscallResult sys_lstat(Process& process, const SyscallArguments& a)
{
    return status32(process, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, a[1]);
}

SyscallResult sys_fstat(Process& process, const SyscallArguments& a)
{
    return status32(process, descriptor(a[0]), 0, 0, a[1]);
}

SyscallResult sys_stat64(Process& process, const SyscallArguments& a)
{
    return status64(process, AT_FDCWD, a[0], 0, a[1]);
}

SyscallResult sys_lstat64(Process& process, const SyscallArguments& a)
{
    return status64(process, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, a[1]);
}

SyscallResult sys_fstat64(Process& process, const SyscallArguments& a)
{
    return status64(process, descriptor(a[0]), 0, 0, a[1]);
}

// fstatat64(directory, path, buffer, flags)
SyscallResult sys_fstatat64(Process& process, const SyscallArguments& a)
{
    if (a[1] == 0)
        return -EFAULT;
    return status64(process, descriptor(a[0]), a[1], static_cast<int>(a[3]), a[2]);
}

// statx(directory, path, flags, mask, buffer)
SyscallResult sys_statx(Process& process, const SyscallArguments& a)
{
    std::string path;
    if (SyscallResult error = read_path(process, a[1], path))
        return error;
    // The path is looked up before the buffer is written: a missing file with a bad buffer is
    // ENOENT, as on Linux.
    struct statx status;
    if (statx(descriptor(a[0]), path.c_str(), static_cast<int>(a[2]), a[3], &status) < 0)
        return -errno;
    return write_guest(process, a[4], status) ? 0 : -EFAULT;
}

SyscallResult sys_statfs(Process& process, const SyscallArguments& a)
{
    struct statfs host;
    if (SyscallResult error = path_statfs(process, a[0], host))
        return error;
    return put_statfs(process, host, a[1]);
}

SyscallResult sys_fstatfs(Process& process, const SyscallArguments& a)
{
    struct statfs host;
    if (fstatfs(descriptor(a[0]), &host) < 0)
        return -errno;
    return put_statfs(process, host, a[1]);
}

// statfs64(path, size, buffer): size must be the size of the o32 struct statfs64.
SyscallResult sys_statfs64(Process& process, const SyscallArguments& a)
{
    if (a[1] != sizeof(o32::Statfs64))
        return -EINVAL;
    struct statfs host;
    if (SyscallResult error = path_statfs(process, a[0], host))
        return error;
    return write_guest(process, a[2], to_statfs64(host)) ? 0 : -EFAULT;
}

SyscallResult sys_fstatfs64(Process& process, const SyscallArguments& a)
{
    if (a[1] != sizeof(o32::Statfs64))
        return -EINVAL;
    struct statfs host;
    if (fstatfs(descriptor(a[0]), &host) < 0)
        return -errno;
    return write_guest(process, a[2], to_statfs64(host)) ? 0 : -EFAULT;
}

} // namespace isomorph::process::syscalls
