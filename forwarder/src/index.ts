/**
 * The forwarder as a library: its configuration, the pipeline stages (decode → translate → batch →
 * submit → commit) and the {@link Forwarder} that wires them. The `algorithmia-datadog-forwarder`
 * command runs the same code.
 *
 * @module forwarder
 */
export * from './batch/batch';
export * from './batch/batcher';
export * from './commit/offset-committer';
export * from './common/datadog-window';
export * from './common/retry-policy';
export * from './commit/offset-ledger';
export * from './config/config';
export * from './decode/decode';
export * from './decode/insight';
export * from './decode/time';
export * from './forwarder';
export * from './observe/health-server';
export * from './observe/logger';
export * from './observe/metrics';
export * from './observe/version';
export * from './submit/compression';
export * from './submit/datadog-client';
export * from './submit/payload';
export * from './submit/submit-queue';
export * from './submit/submitter';
export * from './submit/wire-format';
export * from './translate/point';
export * from './translate/translate';
