/*
 * uattach: attach a remote USB/IP device to the guest's vhci-hcd without the usbip userspace
 * package (which needs libudev and whose Debian package the mirror does not always serve).
 *
 *   uattach attach HOST TCPPORT BUSID   OP_REQ_IMPORT over TCP, then hand the socket to the kernel:
 *                                        "<port> <sockfd> <devid> <speed>" > vhci_hcd.0/attach;
 *                                        prints "port N speed S devid 0xD"
 *   uattach detach [PORT]               writes PORT (default: every port in use) to vhci_hcd.0/detach
 *
 * Protocol facts (USB/IP, linux Documentation/usb/usbip_protocol.rst): every request starts with
 * version 0x0111 and a 16-bit command code, big endian; OP_REP_IMPORT carries the 312-byte
 * usbip_usb_device record (path[256], busid[32], busnum, devnum, speed as 32-bit words, ...).
 * The vhci status file lists one port a line: "hs  0000 004 ..." where state 004 is free.
 * Exit status: 0 done, 1 failure (one line on stderr says why), 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define VHCI "/sys/devices/platform/vhci_hcd.0"
#define OP_REQ_IMPORT 0x8003
#define OP_REP_IMPORT 0x0003
#define USBIP_VERSION 0x0111
#define DEVICE_RECORD 312
#define SPEED_SUPER 5

static int fail(const char *what) {
    fprintf(stderr, "uattach: %s: %s\n", what, errno ? strerror(errno) : "failed");
    return 1;
}

static int write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w; n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { if (r == 0) errno = ECONNRESET; return -1; }
        p += r; n -= (size_t)r;
    }
    return 0;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int sysfs_write(const char *file, const char *text) {
    FILE *f = fopen(file, "w");
    if (!f) return -1;
    int ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    return ok ? 0 : -1;
}

/* Calls fn(port, state, hs) for every port line of the vhci status file. */
static int each_port(int (*fn)(unsigned port, unsigned state, int hs, void *ctx), void *ctx) {
    FILE *f = fopen(VHCI "/status", "r");
    if (!f) return -1;
    char line[256], hub[8];
    unsigned port, state;
    int r = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%7s %u %u", hub, &port, &state) != 3) continue;
        if (strcmp(hub, "hs") && strcmp(hub, "ss")) continue;
        if ((r = fn(port, state, !strcmp(hub, "hs"), ctx)) != 0) break;
    }
    fclose(f);
    return r;
}

struct want { int hs; int port; };
static int free_port(unsigned port, unsigned state, int hs, void *ctx) {
    struct want *w = ctx;
    if (state == 4 && hs == w->hs) { w->port = (int)port; return 1; }
    return 0;
}

/* HOST is a dotted IPv4 address (the guest reaches the host as 10.0.2.2): no resolver, so the
 * static binary needs no glibc NSS libraries at run time. */
static int connect_to(const char *host, const char *port) {
    struct sockaddr_in sa = {0};
    char *end;
    long p = strtol(port, &end, 10);
    sa.sin_family = AF_INET;
    if (*end || p <= 0 || p > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "uattach: bad address %s:%s (an IPv4 address and a port)\n", host, port);
        return -1;
    }
    sa.sin_port = htons((uint16_t)p);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) { fail("socket"); return -1; }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) { fail("connect"); close(fd); return -1; }
    return fd;
}

static int attach(const char *host, const char *tcpport, const char *busid) {
    if (strlen(busid) >= 32) { fprintf(stderr, "uattach: bus id too long\n"); return 2; }
    int fd = connect_to(host, tcpport);
    if (fd < 0) return 1;
    unsigned char req[40] = {0};
    req[0] = USBIP_VERSION >> 8; req[1] = USBIP_VERSION & 0xff;
    req[2] = OP_REQ_IMPORT >> 8; req[3] = OP_REQ_IMPORT & 0xff;
    memcpy(req + 8, busid, strlen(busid));
    if (write_all(fd, req, sizeof req)) return fail("send OP_REQ_IMPORT");
    unsigned char hdr[8];
    if (read_all(fd, hdr, sizeof hdr)) return fail("read OP_REP_IMPORT");
    unsigned code = (unsigned)hdr[2] << 8 | hdr[3];
    uint32_t status = be32(hdr + 4);
    if (code != OP_REP_IMPORT) { fprintf(stderr, "uattach: reply code 0x%04x, not OP_REP_IMPORT\n", code); return 1; }
    if (status) { fprintf(stderr, "uattach: import of %s refused, status %u\n", busid, status); return 1; }
    unsigned char dev[DEVICE_RECORD];
    if (read_all(fd, dev, sizeof dev)) return fail("read device record");
    uint32_t busnum = be32(dev + 288), devnum = be32(dev + 292), speed = be32(dev + 296);
    uint32_t devid = busnum << 16 | devnum;
    struct want w = { speed != SPEED_SUPER, -1 };
    errno = 0;
    if (each_port(free_port, &w) < 0) return fail("read " VHCI "/status");
    if (w.port < 0) { fprintf(stderr, "uattach: no free vhci port\n"); return 1; }
    char text[64];
    snprintf(text, sizeof text, "%d %d %u %u", w.port, fd, devid, speed);
    if (sysfs_write(VHCI "/attach", text)) return fail("write " VHCI "/attach");
    /* The kernel holds its own reference to the socket now. */
    close(fd);
    printf("port %d speed %u devid 0x%08x\n", w.port, speed, devid);
    return 0;
}

static int detach_used(unsigned port, unsigned state, int hs, void *ctx) {
    (void)hs; (void)ctx;
    if (state == 4) return 0;
    char text[16];
    snprintf(text, sizeof text, "%u", port);
    if (sysfs_write(VHCI "/detach", text)) fprintf(stderr, "uattach: detach port %u: %s\n", port, strerror(errno));
    else printf("detached port %u\n", port);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && !strcmp(argv[1], "attach")) return attach(argv[2], argv[3], argv[4]);
    if (argc == 3 && !strcmp(argv[1], "detach")) {
        char *end;
        long p = strtol(argv[2], &end, 10);
        if (*end || p < 0) { fprintf(stderr, "uattach: bad port %s\n", argv[2]); return 2; }
        if (sysfs_write(VHCI "/detach", argv[2])) return fail("write " VHCI "/detach");
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "detach")) {
        errno = 0;
        return each_port(detach_used, NULL) < 0 ? fail("read " VHCI "/status") : 0;
    }
    fprintf(stderr, "usage: uattach attach HOST TCPPORT BUSID | uattach detach [PORT]\n");
    return 2;
}
