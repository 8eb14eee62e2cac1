import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { INSTANCE_TAG_KEY, tag } from '@algorithmia-datadog/metric-declaration';

/**
 * This process's instance tag, `forwarder_instance:<host>.<start id>`: the host (a pod's name under
 * Kubernetes, the container id under Docker) and an id drawn at start. Counts are stored as sent,
 * the last write per series and timestamp winning, so each process's counts must be series of
 * their own: replicas must not overwrite each other, nor a restarted process the one before it.
 * One value per process start keeps the tag's cardinality at replicas × restarts.
 */
export function instanceTag(host: string = hostname(), startId: string = randomBytes(3).toString('hex')): string {
  return tag(INSTANCE_TAG_KEY, `${host}.${startId}`);
}
