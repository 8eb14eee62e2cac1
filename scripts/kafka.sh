#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker and controller in one JVM) for tests and demos.
#
#   scripts/kafka.sh install   resolve the broker jars from Maven Central into .kafka/lib (once)
#   scripts/kafka.sh start     start the broker on 127.0.0.1, wait until it accepts a topic
#                              creation, print its bootstrap address (host:port) on stdout
#   scripts/kafka.sh stop      stop it cleanly (SIGTERM, then SIGKILL after a deadline)
#   scripts/kafka.sh status    print the bootstrap address and exit 0 when running, exit 3 when not
#   scripts/kafka.sh env       print, as `export NAME=value` lines, where the secured listeners are
#                              (SASL_SSL and SSL addresses, CA file, users and passwords); exit 3
#                              when not running. Use: eval "$(bash scripts/kafka.sh env)"
#
# Only the bootstrap address goes to stdout; progress goes to stderr. The address is also written
# to .kafka/run/broker. Every start begins with empty storage: topics do not survive a restart.
#
# Besides PLAINTEXT, the broker listens with SASL_SSL (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN over
# TLS, as Algorithmia publishes Insights) and SSL (TLS only). A CA and a broker certificate are
# generated with openssl at each start into .kafka/tls/; test users and their random passwords are
# created once, when the storage template is formatted, and kept in .kafka/storage-template/.
# Nothing secret is in the repository.
#
# Environment (all optional):
#   KAFKA_PORT              client port; default 19092, or a free one when 19092 is taken.
#                           When set explicitly and taken, start fails.
#   KAFKA_CONTROLLER_PORT   controller port; default: a free one
#   KAFKA_SASL_SSL_PORT     SASL_SSL client port; default: a free one
#   KAFKA_SSL_PORT          SSL client port; default: a free one
#   KAFKA_VERSION           Apache Kafka version to resolve (default: the pom's, 4.4.0)
#   KAFKA_STATE_DIR         where jars, storage, logs and run files go (default: <repo>/.kafka)
#   KAFKA_HEAP_OPTS         JVM heap flags (default: -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT_MS  how long start waits for readiness (default: 120000)
#   KAFKA_STOP_TIMEOUT_S    how long stop waits after SIGTERM before SIGKILL (default: 30)
#   KAFKA_MVN_ARGS          extra mvn arguments, e.g. -Dmaven.repo.local=/tmp/m2
#   JAVA_HOME               Java 17+ to run the broker with (default: java on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CONFIG_DIR="$SCRIPT_DIR/kafka"

STATE_DIR="${KAFKA_STATE_DIR:-$REPO_ROOT/.kafka}"
DEFAULT_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$CONFIG_DIR/pom.xml")"
VERSION="${KAFKA_VERSION:-$DEFAULT_VERSION}"
DEFAULT_PORT=19092

LIB_DIR="$STATE_DIR/lib/$VERSION"
TEMPLATE_DIR="$STATE_DIR/storage-template/$VERSION"
# The test users (name and random password of each), written when the template is formatted.
USERS_FILE="$TEMPLATE_DIR.users"
TLS_DIR="$STATE_DIR/tls"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/log"
RUN_DIR="$STATE_DIR/run"
PID_FILE="$RUN_DIR/broker.pid"
ADDRESS_FILE="$RUN_DIR/broker"
SECURED_FILE="$RUN_DIR/secured.env"
PROPERTIES_FILE="$RUN_DIR/server.properties"
# Put on the JVM's command line so that stop and status recognise our broker and never signal a
# process that merely reuses a stale pid.
JVM_MARKER="-Dtestbed.kafka.state=$STATE_DIR"

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "no java found (Java 17+ is needed): install it (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
  fi
}

now_ms() { date +%s%3N; }

# ---- jars -------------------------------------------------------------------------------------

install_jars() {
  if [[ -f "$LIB_DIR/.complete" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (e.g. apt-get install maven)"
  log "resolving Apache Kafka $VERSION jars from Maven Central into $LIB_DIR"
  local started; started=$(now_ms)
  local partial="$LIB_DIR.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  # shellcheck disable=SC2086  # KAFKA_MVN_ARGS is a list of arguments on purpose
  mkdir -p "$LOG_DIR"
  # mvn's output goes to a file (shown when it fails): with -q it is only colour escapes otherwise.
  if ! mvn -q -B -Dstyle.color=never -f "$CONFIG_DIR/pom.xml" ${KAFKA_MVN_ARGS:-} \
      -Dkafka.version="$VERSION" -DoutputDirectory="$partial" \
      dependency:copy-dependencies > "$LOG_DIR/mvn.log" 2>&1; then
    cat "$LOG_DIR/mvn.log" >&2
    rm -rf "$partial"
    die "mvn could not resolve org.apache.kafka:kafka_2.13:$VERSION (log: $LOG_DIR/mvn.log)"
  fi
  # Renamed only when complete, so an interrupted download is never taken for a finished one.
  rm -rf "$LIB_DIR"
  mv "$partial" "$LIB_DIR"
  touch "$LIB_DIR/.complete"
  log "jars ready in $(( ($(now_ms) - started) )) ms"
}

# ---- storage ----------------------------------------------------------------------------------

# A cluster id as Kafka writes them: 16 random bytes, base64url without padding, never starting
# with '-' (which command-line parsers would take for an option).
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && { printf '%s\n' "$id"; return; }
  done
}

render_properties() { # PORT CONTROLLER_PORT DATA_DIR SASL_SSL_PORT SSL_PORT
  # shellcheck source=/dev/null
  source "$USERS_FILE"
  local plain_users="username=\"$TESTBED_PLAIN_USERNAME\" password=\"$TESTBED_PLAIN_PASSWORD\" user_$TESTBED_PLAIN_USERNAME=\"$TESTBED_PLAIN_PASSWORD\""
  sed -e "s|@PORT@|$1|g" -e "s|@CONTROLLER_PORT@|$2|g" -e "s|@DATA_DIR@|$3|g" \
    -e "s|@SASL_SSL_PORT@|$4|g" -e "s|@SSL_PORT@|$5|g" -e "s|@TLS_DIR@|$TLS_DIR|g" \
    -e "s|@PLAIN_USERS@|$plain_users|g" \
    "$CONFIG_DIR/server.properties"
}

# Users for the SASL_SSL listener: one per mechanism, so that a client using the wrong mechanism
# for its user is refused as it would be in production. Hex passwords need no quoting anywhere.
random_password() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
write_users_file() { # FILE
  {
    printf 'TESTBED_SCRAM_SHA_512_USERNAME=insights-512\nTESTBED_SCRAM_SHA_512_PASSWORD=%s\n' "$(random_password)"
    printf 'TESTBED_SCRAM_SHA_256_USERNAME=insights-256\nTESTBED_SCRAM_SHA_256_PASSWORD=%s\n' "$(random_password)"
    printf 'TESTBED_PLAIN_USERNAME=insights-plain\nTESTBED_PLAIN_PASSWORD=%s\n' "$(random_password)"
  } > "$1"
  chmod 600 "$1"
}

# A CA and a broker certificate for 127.0.0.1/localhost, new at each start (valid 7 days).
generate_tls() {
  command -v openssl >/dev/null 2>&1 || die "openssl not found (the SASL_SSL listener needs a certificate): install it (apt-get install openssl)"
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  ( cd "$TLS_DIR"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 7 -subj "/CN=Kafka test bed CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req "${ec[@]}" -keyout broker.key -out broker.csr -subj "/CN=127.0.0.1"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 -extfile broker.ext -out broker.crt
    # Kafka's PEM keystore: the unencrypted PKCS#8 key and the certificate chain in one file.
    cat broker.key broker.crt > broker.pem
    rm -f broker.csr broker.ext ca.srl
  ) > "$LOG_DIR/openssl.log" 2>&1 || { cat "$LOG_DIR/openssl.log" >&2; die "generating the test certificates failed"; }
}

# Formatting costs a JVM start (seconds), so it is done once per version into a template that each
# start copies. The template holds no ports: the quorum is static (controller.quorum.voters).
ensure_storage_template() {
  [[ -f "$TEMPLATE_DIR/meta.properties" && -f "$USERS_FILE" ]] && return 0
  log "formatting KRaft storage template in $TEMPLATE_DIR (with the SCRAM test users)"
  local partial="$TEMPLATE_DIR.partial" props="$RUN_DIR/format.properties"
  rm -rf "$partial"
  mkdir -p "$partial" "$RUN_DIR" "$LOG_DIR"
  write_users_file "$USERS_FILE.partial"
  mv "$USERS_FILE.partial" "$USERS_FILE"
  # shellcheck source=/dev/null
  source "$USERS_FILE"
  render_properties 1 2 "$partial" 3 4 > "$props"
  "$(java_bin)" -Xmx256m -cp "$LIB_DIR/*" \
    -Dlog4j2.configurationFile="$CONFIG_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
    kafka.tools.StorageTool format --cluster-id "$(random_cluster_id)" --config "$props" \
    --add-scram "SCRAM-SHA-512=[name=$TESTBED_SCRAM_SHA_512_USERNAME,password=$TESTBED_SCRAM_SHA_512_PASSWORD]" \
    --add-scram "SCRAM-SHA-256=[name=$TESTBED_SCRAM_SHA_256_USERNAME,password=$TESTBED_SCRAM_SHA_256_PASSWORD]" \
    > "$LOG_DIR/format.log" 2>&1 \
    || { cat "$LOG_DIR/format.log" >&2; die "formatting the storage failed (log: $LOG_DIR/format.log)"; }
  rm -f "$props" # it holds the PLAIN password
  rm -rf "$TEMPLATE_DIR"
  mv "$partial" "$TEMPLATE_DIR"
}

# The secured listeners, as shell exports for tests and people (scripts/kafka.sh env).
write_secured_file() { # SASL_SSL_PORT SSL_PORT
  # shellcheck source=/dev/null
  source "$USERS_FILE"
  {
    printf 'export KAFKA_TESTBED_SASL_SSL_BROKER=127.0.0.1:%s\n' "$1"
    printf 'export KAFKA_TESTBED_SSL_BROKER=127.0.0.1:%s\n' "$2"
    printf 'export KAFKA_TESTBED_CA_FILE=%s\n' "$TLS_DIR/ca.pem"
    sed -n 's/^TESTBED_/export KAFKA_TESTBED_/p' "$USERS_FILE"
  } > "$SECURED_FILE"
  chmod 600 "$SECURED_FILE"
}

# ---- process ----------------------------------------------------------------------------------

# Prints the pid of our running broker, or nothing.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid; pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  local cmdline
  cmdline="$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" || ps -o args= -p "$pid" 2>/dev/null || true)"
  if [[ "$cmdline" == *"$JVM_MARKER "* ]]; then
    printf '%s\n' "$pid"
  fi
}

pick_port() { # PREFERRED (0 = any)
  node "$CONFIG_DIR/probe.js" free-port "$1"
}

launch_broker() { # PORT CONTROLLER_PORT SASL_SSL_PORT SSL_PORT; sets BROKER_PID
  generate_tls
  render_properties "$1" "$2" "$DATA_DIR" "$3" "$4" > "$PROPERTIES_FILE"
  chmod 600 "$PROPERTIES_FILE"
  rm -rf "$DATA_DIR"
  cp -a "$TEMPLATE_DIR" "$DATA_DIR"
  mkdir -p "$LOG_DIR"
  : > "$LOG_DIR/jvm.out"
  local heap="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
  # Not detached (no setsid): an interrupted test run (Ctrl-C to the process group) takes the broker
  # down with it rather than leaving an orphan JVM. stdio goes to files so that a caller reading
  # this script's stdout through a pipe is not held open by the JVM; fd 9 (the lock) is closed so
  # that the JVM does not keep holding it.
  # shellcheck disable=SC2086  # heap flags are a list
  "$(java_bin)" "$JVM_MARKER" $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CONFIG_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPERTIES_FILE" \
    < /dev/null > "$LOG_DIR/jvm.out" 2>&1 9>&- &
  BROKER_PID=$!
  printf '%s\n' "$BROKER_PID" > "$PID_FILE"
}

show_log_tail() {
  log "last lines of $LOG_DIR/broker.log and $LOG_DIR/jvm.out:"
  tail -n 30 "$LOG_DIR/broker.log" >&2 2>/dev/null || true
  tail -n 30 "$LOG_DIR/jvm.out" >&2 2>/dev/null || true
}

stop_pid() { # PID
  local pid="$1" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(( $(date +%s) + ${KAFKA_STOP_TIMEOUT_S:-30} ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) >= deadline )); then
      log "broker $pid still running after ${KAFKA_STOP_TIMEOUT_S:-30} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1 # polling a process we cannot wait(2) for (it may not be our child)
  done
  # A SIGKILLed process may linger a moment as it is reaped.
  while kill -0 "$pid" 2>/dev/null && [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]]; do sleep 0.05; done
}

# ---- commands ---------------------------------------------------------------------------------

with_lock() {
  mkdir -p "$RUN_DIR"
  exec 9> "$RUN_DIR/lock"
  flock -w 300 9 || die "another kafka.sh holds $RUN_DIR/lock"
}

cmd_install() {
  with_lock
  install_jars
  ensure_storage_template
}

cmd_start() {
  with_lock
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" && -f "$ADDRESS_FILE" ]]; then
    log "already running (pid $pid), log: $LOG_DIR/broker.log"
    cat "$ADDRESS_FILE"
    return 0
  fi
  command -v node >/dev/null 2>&1 || die "node not found (the readiness probe uses kafkajs)"
  install_jars
  ensure_storage_template
  rm -f "$ADDRESS_FILE"

  local started attempt port controller_port sasl_ssl_port ssl_port code
  started=$(now_ms)
  for attempt in 1 2 3; do
    if [[ -n "${KAFKA_PORT:-}" ]]; then
      port="$KAFKA_PORT"
      node "$CONFIG_DIR/probe.js" port-free "$port" || die "KAFKA_PORT=$port is taken on 127.0.0.1"
    else
      port="$(pick_port "$DEFAULT_PORT")"
    fi
    controller_port="${KAFKA_CONTROLLER_PORT:-$(pick_port 0)}"
    sasl_ssl_port="${KAFKA_SASL_SSL_PORT:-$(pick_port 0)}"
    ssl_port="${KAFKA_SSL_PORT:-$(pick_port 0)}"
    log "starting Apache Kafka $VERSION on 127.0.0.1:$port (SASL_SSL $sasl_ssl_port, SSL $ssl_port, controller $controller_port), log: $LOG_DIR/broker.log"
    launch_broker "$port" "$controller_port" "$sasl_ssl_port" "$ssl_port"
    code=0
    node "$CONFIG_DIR/probe.js" ready "127.0.0.1:$port" "$BROKER_PID" "${KAFKA_START_TIMEOUT_MS:-120000}" \
      "127.0.0.1:$sasl_ssl_port" "127.0.0.1:$ssl_port" || code=$?
    if (( code == 0 )); then
      write_secured_file "$sasl_ssl_port" "$ssl_port"
      printf '127.0.0.1:%s\n' "$port" > "$ADDRESS_FILE"
      log "ready in $(( $(now_ms) - started )) ms (pid $BROKER_PID)"
      cat "$ADDRESS_FILE"
      return 0
    fi
    # Another process may have taken a port between choosing and binding it: try new ports.
    if (( code == 2 )) && grep -qs 'Address already in use' "$LOG_DIR/broker.log" "$LOG_DIR/jvm.out" \
        && [[ -z "${KAFKA_PORT:-}${KAFKA_CONTROLLER_PORT:-}${KAFKA_SASL_SSL_PORT:-}${KAFKA_SSL_PORT:-}" ]]; then
      log "port taken while starting (attempt $attempt), retrying with other ports"
      continue
    fi
    break
  done
  show_log_tail
  stop_pid "$BROKER_PID"
  rm -f "$PID_FILE"
  die "the broker did not become ready"
}

cmd_stop() {
  with_lock
  local pid; pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE" "$ADDRESS_FILE" "$SECURED_FILE"
    log "not running"
    return 0
  fi
  local started; started=$(now_ms)
  stop_pid "$pid"
  rm -f "$PID_FILE" "$ADDRESS_FILE" "$SECURED_FILE"
  log "stopped (pid $pid) in $(( $(now_ms) - started )) ms"
}

cmd_status() {
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" && -f "$ADDRESS_FILE" ]]; then
    log "running (pid $pid), log: $LOG_DIR/broker.log"
    cat "$ADDRESS_FILE"
    return 0
  fi
  log "not running"
  return 3
}

cmd_env() {
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" && -f "$SECURED_FILE" ]]; then
    cat "$SECURED_FILE"
    return 0
  fi
  log "not running"
  return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) printf 'usage: %s install|start|stop|status|env\n' "$0" >&2; exit 64 ;;
esac
