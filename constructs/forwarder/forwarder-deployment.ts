import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1, DeploymentV1SpecTemplateSpecVolume } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { addProblems } from '../problems';
import {
  apiUrlProblems,
  forwarderTagProblems,
  gracePeriodProblems,
  httpPortProblems,
  imageProblems,
  imagePullPolicyProblems,
  kafkaProblems,
  kubernetesNameProblems,
  metricDeclarationProblems,
  replicaProblems,
  secretReferenceProblems,
  siteProblems,
} from './checks';
import { envProblems, forwarderEnv } from './environment';
import { planMemory } from './memory';
import { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT } from './pod-security';
import {
  DEFAULT_API_KEY_SECRET,
  DEFAULT_FORWARDER_NAME,
  DEFAULT_GROUP_ID,
  DEFAULT_HTTP_PORT,
  DEFAULT_IMAGE_PULL_POLICY,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SITE_FOR_FORWARDER,
  ForwarderDeploymentProps,
  GRACE_MARGIN_SECONDS,
  KAFKA_CA_FILE_NAME,
  KAFKA_CA_MOUNT_DIR,
  METRICS_FILE_NAME,
  METRICS_MOUNT_DIR,
} from './props';

/**
 * The forwarder as a Kubernetes Deployment next to the Datadog resources: the image, its settings
 * as environment variables, the metric declaration as a mounted ConfigMap, the API key (and SASL
 * password) from existing Secrets, the Kafka CA from a Secret or ConfigMap, health probes, memory
 * sized for its send buffer, a replica count that the topic's partitions can keep busy, and a pod
 * that passes the `restricted` Pod Security Standard.
 *
 * Pods restart when the metric declaration changes (its hash is a pod-template annotation).
 * The stack needs a KubernetesProvider; `AlgorithmiaStack` adds one when the forwarder is enabled.
 */
export class ForwarderDeployment extends Construct {
  readonly configMap: ConfigMapV1;
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: ForwarderDeploymentProps) {
    super(scope, id);
    const name = props.name ?? DEFAULT_FORWARDER_NAME;
    const namespace = props.namespace ?? 'default';
    const replicas = props.replicas ?? 1;
    const imagePullPolicy = props.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY;
    const site = props.site ?? DEFAULT_SITE_FOR_FORWARDER;
    const httpPort = props.httpPort ?? DEFAULT_HTTP_PORT;
    const shutdownTimeoutMs = props.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const gracePeriodSeconds = props.terminationGracePeriodSeconds ?? Math.ceil(shutdownTimeoutMs / 1000) + GRACE_MARGIN_SECONDS;
    const apiKeySecret = props.apiKeySecret ?? DEFAULT_API_KEY_SECRET;
    const kafka = props.kafka;
    const tags = props.tags ?? [];
    const extraEnv = props.env ?? {};
    const memory = planMemory(extraEnv, props.resources);

    addProblems(this, [
      ...imageProblems(props.image),
      ...imagePullPolicyProblems(imagePullPolicy),
      ...kubernetesNameProblems(['name'], name, 63 - '-metrics'.length),
      ...kubernetesNameProblems(['namespace'], namespace, 63),
      ...replicaProblems(replicas, kafka.partitions, kafka.topic),
      ...kafkaProblems(kafka),
      ...secretReferenceProblems(['apiKeySecret'], apiKeySecret),
      ...siteProblems(site),
      ...apiUrlProblems(props.apiUrl),
      ...forwarderTagProblems(tags),
      ...gracePeriodProblems(shutdownTimeoutMs, gracePeriodSeconds),
      ...httpPortProblems(httpPort),
      ...envProblems(extraEnv),
      ...memory.problems,
      ...metricDeclarationProblems(props.metricDeclaration),
    ]);

    const labels = {
      'app.kubernetes.io/name': DEFAULT_FORWARDER_NAME,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/part-of': 'algorithmia-datadog',
      'app.kubernetes.io/managed-by': 'cdktf',
    };
    const selector = { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/instance': name };

    this.configMap = new ConfigMapV1(this, 'metrics', {
      metadata: { name: `${name}-metrics`, namespace, labels },
      data: { [METRICS_FILE_NAME]: props.metricDeclaration },
    });

    const env = forwarderEnv({
      apiKeySecret,
      site,
      apiUrl: props.apiUrl,
      kafka,
      groupId: kafka.groupId ?? DEFAULT_GROUP_ID,
      tags,
      httpPort,
      shutdownTimeoutMs,
      nodeOptions: memory.nodeOptions,
      extraEnv,
    });

    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [{ name: 'metrics', configMap: { name: this.configMap.metadata.name } }];
    const volumeMounts = [{ name: 'metrics', mountPath: METRICS_MOUNT_DIR, readOnly: true }];
    const ca = kafka.sslCa;
    if (ca) {
      // Only the one key, under a fixed file name, so KAFKA_SSL_CA_FILE does not depend on the key.
      const items = [{ key: ca.key, path: KAFKA_CA_FILE_NAME }];
      volumes.push(
        ca.secret !== undefined
          ? { name: 'kafka-ca', secret: { secretName: ca.secret, items, defaultMode: '0444' } }
          : { name: 'kafka-ca', configMap: { name: ca.configMap, items, defaultMode: '0444' } },
      );
      volumeMounts.push({ name: 'kafka-ca', mountPath: KAFKA_CA_MOUNT_DIR, readOnly: true });
    }

    const probe = (path: string, periodSeconds: number, initialDelaySeconds: number) => ({
      // From httpPort, like the container port and FORWARDER_HTTP_PORT: the three cannot disagree.
      httpGet: { path, port: String(httpPort) },
      initialDelaySeconds,
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });

    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(replicas),
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            // A new metric declaration restarts the pods (a mounted ConfigMap alone would not).
            annotations: { 'algorithmia-datadog/metrics-sha256': sha256(props.metricDeclaration) },
          },
          spec: {
            terminationGracePeriodSeconds: gracePeriodSeconds,
            automountServiceAccountToken: false,
            securityContext: { ...POD_SECURITY_CONTEXT },
            container: [
              {
                name: 'forwarder',
                image: props.image,
                imagePullPolicy,
                port: [{ name: 'http', containerPort: httpPort }],
                env,
                livenessProbe: probe('/healthz', 10, 10),
                readinessProbe: probe('/readyz', 5, 5),
                resources: { requests: { ...memory.resources.requests }, limits: { ...memory.resources.limits } },
                securityContext: {
                  ...CONTAINER_SECURITY_CONTEXT,
                  capabilities: { drop: [...CONTAINER_SECURITY_CONTEXT.capabilities.drop] },
                },
                volumeMount: volumeMounts,
              },
            ],
            volume: volumes,
          },
        },
      },
    });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
