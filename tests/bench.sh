#!/usr/bin/env bash
# make bench: figures, not pass/fail. Targets (README): first frame <= 100 ms, peak RSS <= 30 MiB,
# search p99 <= 5 ms per keystroke and first search <= 20 ms, relevance top-3 >= 95 %,
# frame p99 <= 4 ms while scrolling an Arabic list at 1920x1080 (software renderer), no redraw idle.
set -eu
cd "$(dirname "$0")/.."
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
B=build/bench
mkdir -p $B
ms() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms)
build/kiosk-pack synth $B/synth.db 5000 16 content/pictograms
echo "synth_pack: 5000 offers x 16 languages, $(( $(ms) - t0 )) ms to build, $(du -k $B/synth.db | cut -f1) KiB"

# search per keystroke on the same pack: typed words from any script, one query per letter; then
# the hit rates of the relevance set on the demo content
build/tests/bench_search $B/synth.db build/content/demo.db tests/search/relevance.tsv

# free times for an offer: four weeks of slots from a weekly schedule, seats counted (local backend)
build/tests/bench_booking $B/booking.db

# full import of the synthetic pack: verify signature, hash 54 MB, copy, check, switch
build/kiosk-pack sign $B/synth.db content/keys/demo.secret $B/synth.kpack
rm -f $B/installed.db
t0=$(date +%s%N)
build/kiosk-pack install $B/synth.kpack content/keys/demo.pub $B/installed.db > /dev/null
t1=$(date +%s%N)
echo "pack_import_ms=$(( (t1 - t0) / 1000000 )) ($(du -k $B/synth.kpack | cut -f1) KiB pack, target <= 1000)"

# a 1 % content change: delta vs full pack, bytes and apply time
cp $B/synth.db $B/synth2.db
sqlite3 $B/synth2.db "UPDATE meta SET value='2' WHERE key='content_version';
  UPDATE service_i18n SET summary = summary || ' (neu)' WHERE CAST(substr(service_id, 7) AS INTEGER) % 100 = 0"
build/kiosk-pack sign $B/synth2.db content/keys/demo.secret $B/synth2.kpack
build/kiosk-pack diff $B/synth.db $B/synth2.db content/keys/demo.secret $B/delta12.kpack
cp $B/installed.db $B/installed-delta.db
t0=$(date +%s%N)
build/kiosk-pack install $B/delta12.kpack content/keys/demo.pub $B/installed-delta.db > /dev/null
t1=$(date +%s%N)
cp $B/installed.db $B/installed-full.db
build/kiosk-pack install $B/synth2.kpack content/keys/demo.pub $B/installed-full.db > /dev/null
t2=$(date +%s%N)
full=$(stat -c %s $B/synth2.kpack); delta=$(stat -c %s $B/delta12.kpack)
echo "delta_1pct: $delta bytes vs full $full bytes ($(awk -v d=$delta -v f=$full 'BEGIN{printf "%.2f", 100*d/f}') %, target <= 2 %), apply $(( (t1 - t0) / 1000000 )) ms vs full $(( (t2 - t1) / 1000000 )) ms"

# time from exec to first frame presented (median of 7), and that process's peak RSS
times=()
for i in 1 2 3 4 5 6 7; do
    t0=$(date +%s%N)
    out=$(build/kiosk --content $B/synth.db --size 1920x1080 --first-frame)
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
done
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)
echo "first_frame_ms=$(awk -v u="$med" 'BEGIN{printf "%.1f", u/1000}') (median of 7, exec to first present, includes exit) $out"

# scrolling an Arabic list of 500 offers
cat > $B/scroll.txt <<'S'
tap cat:language
bench-scroll 2000
report-rss
S
build/kiosk --content $B/synth.db --size 1920x1080 --lang ar --script $B/scroll.txt --shots $B

# frame times while the sync thread is stuck on a stalling server (nginx on loopback, 50 B/s)
N=$PWD/$B/nginx; mkdir -p $N/www
build/kiosk-pack publish $N/www content/keys/demo.secret 30 $B/synth.db > /dev/null
cat > $N/nginx.conf <<NG
user root; worker_processes 1; pid $N/nginx.pid; error_log $N/error.log;
events { worker_connections 16; }
http { access_log off; client_body_temp_path $N/tb; proxy_temp_path $N/tp; fastcgi_temp_path $N/tf;
  uwsgi_temp_path $N/tu; scgi_temp_path $N/ts;
  server { listen 127.0.0.1:18699; location / { root $N/www; limit_rate 50; } } }
NG
nginx -c $N/nginx.conf -p $N
printf '[kiosk]\ncontent = %s\nstore_url = http://127.0.0.1:18699/\ntrusted_keys = content/keys/demo.pub\n' "$PWD/$B/synth.db" > $B/stall.ini
printf 'tap lang:ar\ntap cat:language\nbench-scroll 1500\n' > $B/stall.txt
echo "during_stalled_sync: $(build/kiosk --config $B/stall.ini --size 1920x1080 --script $B/stall.txt --shots $B 2>/dev/null | grep scroll_frames)"
kill -QUIT "$(cat $N/nginx.pid)"

# idle: the real event loop with no input for 5 s
KIOSK_STATS=1 build/kiosk --content $B/synth.db --size 1920x1080 > $B/idle.txt &
pid=$!
sleep 1
c0=$(awk '{print $14+$15}' /proc/$pid/stat)
f0=1
sleep 5
c1=$(awk '{print $14+$15}' /proc/$pid/stat)
kill -TERM $pid
wait $pid || true
echo "idle_cpu_ticks_5s=$((c1 - c0)) (clock ticks of 1/$(getconf CLK_TCK) s) $(cat $B/idle.txt) (frames since start; 1 = only the first)"

# soak: 100,000 scripted taps through every screen at 800x480; peak RSS after warm-up and at the end
python3 - "$B/soak.txt" <<'PY'
import sys
cats = ["housing", "language", "work", "school", "health", "counselling", "interpreters", "volunteering"]  # the ones visible at 800x480
langs = ["ar", "de", "ti", "ur", "fa", "ru"]
taps, lines, i = 0, [], 0
def tap(w):
    global taps
    lines.append("tap " + w); taps += 1
def round_():
    global i
    for w in ["lang:" + langs[i % 6], "cat:" + cats[i % 8], "row:0", "large-text", "back", "row:1",
              "large-text", "back", "home", "languages"]:
        tap(w)
    i += 1
while taps < 10000:
    round_()
lines.append("report-rss")
while taps < 100000:
    round_()
lines.append("report-rss")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
t0=$(ms)
out=$(build/kiosk --content build/content/demo.db --size 800x480 --script $B/soak.txt --shots $B 2>/dev/null | grep rss_kib | tr '\n' ' ')
echo "soak_100k_taps: $out ($(( ($(ms) - t0) / 1000 )) s; first figures after 10,000 taps, second after 100,000)"
