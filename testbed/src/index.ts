/**
 * The test bed: a Datadog API double that checks requests as Datadog does, Kafka helpers against
 * the broker of scripts/kafka.sh, waiting without sleeps, and the forwarder started as users start
 * it. Used by the forwarder's tests, its bench, the demo and the preview tests; never by product
 * code (eslint.config.mjs).
 */
export * from './datadog/content-encoding';
export * from './datadog/datadog-double';
export * from './datadog/datadog-models';
export * from './datadog/datadog-payload';
export * from './forwarder-process';
export * from './kafka/kafka';
export * from './repository';
export * from './wait';
