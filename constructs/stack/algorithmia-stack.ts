import { Construct, Node } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';
import { DatadogProvider } from '@cdktf/provider-datadog/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { apiBaseUrlForSite, DatadogSite } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaIntegration, AlgorithmiaIntegrationProps } from './algorithmia-integration';
import { ForwarderDeployment, ForwarderDeploymentProps } from '../forwarder';
import { addIntegrationOutputs } from './integration-outputs';
import { addStateBackend, StateBackendConfig } from './state-backend';
import { recordPropsOrigin } from '../problems';

export interface AlgorithmiaStackProps {
  /** @default { type: 'local' }: terraform.<stack>.tfstate in the project root */
  readonly backend?: StateBackendConfig;
  /**
   * Datadog site; sets the provider's `api_url` and the web app of the URLs in the outputs.
   * Without it the provider uses `DD_HOST` (or https://api.datadoghq.com).
   * @default DD_HOST at plan/apply time; outputs link to app.datadoghq.com
   */
  readonly site?: DatadogSite;
  /** @default the integration as in the reference assets */
  readonly integration?: AlgorithmiaIntegrationProps;
  /**
   * Deploys the forwarder to Kubernetes in this stack, with a Kubernetes provider. Its `site`
   * defaults to the stack's.
   * @default none: no Kubernetes resources and no Kubernetes provider
   */
  readonly forwarder?: ForwarderStackProps;
}

/** Which cluster the Kubernetes provider talks to. Credentials stay in the kubeconfig. */
export interface KubernetesClusterProps {
  /**
   * Path of the kubeconfig file, e.g. `~/.kube/config`.
   * @default the provider's: KUBE_CONFIG_PATH at plan/apply time
   */
  readonly configPath?: string;
  /** @default the kubeconfig's current context (or KUBE_CTX) */
  readonly configContext?: string;
}

export interface ForwarderStackProps extends ForwarderDeploymentProps {
  /** @default the provider reads KUBE_CONFIG_PATH / KUBE_CTX at plan time */
  readonly kubernetes?: KubernetesClusterProps;
}

/**
 * One environment: the Datadog provider, the state backend, the integration and, when enabled,
 * the forwarder's Deployment with a Kubernetes provider.
 *
 * The provider gets no keys: Terraform's Datadog provider reads DD_API_KEY and DD_APP_KEY at
 * plan/apply time, so no secret can reach cdk.tf.json or a pull request.
 */
export class AlgorithmiaStack extends TerraformStack {
  readonly integration: AlgorithmiaIntegration;
  /** Present when the forwarder is deployed with this stack. */
  readonly forwarder?: ForwarderDeployment;
  private readonly logicalIdOwners = new Map<string, string>();

  constructor(scope: Construct, id: string, props: AlgorithmiaStackProps = {}) {
    super(scope, id);
    addStateBackend(this, id, props.backend ?? { type: 'local' });
    new DatadogProvider(this, 'datadog', props.site ? { apiUrl: apiBaseUrlForSite(props.site) } : {});
    this.integration = new AlgorithmiaIntegration(this, 'algorithmia', props.integration);
    recordPropsOrigin(this.integration, { settings: ['integration'], own: Object.keys(props.integration ?? {}) });
    addIntegrationOutputs(this, { integration: this.integration, site: props.site });
    if (props.forwarder) {
      const { kubernetes, ...forwarder } = props.forwarder;
      // No credentials here: the provider reads them from the kubeconfig at plan/apply time.
      new KubernetesProvider(this, 'kubernetes', {
        ...(kubernetes?.configPath !== undefined ? { configPath: kubernetes.configPath } : {}),
        ...(kubernetes?.configContext !== undefined ? { configContext: kubernetes.configContext } : {}),
      });
      this.forwarder = new ForwarderDeployment(this, 'forwarder', { ...forwarder, site: forwarder.site ?? props.site });
      recordPropsOrigin(this.forwarder, { settings: ['forwarder'], own: Object.keys(forwarder) });
    }
  }

  /**
   * Readable resource addresses such as `datadog_monitor.algorithmia_duration_monitor` instead of
   * cdktf's hash-suffixed ones, so that a plan or a pull-request diff names what it is about.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const components = node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .filter((id) => id !== 'Default');
    if (components.length === 0) return super.allocateLogicalId(element);
    const logicalId = components.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
    const owner = this.logicalIdOwners.get(logicalId);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(
        `${node.path} and ${owner} would both be named "${logicalId}" in Terraform: ` +
          'give one of them a different id (metric keys that differ only by "." and "_" collide).',
      );
    }
    this.logicalIdOwners.set(logicalId, node.path);
    return logicalId;
  }
}
