#pragma once

// Every implemented system call, grouped by the file that implements it.

#include "process/syscalls/syscalls.h"

namespace isomorph::process::syscalls {

#define DECLARE(name) SyscallResult name(Process&, const SyscallArguments&)

// file.cpp
DECLARE(sys_read);
DECLARE(sys_write);
DECLARE(sys_readv);
DECLARE(sys_writev);
DECLARE(sys_pread64);
DECLARE(sys_pwrite64);
DECLARE(sys_preadv);
DECLARE(sys_pwritev);
DECLARE(sys_open);
DECLARE(sys_openat);
DECLARE(sys_creat);
DECLARE(sys_close);
DECLARE(sys_close_range);
DECLARE(sys_lseek);
DECLARE(sys_llseek);
DECLARE(sys_dup);
DECLARE(sys_dup2);
DECLARE(sys_dup3);
DECLARE(sys_pipe);
DECLARE(sys_pipe2);
DECLARE(sys_fcntl);
DECLARE(sys_fcntl64);
DECLARE(sys_flock);
DECLARE(sys_fsync);
DECLARE(sys_fdatasync);
DECLARE(sys_syncfs);
DECLARE(sys_sync);
DECLARE(sys_sendfile);
DECLARE(sys_sendfile64);
DECLARE(sys_fadvise64);
DECLARE(sys_fallocate);
DECLARE(sys_memfd_create);
DECLARE(sys_truncate);
DECLARE(sys_ftruncate);
DECLARE(sys_truncate64);
DECLARE(sys_ftruncate64);

// stat.cpp
DECLARE(sys_stat);
DECLARE(sys_lstat);
DECLARE(sys_fstat);
DECLARE(sys_stat64);
DECLARE(sys_lstat64);
DECLARE(sys_fstat64);
DECLARE(sys_fstatat64);
DECLARE(sys_statx);
DECLARE(sys_statfs);
DECLARE(sys_fstatfs);
DECLARE(sys_statfs64);
DECLARE(sys_fstatfs64);

// directory.cpp
DECLARE(sys_getdents64);
DECLARE(sys_getcwd);
DECLARE(sys_chdir);
DECLARE(sys_fchdir);
DECLARE(sys_mkdir);
DECLARE(sys_mkdirat);
DECLARE(sys_rmdir);
DECLARE(sys_unlink);
DECLARE(sys_unlinkat);
DECLARE(sys_rename);
DECLARE(sys_renameat);
DECLARE(sys_renameat2);
DECLARE(sys_link);
DECLARE(sys_linkat);
DECLARE(sys_symlink);
DECLARE(sys_symlinkat);
DECLARE(sys_readlink);
DECLARE(sys_readlinkat);
DECLARE(sys_mknod);
DECLARE(sys_mknodat);
DECLARE(sys_access);
DECLARE(sys_faccessat);
DECLARE(sys_faccessat2);
DECLARE(sys_chmod);
DECLARE(sys_fchmod);
DECLARE(sys_fchmodat);
DECLARE(sys_fchmodat2);
DECLARE(sys_chown);
DECLARE(sys_lchown);
DECLARE(sys_fchown);
DECLARE(sys_fchownat);
DECLARE(sys_umask);
DECLARE(sys_utime);
DECLARE(sys_utimes);
DECLARE(sys_futimesat);
DECLARE(sys_utimensat);
DECLARE(sys_utimensat_time64);

// memory.cpp
DECLARE(sys_brk);
DECLARE(sys_mmap);
DECLARE(sys_mmap2);
DECLARE(sys_munmap);
DECLARE(sys_mprotect);
DECLARE(sys_mremap);
DECLARE(sys_madvise);
DECLARE(sys_msync);
DECLARE(sys_mlock);
DECLARE(sys_munlock);
DECLARE(sys_mlockall);
DECLARE(sys_munlockall);
DECLARE(sys_mlock2);
DECLARE(sys_cacheflush);
DECLARE(sys_cachectl);

// time.cpp
DECLARE(sys_time);
DECLARE(sys_gettimeofday);
DECLARE(sys_clock_gettime);
DECLARE(sys_clock_gettime64);
DECLARE(sys_clock_getres);
DECLARE(sys_clock_getres_time64);
DECLARE(sys_nanosleep);
DECLARE(sys_clock_nanosleep);
DECLARE(sys_clock_nanosleep_time64);
DECLARE(sys_times);
DECLARE(sys_getrusage);
DECLARE(sys_timer_create);
DECLARE(sys_timer_settime);
DECLARE(sys_timer_settime64);
DECLARE(sys_timer_gettime);
DECLARE(sys_timer_gettime64);
DECLARE(sys_timer_getoverrun);
DECLARE(sys_timer_delete);

// identity.cpp
DECLARE(sys_getpid);
DECLARE(sys_getppid);
DECLARE(sys_gettid);
DECLARE(sys_getuid);
DECLARE(sys_geteuid);
DECLARE(sys_getgid);
DECLARE(sys_getegid);
DECLARE(sys_getgroups);
DECLARE(sys_setgroups);
DECLARE(sys_setuid);
DECLARE(sys_setgid);
DECLARE(sys_setreuid);
DECLARE(sys_setregid);
DECLARE(sys_setresuid);
DECLARE(sys_setresgid);
DECLARE(sys_getresuid);
DECLARE(sys_getresgid);
DECLARE(sys_setfsuid);
DECLARE(sys_setfsgid);
DECLARE(sys_getpgrp);
DECLARE(sys_getpgid);
DECLARE(sys_setpgid);
DECLARE(sys_getsid);
DECLARE(sys_setsid);

// system_information.cpp
DECLARE(sys_uname);
DECLARE(sys_sysinfo);
DECLARE(sys_getrlimit);
DECLARE(sys_setrlimit);
DECLARE(sys_prlimit64);
DECLARE(sys_getrandom);
DECLARE(sys_sched_getaffinity);
DECLARE(sys_sched_yield);
DECLARE(sys_sched_getparam);
DECLARE(sys_sched_getscheduler);
DECLARE(sys_sched_get_priority_max);
DECLARE(sys_sched_get_priority_min);
DECLARE(sys_getcpu);
DECLARE(sys_getpriority);
DECLARE(sys_setpriority);
DECLARE(sys_nice);
DECLARE(sys_personality);

// signal.cpp
DECLARE(sys_rt_sigaction);
DECLARE(sys_rt_sigprocmask);
DECLARE(sys_rt_sigpending);
DECLARE(sys_sigaltstack);
DECLARE(sys_kill);
DECLARE(sys_tkill);
DECLARE(sys_tgkill);
DECLARE(sys_rt_sigqueueinfo);
DECLARE(sys_rt_tgsigqueueinfo);

// signal_delivery.cpp (process/): waiting for signals and the timers that send them
DECLARE(sys_rt_sigsuspend);
DECLARE(sys_sigsuspend);
DECLARE(sys_pause);
DECLARE(sys_alarm);
DECLARE(sys_setitimer);
DECLARE(sys_getitimer);
DECLARE(sys_rt_sigtimedwait);
DECLARE(sys_rt_sigtimedwait_time64);

// thread.cpp
DECLARE(sys_set_thread_area);
DECLARE(sys_set_tid_address);
DECLARE(sys_set_robust_list);
DECLARE(sys_get_robust_list);

// process_control.cpp
DECLARE(sys_syscall);
DECLARE(sys_exit);
DECLARE(sys_exit_group);
DECLARE(sys_wait4);
DECLARE(sys_waitpid);
DECLARE(sys_prctl);

// ioctl.cpp
DECLARE(sys_ioctl);

// poll.cpp
DECLARE(sys_poll);
DECLARE(sys_ppoll);
DECLARE(sys_ppoll_time64);
DECLARE(sys_newselect);
DECLARE(sys_pselect6);
DECLARE(sys_pselect6_time64);

// process_lifecycle.cpp
DECLARE(sys_fork);
DECLARE(sys_clone);
DECLARE(sys_waitid);
DECLARE(sys_execve);

// futex.cpp
DECLARE(sys_futex);
DECLARE(sys_futex_time64);
// socket.cpp
DECLARE(sys_socket);
DECLARE(sys_socketpair);
DECLARE(sys_bind);
DECLARE(sys_connect);
DECLARE(sys_listen);
DECLARE(sys_accept);
DECLARE(sys_accept4);
DECLARE(sys_getsockname);
DECLARE(sys_getpeername);
DECLARE(sys_send);
DECLARE(sys_sendto);
DECLARE(sys_recv);
DECLARE(sys_recvfrom);
DECLARE(sys_shutdown);
DECLARE(sys_getsockopt);
DECLARE(sys_setsockopt);
DECLARE(sys_socketcall);

// socket_messages.cpp
DECLARE(sys_sendmsg);
DECLARE(sys_recvmsg);
DECLARE(sys_sendmmsg);
DECLARE(sys_recvmmsg);
DECLARE(sys_recvmmsg_time64);

// epoll.cpp
DECLARE(sys_epoll_create);
DECLARE(sys_epoll_create1);
DECLARE(sys_epoll_ctl);
DECLARE(sys_epoll_wait);
DECLARE(sys_epoll_pwait);
DECLARE(sys_epoll_pwait2);

// event_descriptors.cpp
DECLARE(sys_eventfd);
DECLARE(sys_eventfd2);
DECLARE(sys_timerfd_create);
DECLARE(sys_timerfd_settime);
DECLARE(sys_timerfd_settime64);
DECLARE(sys_timerfd_gettime);
DECLARE(sys_timerfd_gettime64);
DECLARE(sys_inotify_init);
DECLARE(sys_inotify_init1);
DECLARE(sys_inotify_add_watch);
DECLARE(sys_inotify_rm_watch);

// xattr.cpp
DECLARE(sys_setxattr);
DECLARE(sys_lsetxattr);
DECLARE(sys_fsetxattr);
DECLARE(sys_getxattr);
DECLARE(sys_lgetxattr);
DECLARE(sys_fgetxattr);
DECLARE(sys_listxattr);
DECLARE(sys_llistxattr);
DECLARE(sys_flistxattr);
DECLARE(sys_removexattr);
DECLARE(sys_lremovexattr);
DECLARE(sys_fremovexattr);
#undef DECLARE

} // namespace isomorph::process::syscalls
