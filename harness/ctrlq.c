/* ctrlq: one control transfer on endpoint 0 through usbfs, for the usbdesc real-kernel harness.
 *   ctrlq DEV BMREQUESTTYPE BREQUEST WVALUE WINDEX WLENGTH
 *     DEV: /dev/bus/usb/BBB/DDD; the numbers in hex (0x optional). IN transfers only
 *     (bmRequestType bit 7 set): the data stage is read into a WLENGTH buffer.
 *   -> rc=<bytes|-1> errno=<n> ms=<elapsed> data=<hex>   (one line, parsed by harness/driver.py)
 * USBDEVFS_CONTROL needs no claimed interface for a device-recipient request; a STALL shows as
 * rc=-1 errno=32 (EPIPE), a device that never answers as errno=110 after the 2 s timeout. */
#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int num(const char *s, unsigned long max, unsigned long *out) {
  char *end;
  errno = 0;
  *out = strtoul(s, &end, 16);
  return errno == 0 && end != s && *end == 0 && *out <= max;
}

int main(int argc, char **argv) {
  unsigned long v[5];
  static const unsigned long max[5] = {0xff, 0xff, 0xffff, 0xffff, 4096};
  if (argc != 7) {
    fprintf(stderr, "usage: ctrlq DEV BMREQUESTTYPE BREQUEST WVALUE WINDEX WLENGTH (hex)\n");
    return 64;
  }
  for (int i = 0; i < 5; i++) {
    if (!num(argv[i + 2], max[i], &v[i])) {
      fprintf(stderr, "ctrlq: bad number %s\n", argv[i + 2]);
      return 64;
    }
  }
  if (!(v[0] & 0x80)) {
    fprintf(stderr, "ctrlq: only IN requests (bmRequestType bit 7)\n");
    return 64;
  }
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) {
    printf("rc=-1 errno=%d ms=0 data= open\n", errno);
    return 1;
  }
  static unsigned char buf[4096];
  struct usbdevfs_ctrltransfer c = {
      .bRequestType = (unsigned char)v[0],
      .bRequest = (unsigned char)v[1],
      .wValue = (unsigned short)v[2],
      .wIndex = (unsigned short)v[3],
      .wLength = (unsigned short)v[4],
      .timeout = 2000,
      .data = buf,
  };
  double t0 = now_ms();
  int rc = ioctl(fd, USBDEVFS_CONTROL, &c);
  int err = errno;
  printf("rc=%d errno=%d ms=%.1f data=", rc, rc < 0 ? err : 0, now_ms() - t0);
  for (int i = 0; i < rc; i++) printf("%02x", buf[i]);
  printf("\n");
  close(fd);
  return 0;
}
