#!/usr/bin/env node
'use strict';
/**
 * Small helpers for scripts/kafka.sh that bash cannot do well. Plain JavaScript (no tsx) so that
 * they start in a few tens of milliseconds.
 *
 *   node probe.js free-port [PREFERRED]
 *       Prints PREFERRED when it can be bound on 127.0.0.1, else a free port between 20000 and
 *       32767: below Linux's ephemeral range (32768-60999), which outgoing connections draw from,
 *       so that a busy machine's clients do not take the port before the broker binds it.
 *       With PREFERRED=0 always prints such a port. Exit 0.
 *   node probe.js port-free PORT
 *       Exit 0 when PORT can be bound on 127.0.0.1, 1 when it is taken.
 *   node probe.js ready BOOTSTRAP PID TIMEOUT_MS [HOST:PORT...]
 *       Polls the broker at BOOTSTRAP with kafkajs until it accepts a topic creation and serves a
 *       consumer group's offsets (the test bed's definition of "ready": metadata quorum up, broker
 *       registered, partitions assignable, group coordinator loaded).
 *       Then waits until each further HOST:PORT (the secured listeners) accepts a TCP connection.
 *       Gives up early when process PID is gone (the JVM died; its log says why).
 *       Exit 0 when ready, 2 when the JVM died, 3 on timeout. KAFKA_PROBE_DEBUG=1 prints each
 *       failed attempt.
 */
const net = require('node:net');
const path = require('node:path');

/** Resolves kafkajs from the repository's node_modules, wherever npm hoisted it. */
function loadKafkajs() {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const searchPaths = [repoRoot, path.join(repoRoot, 'forwarder')];
  return require(require.resolve('kafkajs', { paths: searchPaths }));
}

/** @returns {Promise<number|null>} the bound port, or null when the port is taken. */
function tryListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

const LOW_PORTS = { from: 20000, to: 32767 };

async function freePort(preferred) {
  if (preferred > 0) {
    const bound = await tryListen(preferred);
    if (bound !== null) return bound;
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = LOW_PORTS.from + Math.floor(Math.random() * (LOW_PORTS.to - LOW_PORTS.from + 1));
    if ((await tryListen(candidate)) !== null) return candidate;
  }
  const bound = await tryListen(0);
  if (bound === null) throw new Error('no free port on 127.0.0.1');
  return bound;
}

/** @returns {Promise<boolean>} whether ADDRESS (host:port) accepts a TCP connection. */
function accepts(address) {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const READY_TOPIC = 'testbed.ready';

async function waitReady(bootstrap, pid, timeoutMs, otherListeners = []) {
  const { Kafka, logLevel } = loadKafkajs();
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({
    clientId: 'testbed-ready-probe',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    // This loop does its own retrying against a deadline; kafkajs' backoff would overshoot it.
    retry: { retries: 0 },
  });
  let lastError = 'not tried';
  while (Date.now() < deadline) {
    if (!processAlive(pid)) {
      process.stderr.write(`kafka probe: broker process ${pid} exited while starting\n`);
      return 2;
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      // createTopics resolves false (no throw) when the topic already exists: also "ready".
      await admin.createTopics({
        topics: [{ topic: READY_TOPIC, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
        timeout: 5000,
      });
      // Consumer groups too: the first group request makes the broker create __consumer_offsets,
      // and until its partitions are loaded every join fails with COORDINATOR_LOAD_IN_PROGRESS,
      // which kafkajs does not always retry. Fetching a group's offsets succeeds only once loaded.
      await admin.fetchOffsets({ groupId: READY_TOPIC, topics: [READY_TOPIC] });
      // The broker binds its listeners one after the other; one that cannot bind stops the broker.
      const closed = [];
      for (const listener of otherListeners) if (!(await accepts(listener))) closed.push(listener);
      if (closed.length === 0) return 0;
      lastError = `listener ${closed.join(', ')} not accepting connections yet`;
    } catch (error) {
      lastError = error && error.message ? error.message : String(error);
      if (process.env.KAFKA_PROBE_DEBUG) process.stderr.write(`kafka probe: ${Date.now() % 100000} ${lastError}\n`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    // A poll interval, not a synchronisation: the broker gives no event to wait on from outside.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.stderr.write(`kafka probe: broker at ${bootstrap} not ready after ${timeoutMs} ms (${lastError})\n`);
  return 3;
}

async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'free-port':
      process.stdout.write(`${await freePort(Number(args[0] || 0))}\n`);
      return 0;
    case 'port-free':
      return (await tryListen(Number(args[0]))) === null ? 1 : 0;
    case 'ready':
      return waitReady(args[0], Number(args[1]), Number(args[2] || 60000), args.slice(3));
    default:
      process.stderr.write('usage: probe.js free-port [PREFERRED] | port-free PORT | ready BOOTSTRAP PID TIMEOUT_MS [HOST:PORT...]\n');
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`kafka probe: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
