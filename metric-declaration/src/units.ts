/**
 * Units Datadog accepts in metric metadata (docs.datadoghq.com/metrics/units). A unit outside this
 * list makes the metadata PUT fail at apply time, so we refuse it at synth time instead.
 */
// Grouped by family, several to a line, like the Datadog units page.
// prettier-ignore
export const DATADOG_UNITS: ReadonlySet<string> = new Set([
  // bytes
  'bit', 'byte', 'kibibyte', 'mebibyte', 'gibibyte', 'tebibyte', 'pebibyte', 'exbibyte',
  'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte', 'exabyte',
  'kilobit', 'megabit', 'gigabit', 'terabit', 'petabit', 'exabit',
  // time
  'nanosecond', 'microsecond', 'millisecond', 'second', 'minute', 'hour', 'day', 'week',
  // percentage
  'percent_nano', 'percent', 'apdex', 'fraction',
  // network
  'connection', 'request', 'packet', 'segment', 'response', 'message', 'payload', 'timeout',
  'datagram', 'route', 'session', 'hop',
  // system
  'process', 'thread', 'host', 'node', 'fault', 'service', 'instance', 'cpu',
  // disk
  'file', 'inode', 'sector', 'block',
  // general
  'buffer', 'error', 'read', 'write', 'occurrence', 'event', 'time', 'unit', 'operation', 'item',
  'task', 'worker', 'resource', 'garbage collection', 'email', 'sample', 'stage', 'monitor',
  'location', 'check', 'attempt', 'device', 'update', 'method', 'job', 'container', 'execution',
  'throttle', 'invocation', 'user', 'success', 'build', 'prediction', 'exception', 'step',
  // database
  'table', 'index', 'lock', 'transaction', 'query', 'row', 'key', 'command', 'offset', 'record',
  'object', 'cursor', 'assertion', 'scan', 'document', 'shard', 'flush', 'merge', 'refresh',
  'fetch', 'column', 'commit', 'wait', 'ticket', 'question',
  // cache
  'hit', 'miss', 'eviction', 'get', 'set',
  // money
  'dollar', 'cent', 'microdollar', 'euro', 'pound', 'penny', 'yen',
  // memory
  'page', 'split',
  // frequency
  'hertz', 'kilohertz', 'megahertz', 'gigahertz',
  // logging
  'entry',
  // temperature
  'decidegree celsius', 'degree celsius', 'degree fahrenheit',
  // cpu
  'nanocore', 'microcore', 'millicore', 'core', 'kilocore', 'megacore', 'gigacore', 'teracore',
  'petacore', 'exacore',
  // power and energy
  'nanowatt', 'microwatt', 'milliwatt', 'deciwatt', 'watt', 'kilowatt', 'megawatt', 'gigawatt',
  'terrawatt', 'watt hour', 'kilowatt hour',
  // electricity and pressure
  'milliampere', 'ampere', 'millivolt', 'volt', 'ohm', 'pascal',
  // apm and ml
  'span', 'token', 'character', 'word', 'line', 'point',
]);

/** Why a unit would be refused, with a hint, or undefined when Datadog knows it. */
export function unitProblem(unit: string): string | undefined {
  if (DATADOG_UNITS.has(unit)) return undefined;
  const singular = unit.replace(/e?s$/, '');
  if (DATADOG_UNITS.has(singular)) return `Datadog units are singular: use "${singular}"`;
  if (DATADOG_UNITS.has(unit.toLowerCase())) return `Datadog units are lower case: use "${unit.toLowerCase()}"`;
  return 'it is not one of the units Datadog knows (https://docs.datadoghq.com/metrics/units/)';
}

/** The range of values a unit implies, for the units that have one. */
export interface UnitBounds {
  readonly min: number;
  readonly max: number;
}

const BOUNDED_UNITS: Readonly<Record<string, UnitBounds>> = {
  fraction: { min: 0, max: 1 },
  apdex: { min: 0, max: 1 },
  percent: { min: 0, max: 100 },
};

/** A fraction or an Apdex score lies in 0..1, a percentage in 0..100; other units say nothing of the range. */
export function unitBounds(unit: string | undefined): UnitBounds | undefined {
  return unit === undefined ? undefined : BOUNDED_UNITS[unit];
}
