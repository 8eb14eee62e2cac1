export * from './declaration';
export * from './names';
export * from './site';
export * from './units';
export * from './json-config';
export * from './json-text';
export * from './forwarder-settings';
export * from './pipeline-metrics';
