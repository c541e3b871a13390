# The firmware the bridge runs in MicroPython (as main.py): the generated module `usb_desc`,
# unmodified, serving the device through machine.USBDevice, as boot.py/main.py would on a board.
# It keeps sending one input report (every tick) and prints what the host sends, in the
# real-kernel harness's event format (harness/README.md).
import machine
import usb_desc
import _bridge_app


def _hex(b):
    return "".join("%02x" % x for x in b)


def on_output(itf, report):
    print("EVENT OUTPUT %d %s" % (itf, _hex(report)))


def on_feature(itf, report):
    rid = report[0] if _bridge_app.USES_REPORT_IDS else 0
    print("EVENT SET_REPORT 3 %d %s" % (rid, _hex(report)))


usb_desc.on_output = on_output
usb_desc.on_feature = on_feature
usb_desc.config(machine.USBDevice())


def tick():
    if _bridge_app.INPUT_DATA is not None:
        usb_desc.send(_bridge_app.INPUT_ID, _bridge_app.INPUT_DATA)
