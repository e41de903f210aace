#!/usr/bin/env bash
# Prepare a machine to run Scorecard Studio from this source tree:
#  1. the system libraries Qt needs (installed with apt-get when missing and allowed),
#  2. uv, pinned, in a private tool folder when it is not on PATH,
#  3. the project's virtual environment, exactly as uv.lock pins it.
# Safe to run again: every step is skipped when already done.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"
TOOLS_DIR=".tools"

qt_libs_present() {
    # Qt's xcb/offscreen plugins load these at run time; a wheel cannot bring them.
    local lib
    for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libglib-2.0.so.0; do
        ldconfig -p 2>/dev/null | grep -q "$lib" || return 1
    done
}

if ! qt_libs_present; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "bootstrap: installing the system libraries Qt needs" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
            libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
            libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core \
            >/dev/null
    else
        echo "bootstrap: Qt's system libraries (libEGL, libGL, libxkbcommon, fontconfig) are missing;" \
             "install them with your package manager" >&2
    fi
fi

if command -v uv >/dev/null 2>&1; then
    UV="$(command -v uv)"
else
    UV="$TOOLS_DIR/bin/uv"
    if [ ! -x "$UV" ]; then
        python3 -m venv "$TOOLS_DIR"
        "$TOOLS_DIR/bin/pip" install --quiet "uv==$UV_VERSION"
    fi
fi

"$UV" sync --frozen --quiet
# The project's own modules are installed editable, so uv does not compile them: do it here
# (quietly, only what changed) so that a start never recompiles them.
"$UV" run --frozen --no-sync python -m compileall -q -j 0 scorecard_studio >/dev/null || true
echo "$UV"
