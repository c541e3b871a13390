# Control transfers as machine.USBDevice runs them and a recording USBDevice, for the
# generated-module tests: the test puts this file after the module and before mpy_harness.py,
# mpy_ids.py or mpy_out.py.
# An 8-byte SETUP packet.
def setup(bm, req, value, index, length):
    return memoryview(bytes((bm, req, value & 0xFF, value >> 8, index & 0xFF, index >> 8, length & 0xFF, length >> 8)))

def run(bm, req, value, index, length, data=None):
    """SETUP, DATA, ACK as machine.USBDevice runs them; the SETUP result, or False."""
    r = setup(bm, req, value, index, length)
    got = control_xfer_cb(1, r)
    if got is False:
        return False
    if data is not None:
        got[:len(data)] = data
    if length:
        assert control_xfer_cb(2, r) is True
    assert control_xfer_cb(3, r) is True
    return got



class RecordingDevice:
    """A machine.USBDevice stand-in that records submit_xfer(ep, buffer)."""
    BUILTIN_NONE = None
    builtin_driver = None
    def __init__(self):
        self.submitted = []
    def active(self, v=None):
        pass
    def config(self, *a, **kw):
        pass
    def submit_xfer(self, ep, buf):
        self.submitted.append((ep, buf))
        return True
