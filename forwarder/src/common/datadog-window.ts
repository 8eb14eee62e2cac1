/**
 * Datadog's intake window for points is 1 hour back and 10 minutes ahead (datadog-api.md): the
 * translator drops points outside it, and a body retried after an outage leaves out the points
 * that aged past it meanwhile. The margin covers the time a point waits in a batch and clock skew
 * with the intake, so a point at the edge is counted as too old here rather than refused there.
 */
const WINDOW_MARGIN_SECONDS = 30;
export const MAX_POINT_AGE_SECONDS = 3600 - WINDOW_MARGIN_SECONDS;
export const MAX_POINT_LEAD_SECONDS = 600 - WINDOW_MARGIN_SECONDS;
