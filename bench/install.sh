#!/usr/bin/env bash
# Installs what the Python and Redis baselines need, from Debian's packages, only when something is missing:
# Django Channels and its Redis channel layer, Daphne (the ASGI server Channels is served by) and redis-server
# (the Channels layer's and SignalR's backplane). Safe to run again: with everything present it does nothing.
#   bench/install.sh          # what bench/run.sh does before it starts a Channels or Redis-backed server
set -euo pipefail

packages=(python3-django-channels daphne python3-channels-redis redis-server)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# The harness starts these by absolute path: `python3` on PATH may be another interpreter (pyenv) without Django.
for program in /usr/bin/daphne /usr/bin/redis-server /usr/bin/python3; do
  [ -x "$program" ] || missing+=("$program")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bench/install.sh: installing ${packages[*]} (missing: ${missing[*]})" >&2
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# Debian starts redis-server as a service on port 6379 when it can; the harness starts its own on a free port.
