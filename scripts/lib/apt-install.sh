# Sourced by the install-*.sh scripts (which run under `set -euo pipefail`).
#   have_apt TAG HINT   true when apt-get exists; otherwise prints HINT, so the caller can exit 0 and
#                       let the tests that need the packages skip with a reason.
#   apt_install PKG...  installs Debian packages non-interactively (sudo -n when not root), running
#                       `apt-get update` only when the first attempt fails (package lists stale or
#                       absent on a fresh image). A second failure aborts the script (set -e).
have_apt() {
    if command -v apt-get >/dev/null 2>&1; then
        return 0
    fi

    echo "$1: no apt-get here; $2" >&2
    return 1
}

apt_install() {
    local sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo -n)
    fi

    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "$@"; then
        "${sudo_cmd[@]}" apt-get update
        "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "$@"
    fi
}
