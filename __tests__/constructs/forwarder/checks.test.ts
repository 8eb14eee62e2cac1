import { deploymentOf, forwarderError, synthForwarder } from '../../helpers/forwarder';

/**
 * What `terraform validate` cannot see: the provider skips the value checks under the Deployment's
 * spec while the ConfigMap name is unknown, so these are the only guard before apply.
 */
describe('ForwarderDeployment synth-time checks', () => {
  it('wants replicas a whole number from 1 to kafka.partitions', () => {
    expect(forwarderError({ replicas: 'abc' as never })).toMatch(/replicas must be a whole number from 1 to kafka\.partitions \(3\) \(got "abc"\)/);
    expect(forwarderError({ replicas: 0 })).toMatch(/replicas must be a whole number from 1 to kafka\.partitions \(3\) \(got 0\)/);
    expect(forwarderError({ replicas: 1.5 })).toMatch(/replicas must be a whole number from 1 to kafka\.partitions \(3\) \(got 1\.5\)/);
    expect(forwarderError({ replicas: 4 })).toMatch(/replicas \(4\) is more than kafka\.partitions \(3\)/);
    expect(deploymentOf(synthForwarder({ replicas: 3 })).spec.replicas).toBe('3');
  });

  it('keeps the grace period above the shutdown timeout', () => {
    expect(forwarderError({ shutdownTimeoutMs: 30_000, terminationGracePeriodSeconds: 30 })).toMatch(
      /terminationGracePeriodSeconds \(30\) must be more than shutdownTimeoutMs \(30000 ms\): the kubelet would kill the forwarder before it has flushed and committed.*Use 40 or more/,
    );
    expect(forwarderError({ shutdownTimeoutMs: 59.5 as never })).toMatch(/shutdownTimeoutMs must be a whole number from 100 to 3600000/);
    expect(forwarderError({ terminationGracePeriodSeconds: -1 })).toMatch(/terminationGracePeriodSeconds must be a whole number from 1/);
    expect(deploymentOf(synthForwarder({ shutdownTimeoutMs: 30_000, terminationGracePeriodSeconds: 31 })).spec.template.spec.termination_grace_period_seconds).toBe(31);
    expect(forwarderError({ env: { FORWARDER_SHUTDOWN_TIMEOUT_MS: '1000' } })).toMatch(/env\.FORWARDER_SHUTDOWN_TIMEOUT_MS is set by the construct: use shutdownTimeoutMs/);
  });

  it('names an image pull policy Kubernetes does not know', () => {
    expect(forwarderError({ imagePullPolicy: 'always' as never })).toMatch(/imagePullPolicy "always" is not a pull policy: use one of Always, IfNotPresent, Never\./);
    expect(deploymentOf(synthForwarder({ imagePullPolicy: 'Always' })).spec.template.spec.container[0].image_pull_policy).toBe('Always');
  });

  it('names bad Kubernetes names', () => {
    const message = forwarderError({ name: 'Forwarder', namespace: 'ml_platform' });
    expect(message).toMatch(/name "Forwarder" is not a valid Kubernetes name: use at most 55/);
    expect(message).toMatch(/namespace "ml_platform" is not a valid Kubernetes name/);
  });

  it('reports every problem at once', () => {
    const message = forwarderError({ replicas: 0, imagePullPolicy: 'sometimes' as never, httpPort: 0, terminationGracePeriodSeconds: 5 });
    for (const setting of ['replicas', 'imagePullPolicy', 'httpPort', 'terminationGracePeriodSeconds']) expect(message).toContain(setting);
  });
});
