#!/usr/bin/env bash
# The Debian packages the tests drive: Chromium for the browser tests, caddy and
# docker-compose for the checks of the container files, Java for the W3C Nu HTML
# Checker and npm to install it (pinned in tools/vnu/). Missing ones are
# installed when this runs as root with apt-get (as `make test` does in CI and on a
# fresh machine); otherwise it stops with one line saying what to install.
# UMP_BROWSER=skip (`make test BROWSER=skip`) leaves Chromium out on purpose.
# With arguments, only those packages, each named after its command (`make
# stack-test` asks for haproxy).
set -euo pipefail
export PATH="$PATH:/usr/sbin"

needed=()
if [ $# -gt 0 ]; then
    for package in "$@"; do
        command -v "$package" >/dev/null || needed+=("$package")
    done
else
    if [ "${UMP_BROWSER:-}" != skip ] && [ ! -x /usr/bin/chromium ]; then
        needed+=(chromium)
    fi
    command -v caddy >/dev/null || needed+=(caddy)
    command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || needed+=(docker-compose)
    command -v java >/dev/null || needed+=(default-jre)
    command -v npm >/dev/null || needed+=(npm)
fi

[ ${#needed[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${needed[*]} for the tests (apt-get)."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
    exit 0
fi

hint=""
[[ " ${needed[*]} " == *" chromium "* ]] && hint=", or leave the browser tests out on purpose with 'make test BROWSER=skip'"
echo "make test needs Debian's ${needed[*]}: run 'sudo apt-get install ${needed[*]}'${hint}." >&2
exit 1
