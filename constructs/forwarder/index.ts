export * from './props';
export * from './forwarder-deployment';
export type { MemoryPlan } from './memory';
export { planMemory, heapMiBFor, DEFAULT_FORWARDER_RESOURCES, DEFAULT_MAX_BUFFERED_POINTS } from './memory';
export { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT, FORWARDER_UID, FORWARDER_GID } from './pod-security';
