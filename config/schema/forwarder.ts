/** An environment's `forwarder` section: the forwarder's Deployment on Kubernetes (constructs/forwarder). */
import { Type } from '@sinclair/typebox';
import { DEFAULT_FORWARDER_RESOURCES } from '../../constructs/forwarder/memory';
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_IMAGE_PULL_POLICY,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  IMAGE_PULL_POLICIES,
} from '../../constructs/forwarder/props';
import { Comment, KeyedBy } from './builders';

const IMAGE_EXAMPLE = 'ghcr.io/example/algorithmia-datadog-forwarder:0.1.0';
const KAFKA_EXAMPLE = { brokers: ['kafka-0.kafka:9092'], topic: 'algorithmia-insights', partitions: 6 };

function secretKey(nameExample: string, keyExample: string) {
  return Type.Object(
    {
      name: Type.String({ description: 'Kubernetes Secret name.', examples: [nameExample] }),
      key: Type.String({ description: 'Key within the Secret.', examples: [keyExample] }),
    },
    { additionalProperties: false },
  );
}

const SSL_CA = Type.Object(
  {
    secret: Type.Optional(Type.String({ description: 'Kubernetes Secret name.', examples: ['kafka-ca'] })),
    configMap: Type.Optional(Type.String({ description: 'Kubernetes ConfigMap name.', examples: ['kafka-ca'] })),
    key: Type.String({ description: 'Key holding the PEM certificate.', examples: ['ca.crt'] }),
  },
  {
    additionalProperties: false,
    description:
      "The CA certificate (PEM) that signed the brokers' certificates, for a private CA: a key of an existing Secret or ConfigMap (give exactly one of secret, configMap). Mounted read-only at /etc/kafka-ca/ca.crt as KAFKA_SSL_CA_FILE; needs ssl: true. Default: the image's system CAs.",
    examples: [{ secret: 'kafka-ca', key: 'ca.crt' }],
  },
);

const KAFKA = Type.Object(
  {
    brokers: Type.Optional(Type.Array(Type.String(), { examples: [KAFKA_EXAMPLE.brokers] })),
    topic: Type.Optional(Type.String({ examples: [KAFKA_EXAMPLE.topic] })),
    partitions: Type.Optional(Type.Number({ description: "The topic's partition count.", examples: [KAFKA_EXAMPLE.partitions] })),
    groupId: Type.Optional(Type.String()),
    deadLetterTopic: Type.Optional(Type.String()),
    ssl: Type.Optional(Type.Boolean()),
    sslCa: Type.Optional(SSL_CA),
    sasl: Type.Optional(
      Type.Object(
        {
          mechanism: Type.String({ examples: ['scram-sha-512'] }),
          username: Type.String(),
          passwordSecret: secretKey('datadog-api-key', 'api-key'),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, examples: [KAFKA_EXAMPLE] },
);

function resourceAmounts(cpu: string, memory: string) {
  return Type.Object(
    { cpu: Type.Optional(Type.String({ examples: [cpu] })), memory: Type.Optional(Type.String({ examples: [memory] })) },
    { additionalProperties: false },
  );
}

// Planned from the default buffer, so every quantity is set.
const requests = DEFAULT_FORWARDER_RESOURCES.requests as Required<typeof DEFAULT_FORWARDER_RESOURCES.requests>;
const limits = DEFAULT_FORWARDER_RESOURCES.limits as Required<typeof DEFAULT_FORWARDER_RESOURCES.limits>;

export const FORWARDER = Type.Object(
  {
    $comment: Comment,
    enabled: Type.Optional(Type.Boolean({ default: false })),
    image: Type.Optional(Type.String({ examples: [IMAGE_EXAMPLE] })),
    imagePullPolicy: Type.Optional(Type.String({ enum: [...IMAGE_PULL_POLICIES], default: DEFAULT_IMAGE_PULL_POLICY })),
    namespace: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    replicas: Type.Optional(
      Type.Number({ description: 'A whole number from 1 to kafka.partitions (extra consumers in a group would sit idle).', default: 1 }),
    ),
    kafka: Type.Optional(KAFKA),
    apiKeySecret: Type.Optional(secretKey('datadog-api-key', 'api-key')),
    apiUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description:
          "DD_HOST: the Datadog API base URL, e.g. a proxy. Default: the site's API. DD_SITE is always set from the environment's site (datadoghq.com without one).",
        examples: ['https://datadog-proxy.ml-platform.svc:8443'],
      }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String(), {
        description: "Tags on every point; default: the environment's tags.",
        examples: [['env:prod', 'team:ml-platform']],
      }),
    ),
    shutdownTimeoutMs: Type.Optional(Type.Number({ description: 'FORWARDER_SHUTDOWN_TIMEOUT_MS.', default: DEFAULT_SHUTDOWN_TIMEOUT_MS })),
    terminationGracePeriodSeconds: Type.Optional(
      Type.Number({
        description: 'Seconds between SIGTERM and SIGKILL; more than shutdownTimeoutMs. Default: shutdownTimeoutMs plus 10 s.',
      }),
    ),
    httpPort: Type.Optional(
      Type.Number({
        description: "FORWARDER_HTTP_PORT, the container port and the probes' port: 1024 to 65535.",
        default: DEFAULT_HTTP_PORT,
      }),
    ),
    resources: Type.Optional(
      Type.Object(
        {
          requests: Type.Optional(resourceAmounts(requests.cpu, requests.memory)),
          limits: Type.Optional(resourceAmounts(limits.cpu, limits.memory)),
        },
        {
          additionalProperties: false,
          description:
            `Default: sized for FORWARDER_MAX_BUFFERED_POINTS (requests ${requests.cpu}/${requests.memory}, limits ${limits.cpu}/${limits.memory} ` +
            'for the default buffer). Reference: docs/kubernetes.md#sizing.',
        },
      ),
    ),
    env: Type.Optional(
      KeyedBy(Type.String(), {
        description:
          "Further forwarder settings (README's variable table). Settings the keys above control, secrets and FORWARDER_HTTP_HOST are refused. FORWARDER_MAX_BUFFERED_POINTS sizes the heap and memory; FORWARDER_NODE_OPTIONS must then give --max-old-space-size.",
        examples: [{ LOG_LEVEL: 'debug', FORWARDER_MAX_BUFFERED_POINTS: '500000' }],
      }),
    ),
    kubernetes: Type.Optional(
      Type.Object(
        { configPath: Type.Optional(Type.String()), configContext: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Deploys the forwarder to Kubernetes with this stack when enabled. Its shape is checked even when switched off. Reference: docs/kubernetes.md.',
    // Switched on, it needs an image and where to read: the shape is checked either way.
    if: { required: ['enabled'], properties: { enabled: { const: true } } },
    then: {
      required: ['image', 'kafka'],
      properties: {
        image: { examples: [IMAGE_EXAMPLE] },
        kafka: {
          examples: [KAFKA_EXAMPLE],
          required: ['brokers', 'topic', 'partitions'],
          properties: {
            brokers: { examples: [KAFKA_EXAMPLE.brokers] },
            topic: { examples: [KAFKA_EXAMPLE.topic] },
            partitions: { examples: [KAFKA_EXAMPLE.partitions] },
          },
        },
      },
    },
  },
);
