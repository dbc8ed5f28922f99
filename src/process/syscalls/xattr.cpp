// Extended attributes: the get, set, list and remove calls on a path, on a path without
// following a final symbolic link, and on a descriptor. Paths go through the -L translation like
// every other path argument. Names and values are plain bytes, the same on every architecture;
// they are copied through host buffers bounded by the kernel's limits (XATTR_NAME_MAX 255,
// XATTR_SIZE_MAX and XATTR_LIST_MAX 65536), so a bad guest pointer is EFAULT.

#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <sys/xattr.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

constexpr size_t max_name_length = 255;
constexpr uint32_t max_value_size = 65536;

enum class Target : uint8_t { Path, LinkItself, Descriptor };

// The object an attribute call works on: a translated path or a descriptor.
struct Object {
    Target target;
    int fd = -1;
    std::string path;
};

SyscallResult read_object(Process& process, Target target, uint32_t argument, Object& object)
{
    object.target = target;
    if (target == Target::Descriptor) {
        object.fd = descriptor(argument);
        return 0;
    }
    return read_path(process, argument, object.path);
}

// An attribute name, as the kernel's strncpy_from_user() with XATTR_NAME_MAX + 1 reads it: ERANGE
// when empty or too long, EFAULT when unreadable.
SyscallResult read_name(Process& process, uint32_t address, std::string& name)
{
    auto text = process.memory().read_string(address, max_name_length);
    if (!text)
        return process.memory().read_string(address, 1u << 20) ? -ERANGE : -EFAULT;
    if (text->empty())
        return -ERANGE;
    name = std::move(*text);
    return 0;
}

// Reads the object and the name arguments of a call.
SyscallResult read_object_and_name(Process& process, Target target, const SyscallArguments& a, Object& object,
                                   std::string& name)
{
    if (SyscallResult error = read_object(process, target, a[0], object))
        return error;
    return read_name(process, a[1], name);
}

// Copies what the host wrote into a bounce buffer back to the guest.
SyscallResult copy_out(Process& process, uint32_t address, const std::vector<char>& buffer, ssize_t result)
{
    if (result > 0 && !process.memory().copy_to_guest(address, buffer.data(), static_cast<size_t>(result)))
        return -EFAULT;
    return result;
}

// setxattr(object, name, value, size, flags)
SyscallResult set_attribute(Process& process, Target target, const SyscallArguments& a)
{
    Object object;
    std::string name;
    if (SyscallResult error = read_object_and_name(process, target, a, object, name))
        return error;
    if (a[3] > max_value_size)
        return -E2BIG;
    std::vector<char> value(a[3]);
    if (!value.empty() && !process.memory().copy_from_guest(value.data(), a[2], value.size()))
        return -EFAULT;
    int flags = static_cast<int>(a[4]);
    switch (object.target) {
    case Target::Path: return host_result(setxattr(object.path.c_str(), name.c_str(), value.data(), value.size(), flags));
    case Target::LinkItself:
        return host_result(lsetxattr(object.path.c_str(), name.c_str(), value.data(), value.size(), flags));
    case Target::Descriptor: return host_result(fsetxattr(object.fd, name.c_str(), value.data(), value.size(), flags));
    }
    return -EINVAL;
}

// getxattr(object, name, value, size): size 0 asks for the value's size.
SyscallResult get_attribute(Process& process, Target target, const SyscallArguments& a)
{
    Object object;
    std::string name;
    if (SyscallResult error = read_object_and_name(process, target, a, object, name))
        return error;
    std::vector<char> value(std::min(a[3], max_value_size));
    char* buffer = value.empty() ? nullptr : value.data();
    ssize_t result = -1;
    switch (object.target) {
    case Target::Path: result = getxattr(object.path.c_str(), name.c_str(), buffer, value.size()); break;
    case Target::LinkItself: result = lgetxattr(object.path.c_str(), name.c_str(), buffer, value.size()); break;
    case Target::Descriptor: result = fgetxattr(object.fd, name.c_str(), buffer, value.size()); break;
    }
    if (result < 0)
        return -errno;
    return value.empty() ? result : copy_out(process, a[2], value, result);
}

// listxattr(object, list, size): the names, each ending in a NUL; size 0 asks for the length.
SyscallResult list_attributes(Process& process, Target target, const SyscallArguments& a)
{
    Object object;
    if (SyscallResult error = read_object(process, target, a[0], object))
        return error;
    std::vector<char> list(std::min(a[2], max_value_size));
    char* buffer = list.empty() ? nullptr : list.data();
    ssize_t result = -1;
    switch (object.target) {
    case Target::Path: result = listxattr(object.path.c_str(), buffer, list.size()); break;
    case Target::LinkItself: result = llistxattr(object.path.c_str(), buffer, list.size()); break;
    case Target::Descriptor: result = flistxattr(object.fd, buffer, list.size()); break;
    }
    if (result < 0)
        return -errno;
    return list.empty() ? result : copy_out(process, a[1], list, result);
}

// removexattr(object, name)
SyscallResult remove_attribute(Process& process, Target target, const SyscallArguments& a)
{
    Object object;
    std::string name;
    if (SyscallResult error = read_object_and_name(process, target, a, object, name))
        return error;
    switch (object.target) {
    case Target::Path: return host_result(removexattr(object.path.c_str(), name.c_str()));
    case Target::LinkItself: return host_result(lremovexattr(object.path.c_str(), name.c_str()));
    case Target::Descriptor: return host_result(fremovexattr(object.fd, name.c_str()));
    }
    return -EINVAL;
}

} // namespace

SyscallResult sys_setxattr(Process& p, const SyscallArguments& a) { return set_attribute(p, Target::Path, a); }
SyscallResult sys_lsetxattr(Process& p, const SyscallArguments& a) { return set_attribute(p, Target::LinkItself, a); }
SyscallResult sys_fsetxattr(Process& p, const SyscallArguments& a) { return set_attribute(p, Target::Descriptor, a); }
SyscallResult sys_getxattr(Process& p, const SyscallArguments& a) { return get_attribute(p, Target::Path, a); }
SyscallResult sys_lgetxattr(Process& p, const SyscallArguments& a) { return get_attribute(p, Target::LinkItself, a); }
SyscallResult sys_fgetxattr(Process& p, const SyscallArguments& a) { return get_attribute(p, Target::Descriptor, a); }
SyscallResult sys_listxattr(Process& p, const SyscallArguments& a) { return list_attributes(p, Target::Path, a); }
SyscallResult sys_llistxattr(Process& p, const SyscallArguments& a) { return list_attributes(p, Target::LinkItself, a); }
SyscallResult sys_flistxattr(Process& p, const SyscallArguments& a) { return list_attributes(p, Target::Descriptor, a); }
SyscallResult sys_removexattr(Process& p, const SyscallArguments& a) { return remove_attribute(p, Target::Path, a); }
SyscallResult sys_lremovexattr(Process& p, const SyscallArguments& a)
{
    return remove_attribute(p, Target::LinkItself, a);
}
SyscallResult sys_fremovexattr(Process& p, const SyscallArguments& a)
{
    return remove_attribute(p, Target::Descriptor, a);
}

} // namespace isomorph::process::syscalls
