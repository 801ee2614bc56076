#!/usr/bin/env bash
# Measures the IRC front-end with irctest (progval/irctest), the conformance suite IRC servers run in
# their CI, on the selection ngircd runs, and optionally Debian's ngircd on the same machine:
#
#   bash bench/irctest/run.sh IRCTEST_DIR [ours|ngircd] [pytest args...]
#
# IRCTEST_DIR: a checkout of progval/irctest (it stays outside this repository). This script copies
# the controller next to it (irctest/controllers/supervisedchat.py) and, because Debian's pytest 7.2
# has pluggy < 1.2, turns conftest.py's one `hookimpl(wrapper=True)` into an old-style hookwrapper
# generator in that checkout (enough for measuring). Needs: apt-get install -y python3-pytest
# python3-cryptography python3-dateutil python3-ecdsa python3-filelock python3-websockets
# (python3-pytest-xdist for -n 2; ngircd for the comparison). Use Debian's /usr/bin/python3.
# The chat server is published to a temporary directory first. docs/irc.md has the figures.
set -euo pipefail
IRCTEST=$(cd "${1:?usage: run.sh IRCTEST_DIR [ours|ngircd] [pytest args...]}" && pwd)
WHICH=${2:-ours}
shift $(( $# >= 2 ? 2 : 1 ))
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

cp bench/irctest/supervisedchat.py "$IRCTEST/irctest/controllers/supervisedchat.py"
/usr/bin/python3 - "$IRCTEST/conftest.py" <<'PATCH'
import re, sys
path = sys.argv[1]
text = open(path).read()
# The new-style wrapper (and its body, up to the next top-level line) becomes a hookwrapper that only yields.
text = re.sub(r"@pytest\.hookimpl\(wrapper=True\)\ndef pytest_runtest_call\(item\):\n(?:(?:    .*)?\n)*",
              "@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_call(item):\n    yield\n\n\n", text)
open(path, "w").write(text)
PATCH

controller=irctest.controllers.ngircd
if [ "$WHICH" = ours ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    dotnet publish ChatServer/ChatServer.csproj -c Release -o "$out" >/dev/null
    export SUPERVISEDCHAT_DLL="$out/ChatServer.dll"
    controller=irctest.controllers.supervisedchat
fi

cd "$IRCTEST"
/usr/bin/python3 -m pytest -p no:cacheprovider -rf --controller "$controller" \
    -m "not services and not implementation-specific and not deprecated and not strict" "$@"
