#!/usr/bin/env bash
# The test runner.
#
#   tests/run.sh                              PO checks; every unit test of the optimised build
#                                             (build/) and of the ASan+UBSan build (build/san/);
#                                             the fuzz targets briefly (what `make test` runs)
#   tests/run.sh --cross DIR QEMU SYSROOT     every unit test of the cross build DIR, each binary
#                                             run as QEMU -L SYSROOT (`make test-cross`)
#
# The unit tests are one binary per tests/unit/test_*.c, the same wildcard the Makefile builds
# from, so a new test needs no list here; a binary that is missing fails. Each check prints
# PASS/FAIL; a binary that crashes, leaks, trips a sanitizer or overruns TEST_TIMEOUT seconds
# (default 1800) counts as a failure. Each run prints its own sums, then the sum of all; the last
# line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
timeout_s=${TEST_TIMEOUT:-1800}

pass=0 fail=0       # all runs
rpass=0 rfail=0     # the current run
summary=()

count() { # label, output, exit status
    local p f
    p=$(grep -c '^PASS' <<<"$2")
    f=$(grep -c '^FAIL' <<<"$2")
    grep '^FAIL' <<<"$2"
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
        if [ "$3" -eq 124 ]; then echo "FAIL $1: no end after $timeout_s s"; else echo "FAIL $1: exit status $3"; fi
        tail -n 40 <<<"$2"
        f=1
    fi
    rpass=$((rpass + p))
    rfail=$((rfail + f))
    echo "$1: $p passed, $f failed"
}

# Close a run: its sums beside its name, added to the total.
run_done() { # name
    echo "== $1: $rpass passed, $rfail failed"
    echo
    summary+=("$(printf '%-38s %5d passed, %d failed' "$1:" "$rpass" "$rfail")")
    pass=$((pass + rpass))
    fail=$((fail + rfail))
    rpass=0 rfail=0
}

# Every unit test binary of a build: unit_tests BIN_DIR ARG [PREFIX...]; ARG is the build folder
# the test is given (its kiosk, kiosk-pack, content/demo.db), PREFIX runs the binary (qemu).
unit_tests() {
    local dir=$1 arg=$2 src t bin out rc
    shift 2
    for src in tests/unit/test_*.c; do
        t=$(basename "$src" .c)
        bin="$dir/tests/$t"
        [ -x "$bin" ] || { echo "FAIL $bin missing"; rfail=$((rfail + 1)); continue; }
        out=$(timeout "$timeout_s" "$@" "$bin" "$arg" 2>&1)
        rc=$?
        count "$bin" "$out" $rc
    done
}

# The programs a test starts (kiosk, kiosk-pack, kiosk-book) are target binaries too: reach them
# through wrappers that run them under qemu, in a folder that otherwise looks like the build.
cross_folder() { # DIR QEMU SYSROOT -> prints the folder to give the tests
    local dir=$1 qemu=$2 sysroot run p
    sysroot=$(cd "$3" && pwd)
    run=$dir/qemu
    mkdir -p "$run"
    for p in kiosk kiosk-pack kiosk-book; do
        printf '#!/bin/sh\nexec %s -L %s %s "$@"\n' "$qemu" "$sysroot" "$(cd "$dir" && pwd)/$p" > "$run/$p"
        chmod +x "$run/$p"
    done
    ln -sfn ../content "$run/content"
    echo "$run"
}

if [ "${1:-}" = --cross ]; then
    [ $# -eq 4 ] || { echo "usage: $0 --cross DIR QEMU SYSROOT" >&2; exit 2; }
    dir=$2 qemu=$3 sysroot=$4
    run=$(cross_folder "$dir" "$qemu" "$sysroot")
    export KIOSK_FIRMWARE=$dir/kiosk   # test_pack reads its symbols (the wrapper has none)
    # qemu-user's -L does not redirect statx, which 32-bit glibc's stat() uses: a file only the
    # sysroot has must be named by its sysroot path. espeak-ng's data is the one such file.
    # And a 32-bit readdir() under qemu-user gets the 64-bit directory offsets ext4 gives a 64-bit
    # process, fails with EOVERFLOW and espeak-ng finds no voices (a real armhf kernel or compat
    # task gets 32-bit offsets): the data is read from a copy on tmpfs, whose offsets are small.
    data=$(ls -d "$(cd "$sysroot" && pwd)"/usr/lib/*/espeak-ng-data 2>/dev/null | head -n 1)
    if [ -n "$data" ]; then
        espeak_copy=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/kiosk-espeak.XXXXXX")
        trap 'rm -rf "$espeak_copy"' EXIT
        cp -a "$data" "$espeak_copy/" && export ESPEAK_DATA_PATH=$espeak_copy
    fi
    unit_tests "$dir" "$run" "$qemu" -L "$sysroot"
    run_done "unit tests, $dir under $(basename "$qemu")"
else
    # translations: msgfmt --check and the plural forms against gettext's own evaluation
    out=$(for po in translations/*.po; do
        if msgfmt --check -o /dev/null "$po" 2>&1; then echo "PASS msgfmt $po"; else echo "FAIL msgfmt $po"; fi
    done; python3 tests/po_check.py build/tests/plural_index 2>&1)
    count translations "$out" 0
    run_done "translations"

    unit_tests build build
    run_done "unit tests, normal build (build/)"
    unit_tests build/san build/san
    run_done "unit tests, ASan+UBSan (build/san/)"

    # the fuzz targets, briefly, on their corpora: a crash, hang or leak fails
    for t in manifest:20000 offer:1500; do
        name=${t%%:*}
        runs=${t##*:}
        mkdir -p build/fuzz/work-$name
        if out=$(build/fuzz/fuzz_$name -runs=$runs -max_len=4096 -timeout=10 build/fuzz/work-$name tests/fuzz/corpus/$name 2>&1); then
            count "fuzz_$name" "PASS fuzz_$name: $runs runs" 0
        else
            count "fuzz_$name" "$out" 1
        fi
    done
    run_done "fuzz"
fi

printf '%s\n' "${summary[@]}"
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
