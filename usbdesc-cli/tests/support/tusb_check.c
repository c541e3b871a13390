/* Calls the TinyUSB descriptor callbacks of a generated file and compares what they return with
   the compiler's bytes. Reads lines on stdin:
     <callback> <arg> <langid> <hex bytes | NULL>
   callback: device, configuration, string, hid, bos, qualifier, other_speed. The length compared
   is the one the returned descriptor states (bLength, wTotalLength, the string header), except
   for HID report descriptors (the expected length: TinyUSB takes it from the HID descriptor).
   Weak references let one program check files that define only some callbacks ("absent" when
   a callback is not defined). Prints one line per mismatch and "checked N" at the end; exit 1
   on any mismatch. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tusb_callbacks.h"

#pragma weak tud_hid_descriptor_report_cb
#pragma weak tud_descriptor_bos_cb
#pragma weak tud_descriptor_device_qualifier_cb
#pragma weak tud_descriptor_other_speed_configuration_cb

static unsigned parse_hex(const char *s, uint8_t *out, unsigned max) {
    unsigned n = 0, v;
    int used;
    while (n < max && sscanf(s, "%2x%n", &v, &used) == 1) {
        out[n++] = (uint8_t)v;
        s += used;
    }
    return n;
}

int main(void) {
    char line[8192], name[32], hex[8000];
    unsigned arg, langid, checked = 0, bad = 0;
    static uint8_t want[4096];
    while (fgets(line, sizeof line, stdin)) {
        const uint8_t *got = 0;
        unsigned want_len, got_len = 0;
        int absent = 0;
        if (sscanf(line, "%31s %u %x %7999s", name, &arg, &langid, hex) != 4) continue;
        want_len = strcmp(hex, "NULL") == 0 ? 0 : parse_hex(hex, want, sizeof want);
        if (strcmp(name, "device") == 0) {
            got = tud_descriptor_device_cb();
            if (got) got_len = got[0];
        } else if (strcmp(name, "configuration") == 0 || strcmp(name, "other_speed") == 0) {
            if (name[0] == 'c') got = tud_descriptor_configuration_cb((uint8_t)arg);
            else if (tud_descriptor_other_speed_configuration_cb) got = tud_descriptor_other_speed_configuration_cb((uint8_t)arg);
            else absent = 1;
            if (got) got_len = (unsigned)got[2] | ((unsigned)got[3] << 8);
        } else if (strcmp(name, "bos") == 0) {
            if (tud_descriptor_bos_cb) got = tud_descriptor_bos_cb(); else absent = 1;
            if (got) got_len = (unsigned)got[2] | ((unsigned)got[3] << 8);
        } else if (strcmp(name, "qualifier") == 0) {
            if (tud_descriptor_device_qualifier_cb) got = tud_descriptor_device_qualifier_cb(); else absent = 1;
            if (got) got_len = got[0];
        } else if (strcmp(name, "string") == 0) {
            const uint16_t *s = tud_descriptor_string_cb((uint8_t)arg, (uint16_t)langid);
            if (s && ((uintptr_t)s & 1u) != 0) {
                printf("string %u %04x: not 2-byte aligned\n", arg, langid);
                bad++;
            }
            if (s && (s[0] >> 8) != 0x03) {
                printf("string %u %04x: header word 0x%04x is not a string descriptor\n", arg, langid, s[0]);
                bad++;
            }
            got = (const uint8_t *)s;
            if (s) got_len = s[0] & 0xffu;
        } else if (strcmp(name, "hid") == 0) {
            if (tud_hid_descriptor_report_cb) got = tud_hid_descriptor_report_cb((uint8_t)arg); else absent = 1;
            if (got) got_len = want_len;
        } else {
            printf("unknown callback %s\n", name);
            bad++;
            continue;
        }
        checked++;
        if (absent) {
            printf("%s %u %04x: callback not defined\n", name, arg, langid);
            bad++;
        } else if (!got != (want_len == 0)) {
            printf("%s %u %04x: got %s, want %s\n", name, arg, langid, got ? "bytes" : "NULL", want_len ? "bytes" : "NULL");
            bad++;
        } else if (got && (got_len != want_len || memcmp(got, want, want_len) != 0)) {
            printf("%s %u %04x: %u bytes differ from the expected %u\n", name, arg, langid, got_len, want_len);
            bad++;
        }
    }
    printf("checked %u\n", checked);
    return bad ? 1 : 0;
}
