import { isObject, type Json } from './synth-output';

/**
 * Names whose literal values must never reach a pull-request comment. The synthesized JSON holds
 * no secrets by design (providers read keys from the environment, the forwarder's key comes from a
 * Kubernetes Secret), but the summary does not rely on that: a hand-edited or future resource with
 * a literal key would still be masked.
 */
const SECRET_NAME = /(api_?key|app_?key|application_?key|password|passwd|token|secret|client_?key|private_?key|credential|auth)/i;

export const REDACTED = '(redacted)';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A copy with secret-looking values replaced: string values of keys such as `token` or `api_key`,
 * and the `value` of `{ name, value }` entries (environment variables) whose name looks secret.
 * References (`secret_key_ref: { name, key }`) are objects and stay readable.
 */
export function redact(value: Json): Json {
  if (Array.isArray(value)) return value.map(redact);
  if (!isObject(value)) return value;
  const secretEntry = typeof value.name === 'string' && isSecretName(value.name);
  const result: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '//') {
      result[key] = item;
    } else if ((isSecretName(key) || (secretEntry && key === 'value')) && item !== null && !Array.isArray(item) && !isObject(item)) {
      result[key] = REDACTED;
    } else if (isSecretName(key) && Array.isArray(item) && item.every((entry) => !isObject(entry))) {
      result[key] = item.map(() => REDACTED);
    } else {
      result[key] = redact(item);
    }
  }
  return result;
}
