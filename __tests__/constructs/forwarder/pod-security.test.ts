import { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT } from '../../../constructs';
import { BASE, container, deploymentOf, synthForwarder } from '../../helpers/forwarder';
import { podSpecAsTheProviderSendsIt, restrictedViolations } from '../../helpers/pod-security';
import { UpstreamPodSecurity } from '../../helpers/upstream-pod-security';

/** The pod as synthesized for a deployment with every optional mount (the Kafka CA from a Secret). */
function synthesizedWithEverything() {
  return synthForwarder({
    kafka: {
      ...BASE.kafka,
      ssl: true,
      sslCa: { secret: 'kafka-cluster-ca-cert', key: 'ca.crt' },
      sasl: { mechanism: 'scram-sha-512', username: 'forwarder', passwordSecret: { name: 'kafka-user', key: 'password' } },
    },
  });
}

/** The pod as the construct declared it before: non-root on the pod only, no seccomp profile. */
const BEFORE = {
  spec: {
    template: {
      spec: {
        security_context: { run_as_non_root: true, run_as_user: '1000', run_as_group: '1000' },
        container: [
          {
            name: 'forwarder',
            security_context: { allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } },
          },
        ],
        volume: [{ name: 'metrics', config_map: { name: 'x' } }],
      },
    },
  },
};

describe('ForwarderDeployment pod security', () => {
  it('passes the restricted Pod Security Standard as the provider sends it', () => {
    for (const synthesized of [synthForwarder(), synthesizedWithEverything(), synthForwarder({ kafka: { ...BASE.kafka, ssl: true, sslCa: { configMap: 'kafka-ca', key: 'ca.pem' } } })]) {
      const deployment = deploymentOf(synthesized);
      expect(restrictedViolations(podSpecAsTheProviderSendsIt(deployment), deployment.spec.template.metadata.annotations)).toEqual([]);
    }
  });

  it('states non-root, seccomp, no escalation, no capabilities and a read-only root on the container itself', () => {
    const synthesized = synthesizedWithEverything();
    expect(container(synthesized).security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      privileged: false,
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    const pod = deploymentOf(synthesized).spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_non_root: true, run_as_user: '1000', run_as_group: '1000', seccomp_profile: { type: 'RuntimeDefault' } });
    expect(pod.automount_service_account_token).toBe(false);
    for (const key of ['host_network', 'host_pid', 'host_ipc']) expect(pod[key]).toBeUndefined();
    // Nothing writable is mounted: the root file system is read-only and every volume is read-only.
    expect(container(synthesized).volume_mount.every((mount: any) => mount.read_only === true)).toBe(true);
  });

  it('exports the contexts it applies', () => {
    expect(CONTAINER_SECURITY_CONTEXT).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(POD_SECURITY_CONTEXT).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });
});

describe('the restricted check itself', () => {
  it('finds what the upstream check found in the manifest the provider sent before', () => {
    const pod = podSpecAsTheProviderSendsIt(BEFORE);
    expect(pod.containers[0].securityContext.runAsNonRoot).toBe(false);
    expect(restrictedViolations(pod)).toEqual([
      'runAsNonRoot != true (containers "forwarder" must not set securityContext.runAsNonRoot=false)',
      'seccompProfile (pod or containers "forwarder" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('refuses each restricted control when it is broken', () => {
    const pod = (mutate: (spec: any) => void) => {
      const spec = podSpecAsTheProviderSendsIt(deploymentOf(synthForwarder()));
      mutate(spec);
      return restrictedViolations(spec);
    };
    const first = (spec: any) => spec.containers[0].securityContext;
    expect(pod((spec) => (first(spec).allowPrivilegeEscalation = true))).toEqual([expect.stringMatching(/^allowPrivilegeEscalation != false/)]);
    expect(pod((spec) => (first(spec).capabilities = { drop: [] }))).toEqual([expect.stringMatching(/must set securityContext\.capabilities\.drop=\["ALL"\]/)]);
    expect(pod((spec) => (first(spec).capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }))).toHaveLength(2);
    expect(pod((spec) => (first(spec).privileged = true))).toEqual([expect.stringMatching(/^privileged/)]);
    expect(pod((spec) => (first(spec).runAsUser = '0'))).toEqual([expect.stringMatching(/^runAsUser=0/)]);
    expect(pod((spec) => (spec.securityContext.seccompProfile = { type: 'Unconfined' }))).toEqual([expect.stringMatching(/^seccompProfile \(pod must not set/)]);
    expect(pod((spec) => (first(spec).seccompProfile = { type: 'Unconfined' }))).toEqual([expect.stringMatching(/^seccompProfile \(pod or containers "forwarder"/)]);
    expect(pod((spec) => spec.volumes.push({ name: 'host', hostPath: { path: '/' } }))).toEqual([
      expect.stringMatching(/^hostPath volumes/),
      expect.stringMatching(/^restricted volume types \(volumes "host"/),
    ]);
    expect(pod((spec) => (spec.hostNetwork = true))).toEqual(['host namespaces (hostNetwork=true)']);
    expect(pod((spec) => (spec.containers[0].ports[0].hostPort = 8080))).toEqual([expect.stringMatching(/^hostPort/)]);
    // Non-root on the pod alone would do, if the container did not send false.
    expect(pod((spec) => delete first(spec).runAsNonRoot)).toEqual([]);
    expect(pod((spec) => (delete first(spec).runAsNonRoot, (spec.securityContext.runAsNonRoot = false)))).toEqual([
      'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
      'runAsNonRoot != true (pod or containers "forwarder" must set securityContext.runAsNonRoot=true)',
    ]);
  });
});

describe('the upstream Pod Security admission check (k8s.io/pod-security-admission)', () => {
  const upstream = new UpstreamPodSecurity();
  beforeAll(() => upstream.build(), 900_000);
  afterAll(() => upstream.dispose());

  it('admits the Deployment in a restricted namespace, and refuses the one it replaced as the issue reported', () => {
    const verdicts = upstream.restricted({
      default: podSpecAsTheProviderSendsIt(deploymentOf(synthForwarder())),
      everything: podSpecAsTheProviderSendsIt(deploymentOf(synthesizedWithEverything())),
      caFromConfigMap: podSpecAsTheProviderSendsIt(deploymentOf(synthForwarder({ kafka: { ...BASE.kafka, ssl: true, sslCa: { configMap: 'kafka-ca', key: 'ca.pem' } } }))),
      before: podSpecAsTheProviderSendsIt(BEFORE),
    });
    expect(verdicts.default).toEqual({ allowed: true, forbidden: '' });
    expect(verdicts.everything).toEqual({ allowed: true, forbidden: '' });
    expect(verdicts.caFromConfigMap).toEqual({ allowed: true, forbidden: '' });
    expect(verdicts.before).toEqual({
      allowed: false,
      forbidden:
        'runAsNonRoot != true (container "forwarder" must not set securityContext.runAsNonRoot=false), ' +
        'seccompProfile (pod or container "forwarder" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    });
  });

  it('agrees with the field-by-field check on each broken control', () => {
    const broken: Record<string, (spec: any) => void> = {
      escalation: (spec) => (spec.containers[0].securityContext.allowPrivilegeEscalation = true),
      capabilities: (spec) => (spec.containers[0].securityContext.capabilities = { drop: [] }),
      root: (spec) => (spec.containers[0].securityContext.runAsUser = 0),
      unconfined: (spec) => (spec.securityContext.seccompProfile = { type: 'Unconfined' }),
      hostPath: (spec) => spec.volumes.push({ name: 'host', hostPath: { path: '/' } }),
      hostNetwork: (spec) => (spec.hostNetwork = true),
      podRoot: (spec) => (delete spec.containers[0].securityContext.runAsNonRoot, (spec.securityContext.runAsNonRoot = false)),
    };
    const pods = Object.fromEntries(
      Object.entries(broken).map(([label, mutate]) => {
        const spec = podSpecAsTheProviderSendsIt(deploymentOf(synthForwarder()));
        mutate(spec);
        return [label, spec];
      }),
    );
    const verdicts = upstream.restricted(pods);
    for (const [label, spec] of Object.entries(pods)) {
      expect({ label, allowed: verdicts[label].allowed }).toEqual({ label, allowed: false });
      expect({ label, ours: restrictedViolations(spec).length > 0 }).toEqual({ label, ours: true });
    }
  });
});
