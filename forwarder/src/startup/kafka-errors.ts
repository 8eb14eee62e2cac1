/**
 * kafkajs errors met while connecting, turned into what a user must do. kafkajs reports a wrong
 * password, an untrusted certificate and a plaintext/TLS mismatch as stacks that name no setting;
 * here each becomes one line naming the variable to fix, or a transient reason worth retrying.
 */
import { FORWARDER_SETTINGS as S } from '@algorithmia-datadog/metric-declaration';
import type { ForwarderConfig } from '../config/config';

export type KafkaConnectProblem =
  /** The configuration is wrong: retrying cannot help. */
  | { readonly fatal: true; readonly setting: string; readonly problem: string }
  /** The broker may come (back) up: retry until the start-up deadline. */
  | { readonly fatal: false; readonly reason: string; readonly broker?: string };

/** Node's TLS verification failures: the certificate chain is not trusted. */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const TRANSIENT_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
};

interface Facts {
  names: string[];
  messages: string[];
  codes: string[];
  types: string[];
  broker?: string;
}

/** kafkajs wraps the cause (retries exceeded → connection error → socket error): look at all of them. */
function factsOf(error: unknown): Facts {
  const facts: Facts = { names: [], messages: [], codes: [], types: [] };
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      type?: unknown;
      broker?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof e.name === 'string') facts.names.push(e.name);
    if (typeof e.message === 'string') facts.messages.push(e.message);
    if (typeof e.code === 'string') facts.codes.push(e.code);
    if (typeof e.type === 'string') facts.types.push(e.type);
    if (typeof e.broker === 'string' && facts.broker === undefined) facts.broker = e.broker;
    current = e.cause ?? e.originalError;
  }
  return facts;
}

export function classifyKafkaError(error: unknown, kafka: ForwarderConfig['kafka']): KafkaConnectProblem {
  const facts = factsOf(error);
  const broker = facts.broker ?? kafka.brokers.join(',');
  const has = (text: string) => facts.messages.some((m) => m.includes(text));
  const tls = kafka.ssl !== false;
  const mechanism = kafka.sasl?.mechanism.toUpperCase();

  if (facts.names.includes('KafkaJSSASLAuthenticationError')) {
    if (has('not supported by the server') || has('UNSUPPORTED_SASL_MECHANISM')) {
      return { fatal: true, setting: S.saslMechanism.env, problem: `${broker} does not enable ${mechanism} on this listener` };
    }
    return {
      fatal: true,
      setting: `${S.saslUsername.env} / ${S.saslPassword.env} / ${S.saslMechanism.env}`,
      problem: `${broker} refused user "${kafka.sasl?.username}" with ${mechanism}: a wrong password, an unknown user, or a user without ${mechanism} credentials on the broker`,
    };
  }
  if (facts.types.includes('ILLEGAL_SASL_STATE') || facts.types.includes('UNSUPPORTED_SASL_MECHANISM')) {
    return {
      fatal: true,
      setting: S.saslMechanism.env,
      problem: `${broker} does not expect SASL on this listener (a PLAINTEXT or SSL listener): unset ${S.saslMechanism.env}, or use the broker's SASL port`,
    };
  }

  const untrusted = facts.codes.find((code) => UNTRUSTED_CERTIFICATE_CODES.has(code));
  if (untrusted !== undefined) {
    const caFile = typeof kafka.ssl === 'object' && kafka.ssl.ca !== undefined;
    return {
      fatal: true,
      setting: S.sslCaFile.env,
      problem: caFile
        ? `the certificate of ${broker} is not signed by the CA in ${S.sslCaFile.env} (${untrusted}): give the CA that signed the brokers' certificates`
        : `the certificate of ${broker} is not trusted by the system CAs (${untrusted}): set ${S.sslCaFile.env} to the PEM file of the CA that signed it`,
    };
  }
  if (facts.codes.includes('ERR_TLS_CERT_ALTNAME_INVALID') || facts.codes.includes('CERT_HAS_EXPIRED')) {
    const why = facts.codes.includes('CERT_HAS_EXPIRED') ? 'has expired' : 'does not name this host';
    return {
      fatal: true,
      setting: S.brokers.env,
      problem: `the certificate of ${broker} ${why}: connect with the name the certificate was issued for, or renew it`,
    };
  }
  if (tls && has('before secure TLS connection was established')) {
    return {
      fatal: true,
      setting: S.ssl.env,
      problem: `is true but ${broker} does not answer TLS: it is probably a PLAINTEXT listener (set ${S.ssl.env}=false, or use the broker's TLS port)`,
    };
  }
  if (facts.names.includes('KafkaJSConnectionClosedError') || has('Closed connection')) {
    if (!tls) {
      return {
        fatal: true,
        setting: S.ssl.env,
        problem: `${broker} closed the connection at the first request: it probably expects TLS (set ${S.ssl.env}=true, with ${S.saslMechanism.env} if it is a SASL_SSL listener)`,
      };
    }
    if (kafka.sasl === undefined) {
      return {
        fatal: true,
        setting: S.saslMechanism.env,
        problem: `${broker} closed the connection after TLS: it probably expects SASL (set ${S.saslMechanism.env}, ${S.saslUsername.env}, ${S.saslPassword.env})`,
      };
    }
  }

  const code = facts.codes.find((c) => c in TRANSIENT_REASONS);
  if (code !== undefined) return { fatal: false, reason: TRANSIENT_REASONS[code], broker: facts.broker };
  if (has('Connection timeout')) return { fatal: false, reason: 'connection timed out', broker: facts.broker };
  return { fatal: false, reason: facts.messages[facts.messages.length - 1] ?? String(error), broker: facts.broker };
}
