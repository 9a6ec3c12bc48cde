#!/usr/bin/env bash
# cog_drawn.sh COG URL: WPE WebKit's cog on its headless platform (make bench-browser), ended once
# the page logs KIOSK-DRAWN (two animation frames after load: drawn). The headless platform takes
# no screenshot, so that line is where the run ends; 60 s without it ends the run too.
set -u
coproc COG { exec "$1" -P headless --enable-write-console-messages-to-stdout=true "$2" 2>&1; }
while IFS= read -r -t 60 line <&"${COG[0]}"; do
    case $line in *KIOSK-DRAWN*) break ;; esac
done
kill "$COG_PID" 2>/dev/null
wait "$COG_PID" 2>/dev/null
exit 0
