#!/usr/bin/env bash
# make bench-browser: the kiosk beside the browser it replaces. The 500 Arabic offers of the
# language category of the 5,000 x 16 synthetic pack, once as the kiosk's list and once as a
# static HTML page with the same Noto fonts in headless Chromium (what a district would
# otherwise run), each from start to a 1920x1080 screenshot to exit. Runs alternate; printed are
# medians of wall time, CPU (user + system of every process), the largest process's peak RSS,
# the peak PSS of all processes together, and the ratios kiosk/Chromium. Figures, not pass/fail;
# not part of make test. Needs chromium (make bench-browser installs it as root); cog (WPE WebKit)
# is measured beside it where its package is installed (make bench-browser installs it too).
set -eu
cd "$(dirname "$0")/.."
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
BUILD=${BUILD:-build}   # the Makefile passes its BUILD
B=$BUILD/bench
RUNS=${RUNS:-5}
mkdir -p $B/browser
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "bench-browser: no chromium (apt-get install chromium)"; exit 1; }
[ -s $B/synth.db ] || $BUILD/kiosk-pack synth $B/synth.db 5000 16 content/pictograms

# The page: what the kiosk's list shows per offer (name, provider, two lines of summary, town),
# Arabic with the kiosk's fallback to German, in the kiosk's fonts (fonts/fallback.ini: Naskh
# for Arabic script, Noto Sans for the rest), at the kiosk's sizes on a 1920x1080 panel.
python3 - "$B/synth.db" "$B/browser/list.html" <<'PY'
import html, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""
  SELECT COALESCE(sa.name, sd.name), COALESCE(oa.name, od.name), COALESCE(sa.summary, sd.summary), l.city
  FROM service_taxonomy t JOIN service s ON s.id = t.service_id
  LEFT JOIN service_i18n sa ON sa.service_id = s.id AND sa.lang = 'ar'
  LEFT JOIN service_i18n sd ON sd.service_id = s.id AND sd.lang = 'de'
  LEFT JOIN organization_i18n oa ON oa.organization_id = s.organization_id AND oa.lang = 'ar'
  LEFT JOIN organization_i18n od ON od.organization_id = s.organization_id AND od.lang = 'de'
  LEFT JOIN location l ON l.id = (SELECT id FROM location WHERE organization_id = s.organization_id LIMIT 1)
  WHERE t.term_id = 'language' ORDER BY 1""").fetchall()
title = (db.execute("SELECT name FROM taxonomy_term_i18n WHERE term_id = 'language' AND lang = 'ar'").fetchone() or [""])[0]
F = "file:///usr/share/fonts/truetype/noto/"
faces = "".join(
    f"@font-face{{font-family:K;src:url({F}{f}.ttf);font-weight:{w};{r}}}"
    for f, w, r in [("NotoSans-Regular", 400, ""), ("NotoSans-Bold", 700, ""),
                    ("NotoNaskhArabic-Regular", 400, "unicode-range:U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF;"),
                    ("NotoNaskhArabic-Bold", 700, "unicode-range:U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF;")])
css = faces + """
body{margin:0;background:#F5F2EB;color:#1B1B1B;font-family:K;font-size:17px}
header{height:72px;background:#0B4F9C;color:#fff;display:flex;align-items:center;padding:0 24px;font-size:17px}
h1{font-size:25px;margin:12px 24px}
.o{background:#fff;margin:0 6px 3px;padding:6px 6px;height:160px;overflow:hidden}
.n{font-size:21px;font-weight:700}.p{color:#4A4A4A}
.s{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}.m{color:#0B4F9C}
"""
out = [f"<!doctype html><html lang=ar dir=rtl><meta charset=utf-8><style>{css}</style>",
       f"<header>رجوع · الرئيسية · بحث</header><h1>{html.escape(title or '')}</h1>"]
for name, prov, summ, city in rows:
    e = lambda t: html.escape(t or "")
    out.append(f"<div class=o><div class=n>{e(name)}</div><div class=p>{e(prov)}</div>"
               f"<div class=s>{e(summ)}</div><div class=m>{e(city)} · الألمانية</div></div>")
open(sys.argv[2], "w").write("".join(out) + "</html>\n")
print(f"page: {len(rows)} offers")
PY

printf 'tap cat:language\nshot list\n' > $B/browser/kiosk.txt
kiosk_cmd=($BUILD/kiosk --content "$B/synth.db" --size 1920x1080 --lang ar --script "$B/browser/kiosk.txt" --shots "$B/browser")
chromium_run() {
    local prof
    prof=$(mktemp -d "$PWD/$B/browser/profile.XXXXXX")
    tests/proc_stats.py --pss -- "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$prof" \
        --window-size=1920,1080 --hide-scrollbars --screenshot="$PWD/$B/browser/chromium.png" \
        "file://$PWD/$B/browser/list.html"
    rm -rf "$prof"
}
# cog (WPE WebKit, the embedded browser) where Debian's package is installed: the same page, which
# says when two frames were drawn after it loaded (cog's headless platform takes no screenshot)
COG=$(command -v cog || true)
if [ -n "$COG" ]; then
    sed 's|</html>$|<script>addEventListener("load",()=>requestAnimationFrame(()=>requestAnimationFrame(()=>console.log("KIOSK-DRAWN"))))</script></html>|' \
        $B/browser/list.html > $B/browser/list-cog.html
fi
cog_run() { tests/proc_stats.py --pss -- tests/cog_drawn.sh "$COG" "file://$PWD/$B/browser/list-cog.html"; }
# one warm-up each (page cache), then alternating runs
tests/proc_stats.py -- "${kiosk_cmd[@]}" > /dev/null
chromium_run > /dev/null
[ -z "$COG" ] || cog_run > /dev/null
: > $B/browser/runs.txt
for i in $(seq "$RUNS"); do
    echo "kiosk $(tests/proc_stats.py --pss -- "${kiosk_cmd[@]}")" >> $B/browser/runs.txt
    echo "chromium $(chromium_run)" >> $B/browser/runs.txt
    [ -z "$COG" ] || echo "cog $(cog_run)" >> $B/browser/runs.txt
done
python3 - $B/browser/runs.txt <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    who, *kv = line.split()
    runs.setdefault(who, []).append({k: float(v) for k, v in (x.split("=") for x in kv)})
med = {w: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for w, rs in runs.items()}
names = [("wall_ms", "wall", "ms"), ("cpu_ms", "CPU", "ms"), ("peak_rss_kib", "largest process peak RSS", "KiB"),
         ("pss_kib", "PSS of all processes", "KiB")]
browsers = [w for w in ("chromium", "cog") if w in med]
print(f"start -> 500 Arabic offers on a 1920x1080 screenshot -> exit; medians of {len(runs['kiosk'])} alternating runs")
if "cog" in med:
    print("  (cog: start -> two frames drawn after load -> ended; its headless platform takes no screenshot)")
print(f"  {'figure':28} {'kiosk':>10}" + "".join(f" {w:>10}" for w in browsers) + "".join(f" {'kiosk/' + w:>15}" for w in browsers))
for k, label, unit in names:
    a = med["kiosk"][k]
    print(f"  {label + ' (' + unit + ')':28} {a:10.0f}" + "".join(f" {med[w][k]:10.0f}" for w in browsers) +
          "".join(f" {a / med[w][k] if med[w][k] else 0:15.2f}" for w in browsers))
print(f"  {'processes':28} {med['kiosk']['procs']:10.0f}" + "".join(f" {med[w]['procs']:10.0f}" for w in browsers))
PY
echo "screenshots: $B/browser/list.png (kiosk), $B/browser/chromium.png (chromium)"
