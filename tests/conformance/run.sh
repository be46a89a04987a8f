#!/usr/bin/env bash
# Runs the real AWS CLI (v1, from PyPI) against `cosell sandbox` and fails on any mismatch.
# Usage: tests/conformance/run.sh [path-to-cosell-binary]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/target/debug/cosell}"
venv="${COSELL_CONFORMANCE_VENV:-$root/.venv-conformance}"

if [ ! -x "$venv/bin/aws" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'awscli>=1.46.3,<2'
fi
"$venv/bin/aws" --version

log="$(mktemp)"
"$bin" sandbox --bind 127.0.0.1:0 --opportunities 200 --task-delay-ms 300 >"$log.out" 2>"$log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log" "$log.out"' EXIT
for _ in $(seq 1 100); do
  url="$(sed -n 's/^cosell sandbox listening on //p' "$log.out")"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "sandbox did not start"; cat "$log"; exit 1; }
echo "sandbox at $url"

# Dummy credentials and no user config: the sandbox ignores signatures.
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ENDPOINT_URL="$url" \
  PATH="$venv/bin:$PATH" python3 "$here/check.py"
