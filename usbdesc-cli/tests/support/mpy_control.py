# Control transfers as machine.USBDevice runs them, for the generated-module tests: the test
# puts this file after the module and before mpy_harness.py / mpy_ids.py.
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

