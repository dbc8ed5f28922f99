// ioctl requests on sockets: the loopback interface by name and index (if_nametoindex uses
// SIOCGIFINDEX), its flags, address, netmask and MTU, the interface list of SIOCGIFCONF, and the
// socket requests MIPS numbers its own way (SIOCATMARK, FIOSETOWN/FIOGETOWN).
#define _GNU_SOURCE
#include "sys_common.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int fd = CHECK(socket(AF_INET, SOCK_DGRAM, 0));
    unsigned index = if_nametoindex("lo");
    printf("lo index found %d\n", index != 0);
    char name[IF_NAMESIZE] = {0};
    printf("index to name: %s\n", if_indextoname(index, name) ? name : strerrorname_np(errno));
    CHECK(if_nametoindex("no-such-interface"));

    struct ifreq request;
    memset(&request, 0, sizeof request);
    strcpy(request.ifr_name, "lo");
    CHECK(ioctl(fd, SIOCGIFFLAGS, &request));
    printf("  up %d loopback %d\n", (request.ifr_flags & IFF_UP) != 0, (request.ifr_flags & IFF_LOOPBACK) != 0);
    CHECK(ioctl(fd, SIOCGIFADDR, &request));
    struct sockaddr_in* address = (struct sockaddr_in*)&request.ifr_addr;
    printf("  address %s family %d\n", inet_ntoa(address->sin_addr), address->sin_family);
    CHECK(ioctl(fd, SIOCGIFNETMASK, &request));
    printf("  netmask %s\n", inet_ntoa(((struct sockaddr_in*)&request.ifr_netmask)->sin_addr));
    CHECK(ioctl(fd, SIOCGIFMTU, &request));
    printf("  mtu set %d\n", request.ifr_mtu > 0);
    CHECK(ioctl(fd, SIOCGIFINDEX, &request));
    printf("  index matches %d\n", (unsigned)request.ifr_ifindex == index);
    CHECK(ioctl(fd, SIOCGIFNAME, &request));
    printf("  name %s\n", request.ifr_name);
    strcpy(request.ifr_name, "no-such-if");
    CHECK(ioctl(fd, SIOCGIFFLAGS, &request));

    // The interface list: its length first, then the entries; lo is among them.
    struct ifconf list = {.ifc_len = 0, .ifc_buf = NULL};
    CHECK(ioctl(fd, SIOCGIFCONF, &list));
    printf("  length a multiple of the o32 ifreq %d\n", list.ifc_len % 32 == 0 && list.ifc_len > 0);
    struct ifreq entries[16];
    list.ifc_len = sizeof entries;
    list.ifc_req = entries;
    CHECK(ioctl(fd, SIOCGIFCONF, &list));
    int found = 0;
    for (int entry = 0; entry < list.ifc_len / (int)sizeof(struct ifreq); ++entry)
        if (strcmp(entries[entry].ifr_name, "lo") == 0)
            found = strcmp(inet_ntoa(((struct sockaddr_in*)&entries[entry].ifr_addr)->sin_addr), "127.0.0.1") == 0;
    printf("  lo with 127.0.0.1 listed %d\n", found);
    CHECK(ioctl(fd, SIOCGIFFLAGS, (struct ifreq*)16));

    // Socket requests with MIPS numbers.
    int tcp = CHECK(socket(AF_INET, SOCK_STREAM, 0));
    int mark = -1;
    CHECK(ioctl(tcp, SIOCATMARK, &mark));
    printf("  at mark %d\n", mark);
    int owner = getpid();
    CHECK(ioctl(tcp, FIOSETOWN, &owner));
    owner = 0;
    CHECK(ioctl(tcp, FIOGETOWN, &owner));
    printf("  owner is this process %d\n", owner == getpid());
    CHECK(ioctl(tcp, SIOCGPGRP, &owner));
    printf("  group owner is this process %d\n", owner == getpid());
    int available = -1;
    CHECK(ioctl(fd, FIONREAD, &available));
    printf("  bytes available %d\n", available);
    CHECK(close(tcp));
    CHECK(close(fd));
    return 0;
}
