#!/usr/bin/env bash
# Run a command with every clock of every process it starts (the browser and the
# servers included) moved to HH:MM UTC today, ticking on from there:
#   scripts/at_utc_time.sh 23:30 make test
# CI runs the suite so at 23:30 UTC, when the date in Warsaw (00:30, or 01:30 in
# summer) is already the next day's, so that no test can depend on the hour of its
# run. Debian's faketime with an offset rather than a fixed start: a fixed start
# would restart the clock in every new process, and deadlines would never come.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 HH:MM command [arguments...]" >&2; exit 2; }
command -v faketime >/dev/null || {
    echo "$0 needs Debian's faketime: apt-get install faketime" >&2
    exit 1
}
target=$1
shift
offset=$(python3 - "$target" <<'PY'
import datetime
import sys

hour, minute = map(int, sys.argv[1].split(":"))
now = datetime.datetime.now(datetime.UTC)
moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
print(f"{int((moment - now).total_seconds()):+d}s")
PY
)
echo "Running at $target UTC (faketime offset $offset): $*"
exec faketime -f "$offset" "$@"
