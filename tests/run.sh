#!/usr/bin/env bash
# The test runner: PO checks, then every test binary of the optimised build (build/) and of the
# ASan+UBSan build (build/san/). Each check prints PASS/FAIL; a binary that crashes, leaks or
# trips a sanitizer counts as a failure. The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

count() { # label, output, exit status
    local p f
    p=$(grep -c '^PASS' <<<"$2")
    f=$(grep -c '^FAIL' <<<"$2")
    grep '^FAIL' <<<"$2"
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $1: exit status $3"
        tail -n 40 <<<"$2"
        f=1
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    echo "$1: $p passed, $f failed"
}

# translations: msgfmt --check and the plural forms against gettext's own evaluation
out=$(for po in translations/*.po; do
    if msgfmt --check -o /dev/null "$po" 2>&1; then echo "PASS msgfmt $po"; else echo "FAIL msgfmt $po"; fi
done; python3 tests/po_check.py build/tests/plural_index 2>&1)
count translations "$out" 0

for b in build build/san; do
    for t in text i18n store search pack platform config sync slots booking app import e2e; do
        bin="$b/tests/test_$t"
        [ -x "$bin" ] || { echo "FAIL $bin missing"; fail=$((fail + 1)); continue; }
        out=$("$bin" "$b" 2>&1)
        count "$bin" "$out" $?
    done
done
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

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
