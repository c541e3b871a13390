/*
 * uhidq: asks the guest kernel's HID core for its verdict on many report descriptors, one after
 * another, through /dev/uhid (UHID_CREATE2, bus USB, so hid-generic is the driver that binds).
 *
 *   uhidq BUNDLE    BUNDLE: records of (u32 id, u32 length, length bytes), little endian
 *
 * For each record, on the console:
 *   HV <id> accepted|rejected|timeout|refused <ms> [errno]
 *   HVL <id> <kernel log line written while the device was being added>
 *   HVR <id> <line of /sys/kernel/debug/hid/<dev>/rdesc that describes a report or field>
 * accepted: hid-generic bound and a hidraw node exists; rejected: the kernel logged a probe or
 * registration failure; refused: the write of UHID_CREATE2 itself failed (uhid's own limits:
 * empty or longer than 4096 bytes). The guest judges nothing else; the host compares.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uhid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#define VENDOR 0x1209
#define TIMEOUT_MS 5000

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Prints every new kernel log line as HVL; returns 1 when one says the device failed. */
static int drain_kmsg(int kmsg, uint32_t id) {
    char buf[8192];
    int failed = 0;
    for (;;) {
        ssize_t n = read(kmsg, buf, sizeof buf - 1);
        if (n < 0 && errno == EPIPE) continue; /* overwritten records: skip ahead */
        if (n <= 0) break;
        buf[n] = 0;
        char *msg = strchr(buf, ';');
        msg = msg ? msg + 1 : buf;
        char *nl = strchr(msg, '\n');
        if (nl) *nl = 0;
        printf("HVL %u %s\n", id, msg);
        if (strstr(msg, "failed with error") || strstr(msg, "Cannot register"))
            failed = 1;
    }
    return failed;
}

/* Answers the requests the kernel sends while binding (hid-input sets Resolution Multipliers with
 * SET_REPORT, some drivers read feature reports): uhid waits up to 5 s for each answer. SET_REPORT
 * succeeds, GET_REPORT fails with EIO, as a device without that report would. */
static void answer_requests(int fd) {
    static struct uhid_event ev, reply;
    while (read(fd, &ev, sizeof ev) > 0) {
        memset(&reply, 0, sizeof reply);
        if (ev.type == UHID_GET_REPORT) {
            reply.type = UHID_GET_REPORT_REPLY;
            reply.u.get_report_reply.id = ev.u.get_report.id;
            reply.u.get_report_reply.err = EIO;
        } else if (ev.type == UHID_SET_REPORT) {
            reply.type = UHID_SET_REPORT_REPLY;
            reply.u.set_report_reply.id = ev.u.set_report.id;
            reply.u.set_report_reply.err = 0;
        } else {
            continue;
        }
        if (write(fd, &reply, sizeof reply) < 0) break;
    }
}

/* The sysfs name of our device ("0003:1209:PPPP.NNNN"), if it exists. */
static int find_dev(uint16_t product, char *name, size_t len) {
    char prefix[32];
    snprintf(prefix, sizeof prefix, "0003:%04X:%04X.", VENDOR, product);
    DIR *d = opendir("/sys/bus/hid/devices");
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d))) {
        if (!strncmp(e->d_name, prefix, strlen(prefix))) {
            snprintf(name, len, "%s", e->d_name);
            found = 1;
            break;
        }
    }
    closedir(d);
    return found;
}

static int has_hidraw(const char *dev) {
    char path[256];
    snprintf(path, sizeof path, "/sys/bus/hid/devices/%s/hidraw", dev);
    DIR *d = opendir(path);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, "hidraw", 6)) found = 1;
    closedir(d);
    return found;
}

/* The kernel's parse, only the lines the host compares (report headers and field facts). */
static void print_rdesc(uint32_t id, const char *dev) {
    char path[256], line[512];
    snprintf(path, sizeof path, "/sys/kernel/debug/hid/%s/rdesc", dev);
    FILE *f = fopen(path, "r");
    if (!f) { printf("HVR %u (no rdesc)\n", id); return; }
    while (fgets(line, sizeof line, f)) {
        char *s = line;
        while (*s == ' ') s++;
        if (!strncmp(s, "INPUT", 5) || !strncmp(s, "OUTPUT", 6) || !strncmp(s, "FEATURE", 7) ||
            !strncmp(s, "Field(", 6) || !strncmp(s, "Logical M", 9) || !strncmp(s, "Report Size", 11) ||
            !strncmp(s, "Report Count", 12) || !strncmp(s, "Report Offset", 13)) {
            s[strcspn(s, "\n")] = 0;
            printf("HVR %u %s\n", id, s);
        }
    }
    fclose(f);
}

static void judge(int kmsg, uint32_t id, const uint8_t *data, uint32_t len) {
    uint16_t product = (uint16_t)(id & 0xffff);
    double t0 = now_ms();
    lseek(kmsg, 0, SEEK_END);
    int fd = open("/dev/uhid", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) { printf("HV %u refused 0 open:%d\n", id, errno); return; }
    static struct uhid_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = UHID_CREATE2;
    snprintf((char *)ev.u.create2.name, sizeof ev.u.create2.name, "usbdesc verdict %u", id);
    ev.u.create2.bus = 0x03; /* BUS_USB */
    ev.u.create2.vendor = VENDOR;
    ev.u.create2.product = product;
    ev.u.create2.rd_size = (uint16_t)(len > sizeof ev.u.create2.rd_data ? 0 : len);
    if (len <= sizeof ev.u.create2.rd_data) memcpy(ev.u.create2.rd_data, data, len);
    if (len == 0 || len > sizeof ev.u.create2.rd_data || write(fd, &ev, sizeof ev) < 0) {
        printf("HV %u refused 0 %d\n", id, len > sizeof ev.u.create2.rd_data ? E2BIG : errno);
        close(fd);
        return;
    }
    const char *verdict = "timeout";
    char dev[256] = "";
    while (now_ms() - t0 < TIMEOUT_MS) {
        answer_requests(fd);
        if (drain_kmsg(kmsg, id)) { verdict = "rejected"; break; }
        if ((dev[0] || find_dev(product, dev, sizeof dev)) && has_hidraw(dev)) { verdict = "accepted"; break; }
        /* Yield, not sleep: the probe runs in a kernel worker on this one CPU, and a sleep would
         * idle the guest for a whole timer tick per poll. */
        sched_yield();
    }
    drain_kmsg(kmsg, id);
    printf("HV %u %s %.0f\n", id, verdict, now_ms() - t0);
    if (!strcmp(verdict, "accepted")) print_rdesc(id, dev);
    memset(&ev, 0, sizeof ev);
    ev.type = UHID_DESTROY;
    if (write(fd, &ev, sizeof ev) < 0) printf("HVL %u (destroy failed: %d)\n", id, errno);
    close(fd);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: uhidq BUNDLE\n"); return 2; }
    FILE *b = fopen(argv[1], "rb");
    if (!b) { perror(argv[1]); return 1; }
    int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    if (kmsg < 0) { perror("/dev/kmsg"); return 1; }
    uint8_t hdr[8];
    static uint8_t data[1 << 20];
    unsigned count = 0;
    while (fread(hdr, 1, 8, b) == 8) {
        uint32_t id = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
        uint32_t len = hdr[4] | hdr[5] << 8 | hdr[6] << 16 | (uint32_t)hdr[7] << 24;
        if (len > sizeof data || fread(data, 1, len, b) != len) { fprintf(stderr, "uhidq: bad record %u\n", id); return 1; }
        judge(kmsg, id, data, len);
        count++;
    }
    printf("HVDONE %u\n", count);
    return 0;
}
