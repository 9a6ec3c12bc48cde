#!/usr/bin/env bash
# radicale.sh: a throw-away CalDAV server for the booking tests.
#
#   tests/servers/radicale.sh PORT DIR [PASSWORD]
#
# Starts Radicale (Debian package radicale 3.1.x) on 127.0.0.1:PORT with its collections under
# DIR/collections (kept between starts, so a test can kill the server and start it again on the
# same data), htpasswd auth with plain passwords for the one user "kiosk" (PASSWORD, default
# "kiosk-test"), rights owner_only: the calendars live under http://127.0.0.1:PORT/kiosk/.
# Waits until the server answers HTTP, prints its PID on stdout and exits 0; the caller kills the
# server. Exits 1 (log tail on stderr) when it does not come up within ~10 s.
set -u
port=${1:?usage: radicale.sh PORT DIR [PASSWORD]}
dir=${2:?usage: radicale.sh PORT DIR [PASSWORD]}
password=${3:-kiosk-test}

mkdir -p "$dir/collections" || exit 1
printf 'kiosk:%s\n' "$password" > "$dir/users"
# delay: Radicale sleeps after a wrong password (against guessing); the tests want one quickly.
# max_connections above the test's 10 parallel kiosks, so none waits in the accept queue.
cat > "$dir/radicale.conf" <<CONF
[server]
hosts = 127.0.0.1:$port
max_connections = 32
timeout = 10
[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = plain
delay = 0.05
[rights]
type = owner_only
[storage]
filesystem_folder = $dir/collections
[web]
type = none
[logging]
level = warning
CONF

# The Debian package installs its module for the system python only (not a pyenv shim).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
setsid "$py" -m radicale --config "$dir/radicale.conf" >>"$dir/radicale.log" 2>&1 < /dev/null &
pid=$!

# Any HTTP status (401 without credentials) means the server is up.
for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "radicale exited at start:" >&2
        tail -n 20 "$dir/radicale.log" >&2
        exit 1
    fi
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null)
    if [ -n "$code" ] && [ "$code" != 000 ]; then
        echo "$pid"
        exit 0
    fi
    sleep 0.1
done
echo "radicale did not answer on 127.0.0.1:$port" >&2
tail -n 20 "$dir/radicale.log" >&2
kill "$pid" 2>/dev/null
exit 1
