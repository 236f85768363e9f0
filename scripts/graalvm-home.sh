#!/usr/bin/env bash
# Print the GRAALVM_HOME to use for `mvn package -Dnative` on this machine.
#   1. $GRAALVM_HOME, when it holds bin/native-image (a real GraalVM 25 / Mandrel, or a kit already assembled);
#   2. else one assembled by the shared graalvm-kit (Temurin 25 + GraalVM builder jars from Maven Central) into
#      ${NODEPROBE_GRAALVM_CACHE:-$HOME/.cache/nodeprobe-graalvm}, reused while kit, JDK and GV are unchanged.
# Exit 3, with a one-line reason on stderr, when no native toolchain can be had here (the kit's own exit 3 passes
# through): callers build and test the JVM artifact instead and say so. Any other non-zero exit is a real failure.
# Usage: export GRAALVM_HOME=$(scripts/graalvm-home.sh)   Env: NODEPROBE_GRAALVM_CACHE, JDK, GV (see the kit)
set -euo pipefail

if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  echo "$GRAALVM_HOME"; exit 0
fi

# The kit lives in shared/, beside the repository (a developer's tree or CI's fresh clone), or beside the local
# repository this one was cloned from (a throwaway clone under /tmp of a developer's tree).
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/.." && pwd))
ORIGIN=$(git -C "$REPO" config --get remote.origin.url 2>/dev/null || true)
[ -n "$ORIGIN" ] && [ -d "$ORIGIN" ] || ORIGIN=$REPO
KIT=
for d in "$REPO/../shared/graalvm-kit" "$HERE/../../shared/graalvm-kit" "$REPO/../shared" \
    "$ORIGIN/../shared/graalvm-kit"; do
  if [ -x "$d/setup-graalvm-home.sh" ]; then KIT=$(cd "$d" && pwd); break; fi
done
[ -n "$KIT" ] || { echo "graalvm-home: no GRAALVM_HOME and no graalvm-kit beside $REPO" >&2; exit 3; }

export JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64} GV=${GV:-25.0.2}
[ -f "$JDK/release" ] || { echo "graalvm-home: no JDK 25 at $JDK (set JDK=...)" >&2; exit 3; }
CACHE=${NODEPROBE_GRAALVM_CACHE:-$HOME/.cache/nodeprobe-graalvm}
mkdir -p "$(dirname "$CACHE")"

# One assembly at a time; the stamp (kit files + JDK release + GV) is written last, so a half-built or stale
# home is rebuilt rather than reused.
exec 9>"$CACHE.lock"; flock 9
STAMP=$(cat "$KIT"/* "$JDK/release" 2>/dev/null | sha256sum | cut -c1-16)-$GV
if [ -x "$CACHE/bin/native-image" ] && [ "$(cat "$CACHE/.nodeprobe-stamp" 2>/dev/null)" = "$STAMP" ]; then
  echo "$CACHE"; exit 0
fi
# ~10 s (more on first use: it fetches the builder jars). Its stdout goes to stderr: ours is the path only.
# Exit 3 means the kit found something missing and already said what, in one line.
"$KIT/setup-graalvm-home.sh" "$CACHE" >&2 || exit $?
echo "$STAMP" > "$CACHE/.nodeprobe-stamp"
echo "$CACHE"
