"""An emulated Adafruit Feather M0 (SAMD21G18A) that runs the firmware users flash.

unicorn (pinned in emu/requirements.txt) executes the thumbv6m ELF on a Cortex-M0; this package
models the peripherals those firmwares touch and the SAMD21 USB device controller, register for
register, and gives a host side that speaks USB transactions to it. See emu/README.md.
"""
