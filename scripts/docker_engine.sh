#!/usr/bin/env bash
# A Docker engine for `make image` and `make stack-test`: when `docker info` does not
# answer, Debian's docker.io is installed (as root, with apt-get) and its dockerd
# started in the background, its log in $UMP_CACHE_DIR/dockerd.log. Anyone else is
# told in one line what to do. An engine that is already running is used as it is.
set -euo pipefail

cache_dir="${UMP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ump-portal}"

docker info >/dev/null 2>&1 && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "No Docker engine answers. Start one (sudo systemctl start docker), or run this as root" \
        "to have Debian's docker.io installed and started." >&2
    exit 1
fi

if ! command -v dockerd >/dev/null; then
    echo "Installing Debian's docker.io (apt-get)."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi

mkdir -p "$cache_dir"
log="$cache_dir/dockerd.log"
echo "Starting dockerd (log: $log)."
# setsid: the engine outlives this script and the make that ran it, like a service.
setsid dockerd >"$log" 2>&1 </dev/null &

for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && exit 0
    sleep 1
done
echo "dockerd did not answer within 60 s; the end of its log ($log):" >&2
tail -n 20 "$log" >&2
exit 1
