import { loadConfig } from '../../../src/config/config';
import { classifyKafkaError } from '../../../src/startup/kafka-errors';

/** kafkajs' shape: retries exceeded → connection error (with broker) → the socket's error. */
function wrapped(inner: Record<string, unknown>, outerName = 'KafkaJSNumberOfRetriesExceeded'): Error {
  const socket = Object.assign(new Error(String(inner.message ?? 'socket')), inner);
  const connection = Object.assign(new Error(`Connection error: ${socket.message}`), { name: 'KafkaJSConnectionError', broker: 'b1:9093', code: inner.code, cause: socket });
  return Object.assign(new Error(connection.message), { name: outerName, cause: connection });
}

const base = { DD_API_KEY: 'k', KAFKA_BROKER: 'b1:9093', KAFKA_TOPIC: 't' };
const plain = loadConfig(base).kafka;
const tls = loadConfig({ ...base, KAFKA_SSL: 'true' }).kafka;
const scram = loadConfig({ ...base, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'secret-pw' }).kafka;

describe('classifyKafkaError', () => {
  it('refused credentials name the three SASL settings and never the password', () => {
    const error = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), { name: 'KafkaJSSASLAuthenticationError' });
    const problem = classifyKafkaError(error, scram);
    expect(problem).toMatchObject({ fatal: true, setting: 'KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD / KAFKA_SASL_MECHANISM' });
    expect(JSON.stringify(problem)).not.toContain('secret-pw');
  });

  it('an untrusted certificate names KAFKA_SSL_CA_FILE', () => {
    expect(classifyKafkaError(wrapped({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }), tls)).toMatchObject({ fatal: true, setting: 'KAFKA_SSL_CA_FILE' });
  });

  it('TLS against plaintext and plaintext against TLS name KAFKA_SSL', () => {
    expect(classifyKafkaError(wrapped({ code: 'ECONNRESET', message: 'Client network socket disconnected before secure TLS connection was established' }), tls)).toMatchObject({ fatal: true, setting: 'KAFKA_SSL' });
    expect(classifyKafkaError(Object.assign(new Error('Closed connection'), { name: 'KafkaJSNumberOfRetriesExceeded' }), plain)).toMatchObject({ fatal: true, setting: 'KAFKA_SSL' });
  });

  it('SASL on a listener without SASL names KAFKA_SASL_MECHANISM', () => {
    expect(classifyKafkaError(Object.assign(new Error('Request is not valid given the current SASL state'), { name: 'KafkaJSProtocolError', type: 'ILLEGAL_SASL_STATE' }), scram)).toMatchObject({ fatal: true, setting: 'KAFKA_SASL_MECHANISM' });
  });

  it('refused connections and unknown hosts are transient, with the broker and a readable reason', () => {
    expect(classifyKafkaError(wrapped({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }), plain)).toEqual({ fatal: false, reason: 'connection refused', broker: 'b1:9093' });
    expect(classifyKafkaError(wrapped({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND b1' }), plain)).toEqual({ fatal: false, reason: 'host name not found', broker: 'b1:9093' });
  });
});
