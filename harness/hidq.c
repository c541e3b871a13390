/* hidq: one hidraw operation per call, for the usbdesc real-kernel harness.
 * Output is one line of key=value pairs the host parses:
 *   hidq read  DEV MAXLEN TIMEOUT_MS -> rc=<bytes|-1> errno=<n> ms=<elapsed> data=<hex>
 *   hidq write DEV HEX               -> rc=... errno=... ms=...   (HEX: report ID byte first, 00 if none)
 *   hidq getf  DEV ID LEN            -> HIDIOCGFEATURE; data = report ID + report
 *   hidq setf  DEV HEX               -> HIDIOCSFEATURE
 *   hidq info  DEV                   -> bus, vendor, product (HIDIOCGRAWINFO) */
#include <errno.h>
#include <fcntl.h>
#include <linux/hidraw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int unhex(const char *s, unsigned char *out, int max) {
  int n = 0;
  while (s[0] && s[1] && n < max) {
    unsigned v;
    if (sscanf(s, "%2x", &v) != 1) return -1;
    out[n++] = (unsigned char)v;
    s += 2;
  }
  return n;
}

static void report(int rc, int err, double t0, const unsigned char *data, int len) {
  printf("rc=%d errno=%d ms=%.1f data=", rc, rc < 0 ? err : 0, now_ms() - t0);
  for (int i = 0; i < len; i++) printf("%02x", data[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: hidq read|write|getf|setf|info DEV ...\n");
    return 64;
  }
  const char *cmd = argv[1];
  int fd = open(argv[2], O_RDWR | O_NONBLOCK);
  if (fd < 0) {
    printf("rc=-1 errno=%d ms=0 data=\n", errno);
    return 1;
  }
  unsigned char buf[4096];
  double t0 = now_ms();
  int rc;
  if (!strcmp(cmd, "read") && argc == 5) {
    int max = atoi(argv[3]);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    rc = poll(&p, 1, atoi(argv[4]));
    if (rc == 0) {
      report(-1, ETIMEDOUT, t0, buf, 0);
      return 1;
    }
    rc = read(fd, buf, max > (int)sizeof buf ? (int)sizeof buf : max);
    report(rc, errno, t0, buf, rc > 0 ? rc : 0);
  } else if (!strcmp(cmd, "write") && argc == 4) {
    int n = unhex(argv[3], buf, sizeof buf);
    rc = write(fd, buf, n);
    report(rc, errno, t0, buf, 0);
  } else if (!strcmp(cmd, "getf") && argc == 5) {
    int len = atoi(argv[4]);
    memset(buf, 0, sizeof buf);
    buf[0] = (unsigned char)atoi(argv[3]);
    rc = ioctl(fd, HIDIOCGFEATURE(len), buf);
    report(rc, errno, t0, buf, rc > 0 ? rc : 0);
  } else if (!strcmp(cmd, "setf") && argc == 4) {
    int n = unhex(argv[3], buf, sizeof buf);
    rc = ioctl(fd, HIDIOCSFEATURE(n), buf);
    report(rc, errno, t0, buf, 0);
  } else if (!strcmp(cmd, "info")) {
    struct hidraw_devinfo di;
    rc = ioctl(fd, HIDIOCGRAWINFO, &di);
    printf("rc=%d bus=%d vendor=%04x product=%04x\n", rc, di.bustype, di.vendor & 0xffff, di.product & 0xffff);
  } else {
    fprintf(stderr, "hidq: bad arguments\n");
    return 64;
  }
  return rc < 0;
}
