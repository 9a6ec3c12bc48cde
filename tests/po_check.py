"""Checks every translations/*.po: all template msgids present, %d kept, and the plural index
the kiosk computes with ICU's plural rules equals what the file's own Plural-Forms expression
gives (evaluated by Python's gettext) for n = 0..1000. Prints PASS/FAIL lines."""
import gettext
import glob
import re
import subprocess
import sys

helper = sys.argv[1]  # prints "n index" lines for a language: plural_index LANG PO


def entries(path):
    """msgid -> list of msgstr forms, via msgcat's normalised output (no hand-written parser
    for the escapes: polib is not packaged here, so we rely on gettext's own tools)."""
    out = subprocess.run(["msgcat", "--no-wrap", path], capture_output=True, text=True, check=True).stdout
    return out


# every string the code asks to translate is in the template (xgettext reads the code), and
# every template string is translated in each PO file; msgcmp compares whole entries, so
# multi-line and plural messages count too
code = subprocess.run(["xgettext", "--from-code=UTF-8", "-k", "-kui_tr:2", "-kT:2", "-ki18n_gettext:2",
                       "-ki18n_format_count:3,4", "-ki18n_ngettext:2,3", "-kN_", "-o", "-"] + sorted(glob.glob("kiosk/*/*.c")),
                      capture_output=True, text=True, check=True).stdout


def absent(po, ref, untranslated_ok):
    """msgids of ref that po lacks (or leaves untranslated), as msgcmp reports them."""
    args = ["msgcmp"] + (["--use-untranslated"] if untranslated_ok else []) + [po, ref]
    r = subprocess.run(args, capture_output=True, text=True, input=code)
    return re.findall(r"this message is (?:used but not defined|untranslated)[^\n]*", r.stderr) or \
        ([r.stderr.strip()[:200]] if r.returncode else [])


untranslatable = absent("translations/kiosk.pot", "-", True)
print(("FAIL" if untranslatable else "PASS") + f" kiosk.pot holds every string of the code {len(untranslatable)} missing")
for po in sorted(glob.glob("translations/*.po")):
    lang = po.split("/")[-1][:-3]
    text = entries(po)
    missing = absent(po, "translations/kiosk.pot", False)
    print(("FAIL" if missing else "PASS") + f" {lang}: every template string translated ({len(missing)} missing)")
    expr = re.search(r"plural=([^;\\]+);", text).group(1)
    fn = gettext.c2py(expr)
    # a form that only one n selects may say its number in words (Arabic dual "أسبوعين"), as
    # msgfmt --check allows too
    chosen = {}
    for n in range(1001):
        chosen.setdefault(fn(n), set()).add(n)
    bad = []
    for block in text.split("\n\n"):
        mid = re.search(r'^msgid "(.*)"$', block, re.M)
        if not mid or not mid.group(1):
            continue
        want = mid.group(1).count("%d")
        for idx, m in re.findall(r'^msgstr(?:\[(\d)\])? "(.*)"$', block, re.M):
            single = idx != "" and len(chosen.get(int(idx), ())) == 1
            if m and m.count("%d") != want and not (single and m.count("%d") == 0):
                bad.append(m)
    print(("FAIL" if bad else "PASS") + f" {lang}: format strings intact")
    got = subprocess.run([helper, lang, po], capture_output=True, text=True).stdout.split("\n")
    mism = []
    for line in got:
        if not line.strip():
            continue
        n, idx = map(int, line.split())
        if fn(n) != idx:
            mism.append((n, fn(n), idx))
    ok = len(got) > 1000 and not mism
    print(("PASS" if ok else "FAIL") + f" {lang}: ICU plural index matches Plural-Forms {mism[:3]}")
