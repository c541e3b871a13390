# Checks a generated usbdesc MicroPython module against the machine.USBDevice.builtin_driver rules.
# Runs under MicroPython (WebAssembly port via node) and CPython. The test appends the module text
# first and sets BUILTIN_PREFIX (the built-in configuration descriptors, without the header).

def walk(cfg):
    i = 9
    out = []
    while i < len(cfg):
        n = cfg[i]
        assert n >= 2, "bad bLength"
        out.append((i, cfg[i:i + n]))
        i += n
    assert i == len(cfg), "descriptors do not end at wTotalLength"
    return out

assert desc_cfg[0] == 9 and desc_cfg[1] == 2
assert desc_cfg[2] | (desc_cfg[3] << 8) == len(desc_cfg), "wTotalLength"
# Rule 1: desc_cfg begins with the built-in descriptors.
assert BUILTIN_CFG_LEN == len(BUILTIN_PREFIX)
assert desc_cfg[9:9 + BUILTIN_CFG_LEN] == BUILTIN_PREFIX, "built-in prefix"
itfs = set()
appended_itfs = set()
for at, d in walk(desc_cfg):
    appended = at >= 9 + BUILTIN_CFG_LEN
    if d[1] == 4:
        itfs.add(d[2])
        if appended:
            appended_itfs.add(d[2])
            # Rule 2: numbering from itf_max and str_max.
            assert d[2] >= ITF_MAX, "interface number below itf_max"
            assert d[8] == 0 or d[8] >= STR_MAX, "iInterface below str_max"
    if d[1] == 5 and appended:
        assert (d[2] & 0x7F) >= EP_MAX, "endpoint number below ep_max"
    if d[1] == 11 and appended:
        assert d[2] >= ITF_MAX and (d[7] == 0 or d[7] >= STR_MAX)
assert len(appended_itfs) > 0
# Rule 3: bNumInterfaces counts built-in and appended interfaces.
assert desc_cfg[4] == len(itfs) == ITF_MAX + len(appended_itfs), "bNumInterfaces"
# Rule 4: desc_strs is None below str_max, and every referenced index has a string.
for i in range(STR_MAX):
    assert desc_strs[i] is None, "desc_strs below str_max"
for i in (desc_dev[14], desc_dev[15], desc_dev[16], desc_cfg[6]):
    assert i == 0 or i >= STR_MAX
    assert i == 0 or isinstance(desc_strs[i], str)

class Driver:
    def __init__(self, itf_max, ep_max, str_max, cfg):
        self.itf_max = itf_max
        self.ep_max = ep_max
        self.str_max = str_max
        self.desc_cfg = cfg

class FakeUSBDevice:
    BUILTIN_NONE = Driver(0, 1, 1, bytes((9, 2, 9, 0, 0, 1, 0, 0x80, 50)))
    BUILTIN_DEFAULT = Driver(ITF_MAX, EP_MAX, STR_MAX, bytes((9, 2, 9 + len(BUILTIN_PREFIX), 0, ITF_MAX, 1, 0, 0x80, 125)) + BUILTIN_PREFIX)
    def __init__(self):
        self.calls = []
        self.builtin_driver = self.BUILTIN_NONE
    def active(self, v=None):
        self.calls.append(("active", v))
    def config(self, dev, cfg, strs, **kw):
        self.calls.append(("config", dev, cfg, strs, kw))

u = FakeUSBDevice()
def cb(*a):
    pass
config(u, xfer_cb=cb)
assert u.builtin_driver is u.BUILTIN_DEFAULT
assert u.calls[0] == ("active", False) and u.calls[-1] == ("active", True)
kind, dev, cfg, strs, kw = u.calls[1]
assert dev is desc_dev and cfg is desc_cfg and strs is desc_strs and kw["xfer_cb"] is cb
assert kw["control_xfer_cb"] is control_xfer_cb and kw["open_itf_cb"] is open_itf_cb and kw["reset_cb"] is reset_cb
# A different built-in driver is refused.
try:
    check_builtin(Driver(ITF_MAX + 1, EP_MAX, STR_MAX, FakeUSBDevice.BUILTIN_DEFAULT.desc_cfg))
    raise AssertionError("numbering mismatch accepted")
except ValueError:
    pass
try:
    check_builtin(Driver(ITF_MAX, EP_MAX, STR_MAX, FakeUSBDevice.BUILTIN_NONE.desc_cfg))
    raise AssertionError("descriptor mismatch accepted")
except ValueError:
    pass

assert ITF_KEYBOARD == 2 and EP_KEYBOARD_IN == 0x83 and STR_ITF_KEYBOARD == 7
assert HID_2_INPUT_LEN == 8 and HID_2_OUTPUT_LEN == 1 and HID_2_USES_REPORT_IDS == 0
# GET_DESCRIPTOR(Report) and GET_DESCRIPTOR(HID) of interface 2.
assert bytes(run(0x81, 6, 0x2200, ITF_KEYBOARD, 255)) == HID_2_REPORT_DESC
hid = bytes(run(0x81, 6, 0x2100, ITF_KEYBOARD, 9))
assert hid[0] == 9 and hid[1] == 0x21 and hid[6] == 0x22 and hid[7] | (hid[8] << 8) == len(HID_2_REPORT_DESC)
assert bytes(hid) in bytes(desc_cfg)
# Anything else STALLs: another descriptor type, the built-in interfaces, a device request,
# a vendor request, an unknown class request, an undeclared report ID or type.
assert run(0x81, 6, 0x2300, ITF_KEYBOARD, 9) is False
assert run(0x81, 6, 0x2200, 0, 255) is False
assert run(0x80, 6, 0x0100, 0, 18) is False
assert run(0xC1, 1, 0, ITF_KEYBOARD, 4) is False
assert run(0xA1, 7, 0, ITF_KEYBOARD, 4) is False
assert run(0xA1, 1, 0x0304, ITF_KEYBOARD, 64) is False
assert run(0xA1, 1, 0x0101, ITF_KEYBOARD, 64) is False
assert run(0x21, 9, 0x0300, ITF_KEYBOARD, 1, b"\x01") is False
# GET_REPORT(Input) answers the last input report; SET_REPORT(Output) reaches on_output.
assert bytes(run(0xA1, 1, 0x0100, ITF_KEYBOARD, 8)) == bytes(8)
seen = []
def on_out(itf, report):
    seen.append((itf, bytes(report)))
on_output = on_out
assert run(0x21, 9, 0x0200, ITF_KEYBOARD, 1, b"\x05") is not False
assert seen == [(2, b"\x05")], seen
assert run(0x21, 9, 0x0200, ITF_KEYBOARD, 2, b"\x05\x06") is False
assert bytes(run(0xA1, 1, 0x0200, ITF_KEYBOARD, 1)) == b"\x05"
# SET_IDLE / GET_IDLE, SET_PROTOCOL / GET_PROTOCOL.
assert bytes(run(0xA1, 2, 0, ITF_KEYBOARD, 1)) == b"\x00"
assert run(0x21, 0x0A, 0x7D00, ITF_KEYBOARD, 0) is True
assert bytes(run(0xA1, 2, 0, ITF_KEYBOARD, 1)) == b"\x7d"
assert bytes(run(0xA1, 3, 0, ITF_KEYBOARD, 1)) == b"\x01"
assert run(0x21, 0x0B, 0, ITF_KEYBOARD, 0) is True
assert bytes(run(0xA1, 3, 0, ITF_KEYBOARD, 1)) == b"\x00"
# send(): one report in flight per interface; xfer_cb frees it; lengths are checked.
class Ep(RecordingDevice):
    BUILTIN_DEFAULT = FakeUSBDevice.BUILTIN_DEFAULT
    BUILTIN_NONE = FakeUSBDevice.BUILTIN_NONE
e = Ep()
config(e)
open_itf_cb(memoryview(desc_cfg)[9 + BUILTIN_CFG_LEN:])
assert send(0, b"\x02\x00\x04\x00\x00\x00\x00\x00") is True
assert [(ep, bytes(b)) for ep, b in e.submitted] == [(0x83, b"\x02\x00\x04\x00\x00\x00\x00\x00")]
assert send(0, bytes(8)) is False
xfer_cb(0x83, True, 8)
assert send(0, bytes(8)) is True
reset_cb()
assert send(0, bytes(8)) is True
for bad in ((0, bytes(7)), (3, bytes(8))):
    try:
        send(*bad)
        raise AssertionError("accepted %r" % (bad,))
    except ValueError:
        pass
assert bytes(run(0xA1, 1, 0x0100, ITF_KEYBOARD, 8)) == bytes(8)
print("micropython module OK")
