# Report IDs and feature reports in a generated module (examples/feature-vendor.toml: input 1 of
# 4 data bytes, features 2 (6) and 3 (40), no built-in driver). The test prepends the module and
# mpy_control.py.
assert HID_0_USES_REPORT_IDS == 1 and HID_0_INPUT_1_ID == 1 and HID_0_INPUT_1_LEN == 5
assert HID_0_FEATURE_2_LEN == 7 and HID_0_FEATURE_3_LEN == 41 and HID_0_MAX_FEATURE_LEN == 41
assert bytes(run(0xA1, 1, 0x0302, 0, 64)) == b"\x02" + bytes(6)
assert run(0xA1, 1, 0x0309, 0, 64) is False
assert run(0xA1, 1, 0x0300, 0, 64) is False
got = []
def feature(itf, report):
    got.append((itf, bytes(report)))
on_feature = feature
data = bytes(range(0x83, 0x83 + 40))
assert run(0x21, 9, 0x0303, 0, 41, b"\x03" + data) is not False
assert got == [(0, b"\x03" + data)], got
assert bytes(run(0xA1, 1, 0x0303, 0, 41)) == b"\x03" + data
# The device publishes a feature value through report_buffer(); GET_REPORT answers it.
b = report_buffer(3, HID_0_FEATURE_2_ID)
assert len(b) == HID_0_FEATURE_2_LEN and b[0] == 2
b[1:] = b"\x10\x20\x30\x40\x50\x60"
assert bytes(run(0xA1, 1, 0x0302, 0, 64)) == b"\x02\x10\x20\x30\x40\x50\x60"
assert report_buffer(3, 9) is None and report_buffer(2, 0) is None and report_buffer(3, 2, itf=1) is None

d = RecordingDevice()
config(d)
assert send(HID_0_INPUT_1_ID, b"\xde\xad\xbe\xef") is True
assert [(ep, bytes(b)) for ep, b in d.submitted] == [(EP_HID_IN, b"\x01\xde\xad\xbe\xef")], d.submitted
assert bytes(run(0xA1, 1, 0x0101, 0, 5)) == b"\x01\xde\xad\xbe\xef"
print("micropython report IDs OK")
