#!/bin/sh
# Build a target sysroot for cross-compiling the kiosk: Debian's packages for another
# architecture (arm64, armhf) are downloaded with a private apt configuration and unpacked into
# DIR with dpkg-deb -x. Nothing of the host's apt or dpkg state is touched: no
# `dpkg --add-architecture`, no foreign packages installed. That also sidesteps libical-dev, which
# cannot be co-installed for a second architecture (it pulls libdb5.3-dev, not Multi-Arch: same).
#
#   cross/sysroot.sh ARCH DIR PACKAGE...     e.g. cross/sysroot.sh arm64 sysroot/arm64 libsdl2-dev
#
# MIRROR, SECURITY, SUITE and KEYRING can be set in the environment. Needs the mirror, not root.
# Running it again refreshes the lists and unpacks the packages again.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 ARCH DIR PACKAGE..." >&2; exit 2; }
arch=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
shift 2
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
SUITE=${SUITE:-bookworm}
KEYRING=${KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

apt=$dir/.apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/none"
: > "$apt/status"
cat > "$apt/sources.list" <<SRC
deb [arch=$arch signed-by=$KEYRING] $MIRROR $SUITE main
deb [arch=$arch signed-by=$KEYRING] $MIRROR $SUITE-updates main
deb [arch=$arch signed-by=$KEYRING] $SECURITY $SUITE-security main
SRC
# An apt of our own: the target architecture as the native one, an empty dpkg status (so the
# whole dependency closure is fetched), lists and archives inside DIR/.apt, no host config.
aptget() {
    APT_CONFIG=/dev/null apt-get -q -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" \
        -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/none" \
        -o "Dir::Etc::Parts=$apt/none" -o "Dir::Etc::PreferencesParts=$apt/none" \
        -o "Dir::Etc::Preferences=$apt/none/p" -o "Dir::State=$apt" -o "Dir::State::Lists=$apt/lists" \
        -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt" -o "Dir::Cache::Archives=$apt/archives" \
        -o "Debug::NoLocking=1" -o "APT::Install-Recommends=0" "$@"
}
aptget update
aptget install -y --download-only "$@"
for deb in "$apt"/archives/*.deb; do
    dpkg-deb -x "$deb" "$dir"
done
# Absolute symlinks (e.g. usr/lib/TRIPLET/libfoo.so -> /lib/TRIPLET/libfoo.so.1) would point
# into the host; make them relative to the sysroot.
find "$dir" -path "$apt" -prune -o -type l -lname '/*' -print | while read -r link; do
    target=$(readlink "$link")
    rel=$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")
    ln -sfn "$rel" "$link"
done
echo "sysroot $dir: $(ls "$apt"/archives/*.deb | wc -l) packages for $arch"
