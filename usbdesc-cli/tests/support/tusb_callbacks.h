/* The TinyUSB application callbacks a descriptor file defines, as TinyUSB documents them
   (src/device/usbd.h and src/class/hid/hid_device.h). Written for usbdesc's test from the
   documented signatures; the generated file must define them compatibly. */
#ifndef USBDESC_TEST_TUSB_CALLBACKS_H
#define USBDESC_TEST_TUSB_CALLBACKS_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
uint8_t const *tud_descriptor_device_cb(void);
uint8_t const *tud_descriptor_configuration_cb(uint8_t index);
uint16_t const *tud_descriptor_string_cb(uint8_t index, uint16_t langid);
uint8_t const *tud_hid_descriptor_report_cb(uint8_t instance);
uint8_t const *tud_descriptor_bos_cb(void);
uint8_t const *tud_descriptor_device_qualifier_cb(void);
uint8_t const *tud_descriptor_other_speed_configuration_cb(uint8_t index);
#ifdef __cplusplus
}
#endif
#endif
