/**
 * Datadog's naming rules for metrics and tags, as the intake applies them.
 * Both halves use these: the CDKTF app rejects a declared name at synth time, the forwarder
 * repairs names found in messages.
 */

export const MAX_METRIC_NAME_LENGTH = 200;
export const MAX_TAG_LENGTH = 200;

const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
const INVALID_METRIC_CHARS = /[^A-Za-z0-9_.]+/g;
const INVALID_TAG_CHARS = /[^\p{L}\p{N}_\-:./]+/gu;

/** Why Datadog would reject a metric name, or undefined when it accepts it. */
export function metricNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    return `it is ${name.length} characters long (at most ${MAX_METRIC_NAME_LENGTH})`;
  }
  if (!/^[A-Za-z]/.test(name)) return 'it must start with an ASCII letter';
  if (!METRIC_NAME.test(name)) {
    return 'it may contain only ASCII letters, digits, "_" and "."';
  }
  return undefined;
}

export function isValidMetricName(name: string): boolean {
  return metricNameProblem(name) === undefined;
}

/**
 * The metric name for a message key, or undefined when no valid name can be made from it.
 * Runs of invalid characters become one "_" (as Datadog does), and leading/trailing separators
 * are dropped so that "risk score " and "risk_score" land on the same series.
 */
export function metricNameForKey(prefix: string, key: string): string | undefined {
  const cleaned = key.replace(INVALID_METRIC_CHARS, '_').replace(/^[_.]+|[_.]+$/g, '');
  if (cleaned.length === 0) return undefined;
  const name = prefix.length > 0 ? `${prefix}.${cleaned}` : cleaned;
  return isValidMetricName(name) ? name : undefined;
}

/**
 * A tag `key:value` as Datadog stores it: invalid characters become "_", at most 200 characters,
 * never ending with ":". Lower-casing is left to Datadog, which does it on intake.
 */
export function tag(key: string, value: string): string {
  const text = `${key}:${value.replace(INVALID_TAG_CHARS, '_')}`.slice(0, MAX_TAG_LENGTH);
  return text.endsWith(':') ? `${text}_` : text;
}

/** Why Datadog would reject a `key:value` tag written by a user, or undefined when it is fine. */
export function tagProblem(text: string): string | undefined {
  if (text.length === 0) return 'it is empty';
  if (text.length > MAX_TAG_LENGTH) return `it is longer than ${MAX_TAG_LENGTH} characters`;
  if (!/^\p{L}/u.test(text)) return 'it must start with a letter';
  if (text.endsWith(':')) return 'it must not end with ":"';
  if (/[^\p{L}\p{N}_\-:./]/u.test(text)) {
    return 'it may contain only letters, digits and "_", "-", ":", ".", "/"';
  }
  return undefined;
}
