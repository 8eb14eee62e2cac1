/**
 * What the pod runs as: the `restricted` Pod Security Standard, stated on the pod AND on the
 * container. The Terraform Kubernetes provider sends every boolean of a container's
 * securityContext, unset ones as `false`, so a container-level `runAsNonRoot` left out would be sent
 * as `false` and override the pod's `true` (the kubelet's non-root check would be gone, and a
 * namespace enforcing `restricted` would refuse the pod).
 */

/** The image's `node` user and group (node:26-bookworm-slim, `USER node` in forwarder/Dockerfile). */
export const FORWARDER_UID = 1000;
export const FORWARDER_GID = 1000;

const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' } as const;

export const POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: String(FORWARDER_UID),
  runAsGroup: String(FORWARDER_GID),
  seccompProfile: RUNTIME_DEFAULT_SECCOMP,
} as const;

export const CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: String(FORWARDER_UID),
  runAsGroup: String(FORWARDER_GID),
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: RUNTIME_DEFAULT_SECCOMP,
} as const;
