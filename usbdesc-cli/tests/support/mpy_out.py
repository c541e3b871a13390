# Interrupt OUT in a generated module (examples/feather-keyboard.toml: keyboard with an OUT
# endpoint 0x01 for the LED report). The test prepends the module and mpy_control.py.
d = RecordingDevice()
config(d)
leds = []
def on_out(itf, report):
    leds.append((itf, bytes(report)))
on_output = on_out
# SET_CONFIGURATION: open_itf_cb with the interface's descriptors starts the OUT transfer.
open_itf_cb(memoryview(desc_cfg)[9:])
assert len(d.submitted) == 1 and d.submitted[0][0] == EP_KEYBOARD_INTERFACE_OUT
ep, buf = d.submitted[0]
assert len(buf) >= HID_0_OUTPUT_LEN
# The host writes the LED report (Caps Lock): a 1-byte transfer completes.
buf[0] = 0x02
xfer_cb(EP_KEYBOARD_INTERFACE_OUT, True, 1)
assert leds == [(ITF_KEYBOARD_INTERFACE, b"\x02")], leds
assert len(d.submitted) == 2 and d.submitted[1][0] == EP_KEYBOARD_INTERFACE_OUT
# A failed transfer reaches no hook and is resubmitted.
xfer_cb(EP_KEYBOARD_INTERFACE_OUT, False, 0)
assert len(leds) == 1 and len(d.submitted) == 3
# IN completes free the interface for the next send().
assert send(0, bytes(8)) is True and send(0, bytes(8)) is False
xfer_cb(EP_KEYBOARD_INTERFACE_IN, True, 8)
assert send(0, bytes(8)) is True
print("micropython interrupt OUT OK")
