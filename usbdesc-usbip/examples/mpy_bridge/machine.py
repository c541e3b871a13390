# machine.USBDevice for MicroPython's WebAssembly port, on top of usbdesc's USB/IP bridge
# (mpy_bridge/main.rs). It implements the documented semantics of machine.USBDevice
# (MicroPython >= 1.23: config, active, submit_xfer, stall, builtin_driver, and the callbacks
# open_itf_cb, reset_cb, control_xfer_cb with its SETUP/DATA/ACK stages, xfer_cb); the USB side
# (descriptors, SET_ADDRESS/SET_CONFIGURATION, the built-in driver's interfaces, endpoints) is
# the bridge's, as it is TinyUSB's on a board.
#
# Lines to the bridge (print): CONFIG <dev hex> <cfg hex>, STRING <index> <utf-8 hex>,
# LANGIDS <hex>, ACTIVE 0|1, REPLY STALL|OK|DATA <hex>|BUF <len>, SUBMIT <ep> <hex>|<len>,
# STALL <ep> 0|1. Lines from the bridge (bridge_line): CTRL <stage> <setup hex> [<data hex>],
# XFER <ep> <0|1> <n> [<hex>], OPEN <offset> <len>, RESET, CONFIGURED 0|1.
import _bridge_builtin


def _hex(b):
    return "".join("%02x" % x for x in b)


class _Builtin:
    def __init__(self, itf_max, ep_max, str_max, desc_dev, desc_cfg):
        self.itf_max = itf_max
        self.ep_max = ep_max
        self.str_max = str_max
        self.desc_dev = desc_dev
        self.desc_cfg = desc_cfg


class USBDevice:
    BUILTIN_NONE = _Builtin(0, 1, 1, _bridge_builtin.DESC_DEV, bytes((9, 2, 9, 0, 0, 1, 0, 0x80, 50)))
    BUILTIN_CDC = _Builtin(
        _bridge_builtin.ITF_MAX, _bridge_builtin.EP_MAX, _bridge_builtin.STR_MAX, _bridge_builtin.DESC_DEV, _bridge_builtin.DESC_CFG
    )
    BUILTIN_DEFAULT = BUILTIN_CDC
    _instance = None

    def __new__(cls):
        # A singleton, as on the board.
        if USBDevice._instance is None:
            o = object.__new__(cls)
            o._active = False
            o._builtin = USBDevice.BUILTIN_NONE
            o._cfg = None
            o._configured = False
            o._pending = {}
            o._ctrl_buf = None
            o._stalled = {}
            USBDevice._instance = o
        return USBDevice._instance

    def __init__(self):
        pass

    @property
    def builtin_driver(self):
        return self._builtin

    @builtin_driver.setter
    def builtin_driver(self, value):
        if self._active:
            raise OSError(1, "USBDevice must be inactive to change builtin_driver")
        self._builtin = value

    def config(self, desc_dev, desc_cfg, desc_strs=None, open_itf_cb=None, reset_cb=None, control_xfer_cb=None, xfer_cb=None):
        self._cfg = (desc_dev, desc_cfg, desc_strs, open_itf_cb, reset_cb, control_xfer_cb, xfer_cb)

    def active(self, *value):
        if not value:
            return self._active
        on = bool(value[0])
        if on and not self._active:
            self._announce()
        self._active = on
        print("ACTIVE %d" % on)
        return on

    def _announce(self):
        if self._cfg is None:
            raise OSError(22, "USBDevice.config() first")
        desc_dev, desc_cfg, desc_strs = self._cfg[0], self._cfg[1], self._cfg[2]
        print("CONFIG %s %s" % (_hex(desc_dev), _hex(desc_cfg)))
        if desc_strs is None:
            return
        for i in range(256):
            try:
                s = desc_strs[i]
            except (IndexError, KeyError):
                if isinstance(desc_strs, list) and i >= len(desc_strs):
                    break
                continue
            if s is None:
                continue
            if i == 0:
                print("LANGIDS %s" % _hex(s))
            else:
                print("STRING %d %s" % (i, _hex(s.encode())))

    def submit_xfer(self, ep, buffer):
        if not self._active:
            raise OSError(22, "USBDevice is not active")
        if not self._configured or ep in self._pending:
            return False
        self._pending[ep] = buffer
        if ep & 0x80:
            print("SUBMIT %d %s" % (ep, _hex(buffer)))
        else:
            print("SUBMIT %d %d" % (ep, len(buffer)))
        return True

    def stall(self, ep, *stall):
        if not self._active:
            raise OSError(22, "USBDevice is not active")
        was = self._stalled.get(ep, False)
        if stall:
            self._stalled[ep] = bool(stall[0])
            print("STALL %d %d" % (ep, 1 if stall[0] else 0))
        return was

    def remote_wakeup(self):
        return False

    # --- driven by the bridge ---
    def _control(self, stage, setup, data):
        cb = self._cfg[5]
        r = cb(stage, memoryview(setup)) if cb is not None else False
        if stage == 1:
            self._ctrl_buf = None
            if r is True:
                print("REPLY OK")
            elif r is False or r is None:
                print("REPLY STALL")
            elif setup[0] & 0x80:
                print("REPLY DATA %s" % _hex(r))
            else:
                self._ctrl_buf = r
                print("REPLY BUF %d" % len(r))
        else:
            print("REPLY %s" % ("STALL" if r is False else "OK"))

    def _data(self, data):
        if self._ctrl_buf is not None:
            self._ctrl_buf[: len(data)] = data

    def _xfer(self, ep, ok, n, data):
        buf = self._pending.pop(ep, None)
        if buf is None:
            return
        if data:
            buf[: len(data)] = data
        cb = self._cfg[6]
        if cb is not None:
            cb(ep, ok, n)

    def _open(self, offset, length):
        cb = self._cfg[3]
        if cb is not None:
            cb(memoryview(self._cfg[1])[offset:offset + length])

    def _reset(self):
        self._pending = {}
        self._stalled = {}
        cb = self._cfg[4]
        if cb is not None:
            cb()


def bridge_line(line):
    """One line from the bridge."""
    d = USBDevice()
    w = line.split()
    if not w or d._cfg is None:
        return
    if w[0] == "CTRL":
        stage = int(w[1])
        setup = bytes.fromhex(w[2])
        data = bytes.fromhex(w[3]) if len(w) > 3 else b""
        if stage == 2 and data:
            d._data(data)
        d._control(stage, setup, data)
    elif w[0] == "XFER":
        d._xfer(int(w[1]), w[2] == "1", int(w[3]), bytes.fromhex(w[4]) if len(w) > 4 else b"")
    elif w[0] == "OPEN":
        d._open(int(w[1]), int(w[2]))
    elif w[0] == "RESET":
        d._reset()
    elif w[0] == "CONFIGURED":
        d._configured = w[1] == "1"
