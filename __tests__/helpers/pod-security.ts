/**
 * The `restricted` Pod Security Standard (Kubernetes v1.25+ "latest" policy version), checked field
 * by field on a pod spec, with the wording of the upstream admission check
 * (k8s.io/pod-security-admission), plus a model of what the Terraform Kubernetes provider sends
 * for a synthesized `kubernetes_deployment_v1`.
 *
 * The rules are written out here from the standard, so that a test can say which field breaks
 * which control: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * The upstream library itself (Go, no npm equivalent) checks the same pods in
 * upstream-pod-security.ts, and the tests make the two agree.
 */

type Json = Record<string, any>;

const SECURITY_CONTEXT_BOOLEANS = ['allowPrivilegeEscalation', 'privileged', 'readOnlyRootFilesystem', 'runAsNonRoot'];

/**
 * The pod spec as the provider (2.38) sends it, in Kubernetes' own JSON (core/v1 PodSpec): keys
 * in camelCase, list blocks under their plural names, numbers where Kubernetes has numbers, and
 * every boolean of a securityContext block that is present sent as `false` when unset (Terraform
 * schema booleans have no "unset"). This is how a container block without `run_as_non_root`
 * became `runAsNonRoot: false`.
 */
export function podSpecAsTheProviderSendsIt(deployment: Json): Json {
  const { container, initContainer, volume, securityContext, ...spec } = camelCase(deployment.spec.template.spec);
  const podContext = withBooleans(numericIds(securityContext), ['runAsNonRoot']);
  const asContainer = ({ port, volumeMount, securityContext: context, ...rest }: Json) => ({
    ...rest,
    ...(port ? { ports: port } : {}),
    ...(volumeMount ? { volumeMounts: volumeMount } : {}),
    ...(context ? { securityContext: withBooleans(numericIds(context), SECURITY_CONTEXT_BOOLEANS) } : {}),
  });
  return {
    ...spec,
    ...(podContext ? { securityContext: renameKey(podContext, 'sysctl', 'sysctls') } : {}),
    containers: (container ?? []).map(asContainer),
    ...(initContainer ? { initContainers: initContainer.map(asContainer) } : {}),
    volumes: (volume ?? []).map((entry: Json) => JSON.parse(JSON.stringify(entry, (key, value) => (key === 'defaultMode' || key === 'mode' ? parseInt(value, 8) : value)))),
  };
}

function withBooleans(context: Json | undefined, booleans: readonly string[]): Json | undefined {
  return context === undefined ? undefined : { ...Object.fromEntries(booleans.map((key) => [key, false])), ...context };
}

/** The provider takes user and group ids as strings; Kubernetes has integers. */
function numericIds(context: Json | undefined): Json | undefined {
  if (context === undefined) return undefined;
  const copy = { ...context };
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup']) if (copy[key] !== undefined) copy[key] = Number(copy[key]);
  return copy;
}

function renameKey(value: Json, from: string, to: string): Json {
  if (!(from in value)) return value;
  const { [from]: moved, ...rest } = value;
  return { ...rest, [to]: moved };
}

/** Terraform's snake_case blocks to Kubernetes' camelCase; single-item blocks stay objects as cdktf writes them. */
function camelCase(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, item]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), camelCase(item)]),
  );
}

const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const SECCOMP_ALLOWED = ['RuntimeDefault', 'Localhost'];

/** Violations of `restricted` (which includes `baseline`), one line per control; empty when allowed. */
export function restrictedViolations(pod: Json, annotations: Json = {}): string[] {
  const containers: Json[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const podContext: Json = pod.securityContext ?? {};
  const named = (list: Json[]) => list.map((container) => `"${container.name}"`).join(', ');
  const violations: string[] = [];
  const check = (failing: Json[], message: (names: string) => string) => {
    if (failing.length > 0) violations.push(message(named(failing)));
  };
  const context = (container: Json): Json => container.securityContext ?? {};

  // baseline
  if (podContext.windowsOptions?.hostProcess === true || containers.some((c) => context(c).windowsOptions?.hostProcess === true)) {
    violations.push('hostProcess (pod or containers must not set securityContext.windowsOptions.hostProcess=true)');
  }
  const hostNamespaces = ['hostNetwork', 'hostPID', 'hostIPC'].filter((key) => pod[key] === true);
  if (hostNamespaces.length > 0) violations.push(`host namespaces (${hostNamespaces.map((key) => `${key}=true`).join(', ')})`);
  check(containers.filter((c) => context(c).privileged === true), (names) => `privileged (containers ${names} must not set securityContext.privileged=true)`);
  check(
    containers.filter((c) => (context(c).capabilities?.add ?? []).some((cap: string) => !BASELINE_CAPABILITIES.includes(cap))),
    (names) => `non-default capabilities (containers ${names} must not include capabilities beyond the default set)`,
  );
  const hostPathVolumes = (pod.volumes ?? []).filter((volume: Json) => volume.hostPath !== undefined);
  if (hostPathVolumes.length > 0) violations.push(`hostPath volumes (volumes ${named(hostPathVolumes)})`);
  check(
    containers.filter((c) => (c.ports ?? []).some((port: Json) => (port.hostPort ?? 0) !== 0)),
    (names) => `hostPort (containers ${names} use hostPort)`,
  );
  const appArmorUnconfined = (profile: Json | undefined) => profile?.type === 'Unconfined';
  if (
    appArmorUnconfined(podContext.appArmorProfile) ||
    containers.some((c) => appArmorUnconfined(context(c).appArmorProfile)) ||
    Object.entries(annotations).some(([key, value]) => key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value === 'unconfined')
  ) {
    violations.push('forbidden AppArmor profile (must not be unconfined)');
  }
  const seLinuxBad = (options: Json | undefined) =>
    options !== undefined && (!SELINUX_TYPES.includes(options.type ?? '') || (options.user ?? '') !== '' || (options.role ?? '') !== '');
  if (seLinuxBad(podContext.seLinuxOptions) || containers.some((c) => seLinuxBad(context(c).seLinuxOptions))) {
    violations.push('seLinuxOptions (must not set a custom type, user or role)');
  }
  check(containers.filter((c) => (context(c).procMount ?? 'Default') !== 'Default'), (names) => `procMount (containers ${names} must not set securityContext.procMount)`);
  const sysctls = (podContext.sysctls ?? []).filter((sysctl: Json) => !SAFE_SYSCTLS.includes(sysctl.name));
  if (sysctls.length > 0) violations.push(`forbidden sysctls (${sysctls.map((s: Json) => s.name).join(', ')})`);

  // restricted
  const badVolumes = (pod.volumes ?? []).filter((volume: Json) => !Object.keys(volume).some((key) => RESTRICTED_VOLUME_TYPES.includes(key)));
  if (badVolumes.length > 0) violations.push(`restricted volume types (volumes ${named(badVolumes)} must use only allowed volume types)`);
  check(
    containers.filter((c) => context(c).allowPrivilegeEscalation !== false),
    (names) => `allowPrivilegeEscalation != false (containers ${names} must set securityContext.allowPrivilegeEscalation=false)`,
  );
  const explicitlyRoot = containers.filter((c) => context(c).runAsNonRoot === false);
  if (podContext.runAsNonRoot === false) violations.push('runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)');
  if (explicitlyRoot.length > 0) {
    violations.push(`runAsNonRoot != true (containers ${named(explicitlyRoot)} must not set securityContext.runAsNonRoot=false)`);
  } else if (podContext.runAsNonRoot !== true) {
    check(containers.filter((c) => context(c).runAsNonRoot !== true), (names) => `runAsNonRoot != true (pod or containers ${names} must set securityContext.runAsNonRoot=true)`);
  }
  const isRoot = (user: unknown) => user !== undefined && user !== '' && Number(user) === 0;
  if (isRoot(podContext.runAsUser) || containers.some((c) => isRoot(context(c).runAsUser))) violations.push('runAsUser=0 (pod and containers must not set runAsUser=0)');
  const seccompType = (owner: Json) => owner.seccompProfile?.type;
  const badSeccomp = containers.filter((c) => {
    const own = seccompType(context(c));
    return own !== undefined ? !SECCOMP_ALLOWED.includes(own) : !SECCOMP_ALLOWED.includes(seccompType(podContext));
  });
  if (seccompType(podContext) !== undefined && !SECCOMP_ALLOWED.includes(seccompType(podContext))) {
    violations.push(`seccompProfile (pod must not set securityContext.seccompProfile.type to "${seccompType(podContext)}")`);
  }
  check(badSeccomp, (names) => `seccompProfile (pod or containers ${names} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`);
  check(
    containers.filter((c) => !(context(c).capabilities?.drop ?? []).includes('ALL')),
    (names) => `unrestricted capabilities (containers ${names} must set securityContext.capabilities.drop=["ALL"])`,
  );
  check(
    containers.filter((c) => (context(c).capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')),
    (names) => `unrestricted capabilities (containers ${names} must not include capabilities other than NET_BIND_SERVICE in securityContext.capabilities.add)`,
  );
  return violations;
}
