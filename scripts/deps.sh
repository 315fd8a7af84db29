#!/bin/sh
# Installs the Debian packages the project needs, only those missing.
# Runs apt-get directly as root, through sudo otherwise. Idempotent and quiet when all is present.
set -eu

# command-or-file : package
NEEDS="
verilator:verilator
yosys:yosys
nextpnr-ice40:nextpnr-ice40
icepack:fpga-icestorm
pkg-config:pkg-config
gcc:gcc
clang:clang
g++:g++
make:make
/usr/include/libusb-1.0/libusb.h:libusb-1.0-0-dev
/usr/include/sndfile.h:libsndfile1-dev
/usr/include/fftw3.h:libfftw3-dev
gnuplot:gnuplot-nox
sox:sox
"

missing=""
for entry in $NEEDS; do
    what=${entry%%:*}
    pkg=${entry#*:}
    case "$what" in
        /*) [ -e "$what" ] && continue ;;
        *) command -v "$what" >/dev/null 2>&1 && continue ;;
    esac
    missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
