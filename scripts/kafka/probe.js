#!/usr/bin/env node
'use strict';
/**
 * Small helpers for scripts/kafka.sh that bash cannot do well. Plain JavaScript (no tsx) so that
 * they start in a few tens of milliseconds.
 *
 *   node probe.js free-port [PREFERRED]
 *       Prints PREFERRED when it can be bound on 127.0.0.1, else a free port chosen by the OS.
 *       With PREFERRED=0 always prints an OS-chosen port. Exit 0.
 *   node probe.js port-free PORT
 *       Exit 0 when PORT can be bound on 127.0.0.1, 1 when it is taken.
 *   node probe.js ready BOOTSTRAP PID TIMEOUT_MS
 *       Polls the broker at BOOTSTRAP with kafkajs until it accepts a topic creation and serves a
 *       consumer group's offsets (the test bed's definition of "ready": metadata quorum up, broker
 *       registered, partitions assignable, group coordinator loaded).
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

async function freePort(preferred) {
  if (preferred > 0) {
    const bound = await tryListen(preferred);
    if (bound !== null) return bound;
  }
  const bound = await tryListen(0);
  if (bound === null) throw new Error('no free port on 127.0.0.1');
  return bound;
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

async function waitReady(bootstrap, pid, timeoutMs) {
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
      return 0;
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
      return waitReady(args[0], Number(args[1]), Number(args[2] || 60000));
    default:
      process.stderr.write('usage: probe.js free-port [PREFERRED] | port-free PORT | ready BOOTSTRAP PID TIMEOUT_MS\n');
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
