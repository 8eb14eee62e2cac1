import { ENDPOINT_PATHS } from '../submit/wire-format';
import type { SubmitObserver } from '../submit/submitter';
import type { OncePerKind } from './logger';
import type { ForwarderMetrics } from './metrics';

/** The submitter's reports as metrics and log lines; `onStatus` gets each request's outcome. */
export function meteredSubmitObserver(metrics: ForwarderMetrics, logOnce: OncePerKind, onStatus: (status: string) => void): SubmitObserver {
  return {
    request: (endpoint, status, seconds, bytes, points) => {
      onStatus(status);
      metrics.requests.labels(endpoint, status).inc();
      metrics.requestDuration.labels(endpoint).observe(seconds);
      metrics.requestBytes.labels(endpoint).inc(bytes);
      metrics.batchPoints.observe(points);
    },
    retry: (endpoint, reason, delayMs) => {
      metrics.retries.labels(endpoint, reason).inc();
      logOnce.warn(`retry:${reason}`, { endpoint, reason, delayMs }, 'Datadog request failed, retrying with backoff');
    },
    rejected: (endpoint, status, detail, points) => {
      metrics.pointsRejected.labels(endpoint, String(status)).inc(points);
      logOnce.error(
        `rejected:${endpoint}:${status}`,
        { endpoint: ENDPOINT_PATHS[endpoint], status, detail, points },
        'Datadog refused a request body, which sending again cannot fix: its points are dropped, its messages committed, the rest keeps flowing',
      );
    },
  };
}
