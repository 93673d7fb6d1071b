# Sourced (bash) by scripts/test and scripts/demo from the repository's root:
# `fairshare_use_node` puts Node.js 22.15 or later first on PATH. When this
# machine's node is missing or older, Node.js is installed from the npm
# registry (the node-linux-<arch> package holds the official binary) into
# .tools/node at the repository's root, once. It prints one line and returns
# 1 when it cannot.

FAIRSHARE_NODE_VERSION=22.23.5
# What the web client's packages need (package.json, engines.node).
FAIRSHARE_NODE_MIN=22.15

fairshare_node_ok() {
    command -v node >/dev/null 2>&1 && node -e '
const [a, b] = process.versions.node.split(".").map(Number);
const [x, y] = process.argv[1].split(".").map(Number);
process.exit(a > x || (a === x && b >= y) ? 0 : 1);' "$FAIRSHARE_NODE_MIN" 2>/dev/null
}

fairshare_use_node() {
    fairshare_node_ok && return 0
    local arch bin dir="$PWD/.tools/node"
    case "$(uname -m)" in
        x86_64 | amd64) arch=x64 ;;
        aarch64 | arm64) arch=arm64 ;;
        *)
            echo "the web client needs Node.js $FAIRSHARE_NODE_MIN or later: install it from https://nodejs.org" >&2
            return 1
            ;;
    esac
    bin="$dir/node_modules/node-linux-$arch/bin"
    if [ ! -x "$bin/node" ]; then
        if ! npm --version >/dev/null 2>&1; then
            echo "the web client needs Node.js $FAIRSHARE_NODE_MIN or later, which this script installs with npm: install npm first (apt-get install -y npm)" >&2
            return 1
        fi
        echo "installing Node.js $FAIRSHARE_NODE_VERSION from the npm registry into .tools/node"
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-$arch@$FAIRSHARE_NODE_VERSION" >/dev/null || return 1
    fi
    PATH="$bin:$PATH"
    export PATH
    if ! fairshare_node_ok; then
        echo "the Node.js in .tools/node does not run here: delete .tools/node, or install Node.js $FAIRSHARE_NODE_MIN or later" >&2
        return 1
    fi
}
