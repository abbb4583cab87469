# Sourced by the project's commands: yarn 4 through corepack, fetched from the npm registry that npm
# is configured with (no registry host is written in this repository), and native builds against the
# system's Node headers.
set -euo pipefail
registry="$(npm config get registry 2>/dev/null | sed 's#/$##')"
export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-$registry}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
if ! command -v yarn >/dev/null 2>&1 || ! yarn --version 2>/dev/null | grep -q '^4\.'; then
  corepack enable
fi
