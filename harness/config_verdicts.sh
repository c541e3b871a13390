# Guest side of the configuration-verdict mode (harness/config_verdicts.py appends one
# `blob N PORT` line per input after these functions; harness/init sources the result as /plan.sh
# and provides up and wait_until). Observes, judges nothing:
#   CV N settled T0 T1 SYSFSDIR|none      attach time, settle time, the device's sysfs directory
#   CV N config VALUE                     bConfigurationValue ("" when unconfigured)
#   CV N intf NUM ALT NUMEP DRIVER EP...  each interface as the kernel sees it (ep_XX directories)
#   CVLOG N LINE                          the kernel log while the device was attached
cv() { echo "CV $N $*"; }
# The attached device: B-P on a vhci-hcd root hub (1-1 unless a port is still busy). Shell globs
# only: no fork per poll under TCG.
cv_dev() {
  D=
  for d in /sys/bus/usb/devices/[0-9]-[0-9]; do [ -e "$d" ] && D=$d && return 0; done
  return 1
}
# Settled: usbcore bound its generic driver to the device (set_configuration and the interface
# drivers' probes have returned), or the hub gave up enumerating it.
cv_settled() {
  cv_dev && [ -e "$D/driver" ] && return 0
  CVN=$((CVN + 1)); [ $((CVN % 8)) = 0 ] || return 1
  dmesg | grep -q "unable to enumerate USB device"
}
cv_gone() { ! cv_dev; }
blob() { # N PORT
  N=$1; T0=$(up)
  uattach attach 10.0.2.2 "$2" 1-1 > /dev/null 2>&1 || cv attach_failed
  CVN=0; wait_until cv_settled 200
  cv_dev
  cv settled "$T0" "$(up)" "${D:-none}"
  if [ -n "$D" ]; then
    cv config "$(cat "$D/bConfigurationValue" 2>/dev/null)"
    for i in "$D"/"$(basename "$D")":*; do
      [ -e "$i/bInterfaceNumber" ] || continue
      drv=none; [ -e "$i/driver" ] && drv=$(basename "$(readlink "$i/driver")")
      cv intf "$(cat "$i/bInterfaceNumber")" "$(cat "$i/bAlternateSetting")" "$(cat "$i/bNumEndpoints")" "$drv" \
        $(cd "$i" && ls -d ep_* 2>/dev/null)
    done
  fi
  uattach detach > /dev/null 2>&1
  wait_until cv_gone 100
  dmesg -c | sed "s/^/CVLOG $N /"
}
