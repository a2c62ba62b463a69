"""How the browser tests start Debian's Chromium: one place for the path and the flags."""

CHROMIUM = "/usr/bin/chromium"
# Chromium as the machine's own notes advise: no calls home, fresh profile.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
