#!/usr/bin/env bash
# Installs what the test suites need that the npm registry can't provide, from Debian's packages:
# PostgreSQL 15 with HypoPG (database tests), Chromium (the VS Code UI tests) and what code-server's
# native modules build with (libkrb5-dev, g++, make, python3; see scripts/vscode-test/install.mjs).
# Idempotent and quick when everything is present; `npm test` runs it first (pretest).
set -euo pipefail

need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/hypopg.control ] || need+=(postgresql-15-hypopg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || need+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null 2>&1 || { echo "setup-test-env: missing Debian packages: ${need[*]} (run as root or install them)" >&2; exit 1; }
else
  SUDO=
fi

echo "setup-test-env: installing ${need[*]}"
# The tests make their own throwaway clusters: don't let the package create and start 'main'.
$SUDO mkdir -p /etc/postgresql-common
grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf || echo 'create_main_cluster = false' | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
