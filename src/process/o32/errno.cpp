#include "process/o32/errno.h"

#include <cerrno>
#include <cstring>

namespace isomorph::process::o32 {

namespace {

struct ErrnoPair {
    int host;
    int guest;
    std::string_view name;
};

// Host names on the left, the MIPS numbers on the right.
constexpr ErrnoPair errno_pairs[] = {
    {EPERM, 1, "EPERM"},
    {ENOENT, 2, "ENOENT"},
    {ESRCH, 3, "ESRCH"},
    {EINTR, 4, "EINTR"},
    {EIO, 5, "EIO"},
    {ENXIO, 6, "ENXIO"},
    {E2BIG, 7, "E2BIG"},
    {ENOEXEC, 8, "ENOEXEC"},
    {EBADF, 9, "EBADF"},
    {ECHILD, 10, "ECHILD"},
    {EAGAIN, 11, "EAGAIN"},
    {ENOMEM, 12, "ENOMEM"},
    {EACCES, 13, "EACCES"},
    {EFAULT, 14, "EFAULT"},
    {ENOTBLK, 15, "ENOTBLK"},
    {EBUSY, 16, "EBUSY"},
    {EEXIST, 17, "EEXIST"},
    {EXDEV, 18, "EXDEV"},
    {ENODEV, 19, "ENODEV"},
    {ENOTDIR, 20, "ENOTDIR"},
    {EISDIR, 21, "EISDIR"},
    {EINVAL, 22, "EINVAL"},
    {ENFILE, 23, "ENFILE"},
    {EMFILE, 24, "EMFILE"},
    {ENOTTY, 25, "ENOTTY"},
    {ETXTBSY, 26, "ETXTBSY"},
    {EFBIG, 27, "EFBIG"},
    {ENOSPC, 28, "ENOSPC"},
    {ESPIPE, 29, "ESPIPE"},
    {EROFS, 30, "EROFS"},
    {EMLINK, 31, "EMLINK"},
    {EPIPE, 32, "EPIPE"},
    {EDOM, 33, "EDOM"},
    {ERANGE, 34, "ERANGE"},
    {ENOMSG, 35, "ENOMSG"},
    {EIDRM, 36, "EIDRM"},
    {ECHRNG, 37, "ECHRNG"},
    {EL2NSYNC, 38, "EL2NSYNC"},
    {EL3HLT, 39, "EL3HLT"},
    {EL3RST, 40, "EL3RST"},
    {ELNRNG, 41, "ELNRNG"},
    {EUNATCH, 42, "EUNATCH"},
    {ENOCSI, 43, "ENOCSI"},
    {EL2HLT, 44, "EL2HLT"},
    {EDEADLK, 45, "EDEADLK"},
    {ENOLCK, 46, "ENOLCK"},
    {EBADE, 50, "EBADE"},
    {EBADR, 51, "EBADR"},
    {EXFULL, 52, "EXFULL"},
    {ENOANO, 53, "ENOANO"},
    {EBADRQC, 54, "EBADRQC"},
    {EBADSLT, 55, "EBADSLT"},
    {EBFONT, 59, "EBFONT"},
    {ENOSTR, 60, "ENOSTR"},
    {ENODATA, 61, "ENODATA"},
    {ETIME, 62, "ETIME"},
    {ENOSR, 63, "ENOSR"},
    {ENONET, 64, "ENONET"},
    {ENOPKG, 65, "ENOPKG"},
    {EREMOTE, 66, "EREMOTE"},
    {ENOLINK, 67, "ENOLINK"},
    {EADV, 68, "EADV"},
    {ESRMNT, 69, "ESRMNT"},
    {ECOMM, 70, "ECOMM"},
    {EPROTO, 71, "EPROTO"},
    {EDOTDOT, 73, "EDOTDOT"},
    {EMULTIHOP, 74, "EMULTIHOP"},
    {EBADMSG, 77, "EBADMSG"},
    {ENAMETOOLONG, 78, "ENAMETOOLONG"},
    {EOVERFLOW, 79, "EOVERFLOW"},
    {ENOTUNIQ, 80, "ENOTUNIQ"},
    {EBADFD, 81, "EBADFD"},
    {EREMCHG, 82, "EREMCHG"},
    {ELIBACC, 83, "ELIBACC"},
    {ELIBBAD, 84, "ELIBBAD"},
    {ELIBSCN, 85, "ELIBSCN"},
    {ELIBMAX, 86, "ELIBMAX"},
    {ELIBEXEC, 87, "ELIBEXEC"},
    {EILSEQ, 88, "EILSEQ"},
    {ENOSYS, 89, "ENOSYS"},
    {ELOOP, 90, "ELOOP"},
    {ERESTART, 91, "ERESTART"},
    {ESTRPIPE, 92, "ESTRPIPE"},
    {ENOTEMPTY, 93, "ENOTEMPTY"},
    {EUSERS, 94, "EUSERS"},
    {ENOTSOCK, 95, "ENOTSOCK"},
    {EDESTADDRREQ, 96, "EDESTADDRREQ"},
    {EMSGSIZE, 97, "EMSGSIZE"},
    {EPROTOTYPE, 98, "EPROTOTYPE"},
    {ENOPROTOOPT, 99, "ENOPROTOOPT"},
    {EPROTONOSUPPORT, 120, "EPROTONOSUPPORT"},
    {ESOCKTNOSUPPORT, 121, "ESOCKTNOSUPPORT"},
    {EOPNOTSUPP, 122, "EOPNOTSUPP"},
    {EPFNOSUPPORT, 123, "EPFNOSUPPORT"},
    {EAFNOSUPPORT, 124, "EAFNOSUPPORT"},
    {EADDRINUSE, 125, "EADDRINUSE"},
    {EADDRNOTAVAIL, 126, "EADDRNOTAVAIL"},
    {ENETDOWN, 127, "ENETDOWN"},
    {ENETUNREACH, 128, "ENETUNREACH"},
    {ENETRESET, 129, "ENETRESET"},
    {ECONNABORTED, 130, "ECONNABORTED"},
    {ECONNRESET, 131, "ECONNRESET"},
    {ENOBUFS, 132, "ENOBUFS"},
    {EISCONN, 133, "EISCONN"},
    {ENOTCONN, 134, "ENOTCONN"},
    {EUCLEAN, 135, "EUCLEAN"},
    {ENOTNAM, 137, "ENOTNAM"},
    {ENAVAIL, 138, "ENAVAIL"},
    {EISNAM, 139, "EISNAM"},
    {EREMOTEIO, 140, "EREMOTEIO"},
    {ESHUTDOWN, 143, "ESHUTDOWN"},
    {ETOOMANYREFS, 144, "ETOOMANYREFS"},
    {ETIMEDOUT, 145, "ETIMEDOUT"},
    {ECONNREFUSED, 146, "ECONNREFUSED"},
    {EHOSTDOWN, 147, "EHOSTDOWN"},
    {EHOSTUNREACH, 148, "EHOSTUNREACH"},
    {EALREADY, 149, "EALREADY"},
    {EINPROGRESS, 150, "EINPROGRESS"},
    {ESTALE, 151, "ESTALE"},
    {ECANCELED, 158, "ECANCELED"},
    {ENOMEDIUM, 159, "ENOMEDIUM"},
    {EMEDIUMTYPE, 160, "EMEDIUMTYPE"},
    {ENOKEY, 161, "ENOKEY"},
    {EKEYEXPIRED, 162, "EKEYEXPIRED"},
    {EKEYREVOKED, 163, "EKEYREVOKED"},
    {EKEYREJECTED, 164, "EKEYREJECTED"},
    {EOWNERDEAD, 165, "EOWNERDEAD"},
    {ENOTRECOVERABLE, 166, "ENOTRECOVERABLE"},
    {ERFKILL, 167, "ERFKILL"},
    {EHWPOISON, 168, "EHWPOISON"},
    {EDQUOT, 1133, "EDQUOT"},
};

} // namespace

int guest_errno(int host)
{
    for (const ErrnoPair& pair : errno_pairs)
        if (pair.host == host)
            return pair.guest;
    return 22; // EINVAL
}

int host_errno(int guest)
{
    for (const ErrnoPair& pair : errno_pairs)
        if (pair.guest == guest)
            return pair.host;
    return 0;
}

std::string_view errno_name(int host)
{
    for (const ErrnoPair& pair : errno_pairs)
        if (pair.host == host)
            return pair.name;
    return "E?";
}

} // namespace isomorph::process::o32
