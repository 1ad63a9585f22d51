# Sourced by ./offload and offload-examples/run: builds a module's runnable jar when it is missing
# or older than the sources, saying why on stderr before it starts (a build takes about a minute).

offload_build_if_stale() {
  local root="$1" module="$2" jar="$3" reason="" newer log
  if [ ! -f "$jar" ]; then
    reason="no jar yet"
  else
    newer="$(find "$root/pom.xml" "$root"/offload-*/pom.xml "$root"/offload-*/src/main -type f -newer "$jar" -print -quit 2>/dev/null || true)"
    [ -z "$newer" ] || reason="${newer#"$root"/} changed since the jar was built"
  fi
  [ -n "$reason" ] || return 0
  command -v mvn >/dev/null || { echo "offload: $reason, and Maven (mvn) is needed to build it; install it (apt-get install maven)." >&2; return 1; }
  echo "offload: $reason: building $jar first (about a minute) ..." >&2
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -ntp -q -DskipTests -pl "$module" -am package >"$log" 2>&1); then
    cat "$log" >&2; rm -f "$log"
    echo "offload: build failed" >&2
    return 1
  fi
  rm -f "$log"
}
