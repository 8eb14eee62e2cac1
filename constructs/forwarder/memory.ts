import { FORWARDER_SETTINGS, LAUNCHER_HEAP, SERIES_HEAP_BYTES, launcherNodeOptions } from '@algorithmia-datadog/metric-declaration';
import { ForwarderResourceQuantities } from './props';
import { problemAt, type PropProblem } from '../problems';

const POINTS = FORWARDER_SETTINGS.maxBufferedPoints;
const SERIES = FORWARDER_SETTINGS.maxSeries;
const NODE_OPTIONS = FORWARDER_SETTINGS.nodeOptions.env;

/**
 * Memory that follows the send buffer. The sizing (basis: docs/benchmarks.md and docs/kubernetes.md#sizing,
 * through the launcher's flags, launcherNodeOptions(), and the default 100 000 buffered points):
 *
 *   old space (heap) = 96 MiB + 128 bytes for each buffered point above 100 000
 *   young generation = 3 x semi-space (V8: two semi-spaces and the new large-object space) = 24 MiB
 *   request          = heap + young + 168 MiB  (full-rate peak RSS measured 282-299 MB on Node 26, the
 *                                               image's runtime, with one GC thread per JavaScript
 *                                               thread; records are decoded and request bodies
 *                                               encoded in two worker threads with heaps of their
 *                                               own: 288Mi by default)
 *   limit            = heap + young + 240 MiB  (room above that peak for a catch-up after an outage,
 *                                               316 MB after 5 minutes of Datadog down, and for a
 *                                               tag explosion: 360Mi by default)
 *
 * A buffered point holds 43 bytes of live heap (measured: its timestamp and value in a batch, and
 * its share of the message's offset-ledger entry; linear from 100 000 to 3 000 000 points); 128 is
 * three times that, so that a full buffer leaves V8 room to collect instead of thrashing. Node's
 * flags go in `FORWARDER_NODE_OPTIONS`, which the launcher uses instead of its defaults.
 *
 * Series known above the default FORWARDER_MAX_SERIES add SERIES_HEAP_BYTES.mainThread each to the
 * heap, and SERIES_HEAP_BYTES.decodeThread each to request and limit (the decode thread's heap,
 * whose limit the forwarder raises with the setting).
 */
export const DEFAULT_MAX_BUFFERED_POINTS = POINTS.default;
/** The launcher's heap for the default buffer. */
export const BASE_HEAP_MIB = LAUNCHER_HEAP.maxOldSpaceSizeMiB;
export const HEAP_BYTES_PER_BUFFERED_POINT = 128;
export const SEMI_SPACE_MIB = LAUNCHER_HEAP.maxSemiSpaceSizeMiB;
/** V8's own semi-space maximum on 64-bit, when FORWARDER_NODE_OPTIONS does not set one. */
const V8_DEFAULT_SEMI_SPACE_MIB = 16;
export const REQUEST_OVER_HEAP_MIB = 168;
export const LIMIT_OVER_HEAP_MIB = 240;
export const DEFAULT_CPU = { requests: '100m', limits: '1' } as const;

const MIB = 1024 * 1024;

/** Old-space MiB the forwarder needs for a send buffer of this many points and this many series. */
export function heapMiBFor(maxBufferedPoints: number, maxSeries: number = SERIES.default): number {
  const extraPoints = Math.max(0, maxBufferedPoints - DEFAULT_MAX_BUFFERED_POINTS);
  return (
    BASE_HEAP_MIB +
    Math.ceil((extraPoints * HEAP_BYTES_PER_BUFFERED_POINT) / MIB) +
    Math.ceil((extraSeries(maxSeries) * SERIES_HEAP_BYTES.mainThread) / MIB)
  );
}

/** MiB the decode thread's heap grows by for this many series (the default's is in the margins). */
function decodeThreadMiBFor(maxSeries: number): number {
  return Math.ceil((extraSeries(maxSeries) * SERIES_HEAP_BYTES.decodeThread) / MIB);
}

function extraSeries(maxSeries: number): number {
  return Math.max(0, maxSeries - SERIES.default);
}

export interface MemoryPlan {
  readonly maxBufferedPoints: number;
  /** `--max-old-space-size`, MiB. */
  readonly heapMiB: number;
  /** The value of FORWARDER_NODE_OPTIONS. */
  readonly nodeOptions: string;
  readonly resources: { readonly requests: ForwarderResourceQuantities; readonly limits: ForwarderResourceQuantities };
  readonly problems: readonly PropProblem[];
}

/** Sizes heap and resources from `env` and checks what the user set against that size. */
export function planMemory(
  env: Readonly<Record<string, string>>,
  resources: { readonly requests?: ForwarderResourceQuantities; readonly limits?: ForwarderResourceQuantities } = {},
): MemoryPlan {
  const problems: PropProblem[] = [];
  const maxBufferedPoints = readWholeNumber(POINTS, env[POINTS.env], problems);
  const maxSeries = readWholeNumber(SERIES, env[SERIES.env], problems);
  const neededHeapMiB = heapMiBFor(maxBufferedPoints, maxSeries);
  const pointsSetting =
    maxSeries === SERIES.default ? `${POINTS.env}=${maxBufferedPoints}` : `${POINTS.env}=${maxBufferedPoints}, ${SERIES.env}=${maxSeries}`;

  let heapMiB = neededHeapMiB;
  let semiSpaceMiB: number = SEMI_SPACE_MIB;
  let nodeOptions = launcherNodeOptions(neededHeapMiB);
  const userOptions = env[NODE_OPTIONS] as string | undefined;
  if (userOptions !== undefined) {
    const oldSpace = nodeFlag(userOptions, 'max-old-space-size');
    if (oldSpace === undefined) {
      problems.push(
        problemAt(
          ['env', NODE_OPTIONS],
          "replaces the launcher's heap flags, so it must give the heap: add " +
            `--max-old-space-size=${neededHeapMiB} (what ${pointsSetting} needs), or remove it to have it sized for you.`,
        ),
      );
    } else if (oldSpace < neededHeapMiB) {
      problems.push(
        problemAt(
          ['env', NODE_OPTIONS],
          `--max-old-space-size=${oldSpace} is below the ${neededHeapMiB} MiB that ${pointsSetting} needs: ` +
            'raise it, or remove it to have it sized for you.',
        ),
      );
    } else {
      heapMiB = oldSpace;
    }
    semiSpaceMiB = nodeFlag(userOptions, 'max-semi-space-size') ?? V8_DEFAULT_SEMI_SPACE_MIB;
    nodeOptions = userOptions;
  }

  const processMiB = heapMiB + 3 * semiSpaceMiB + decodeThreadMiBFor(maxSeries);
  const requestMiB = processMiB + REQUEST_OVER_HEAP_MIB;
  const sized = {
    requests: { cpu: DEFAULT_CPU.requests, memory: `${requestMiB}Mi`, ...resources.requests },
    limits: { cpu: DEFAULT_CPU.limits, memory: `${processMiB + LIMIT_OVER_HEAP_MIB}Mi`, ...resources.limits },
  };
  problems.push(...quantityProblems(sized));
  const limitBytes = memoryBytes(sized.limits.memory);
  const requestBytes = memoryBytes(sized.requests.memory);
  if (limitBytes !== undefined && limitBytes < requestMiB * MIB) {
    problems.push(
      problemAt(
        ['resources', 'limits', 'memory'],
        `"${sized.limits.memory}" cannot fit the forwarder: a ${heapMiB} MiB heap (${pointsSetting}) ` +
          `peaks near ${requestMiB}Mi at full rate, so the pod would be OOM-killed. Raise the limit to ${requestMiB}Mi or more ` +
          `(or remove it for the sized default), or lower ${POINTS.env}${maxSeries === SERIES.default ? '' : ` or ${SERIES.env}`}.`,
      ),
    );
  } else if (limitBytes !== undefined && requestBytes !== undefined && requestBytes > limitBytes) {
    problems.push(
      problemAt(
        ['resources', 'requests', 'memory'],
        `"${sized.requests.memory}" is above resources.limits.memory "${sized.limits.memory}": Kubernetes refuses such a pod.`,
      ),
    );
  }
  return { maxBufferedPoints, heapMiB, nodeOptions, resources: sized, problems };
}

function readWholeNumber(
  setting: { readonly env: string; readonly default: number; readonly min: number; readonly max: number },
  raw: string | undefined,
  problems: PropProblem[],
): number {
  if (raw === undefined) return setting.default;
  const { min, max } = setting;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    problems.push(
      problemAt(['env', setting.env], `"${raw}" must be a whole number from ${min} to ${max} (the forwarder would refuse it).`),
    );
    return setting.default;
  }
  return value;
}

/** The MiB value of a V8 flag such as `--max-old-space-size=512` (dashes or underscores). */
function nodeFlag(options: string, name: string): number | undefined {
  const pattern = new RegExp(`(?:^|\\s)--${name.replace(/-/g, '[-_]')}=(\\d+)(?=\\s|$)`);
  const match = pattern.exec(options);
  return match ? Number(match[1]) : undefined;
}

const CPU_QUANTITY = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY_QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
  Ti: 1024 * 1024 * MIB,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Bytes of a Kubernetes memory quantity, or undefined when it is not one. */
export function memoryBytes(quantity: string | undefined): number | undefined {
  const match = quantity === undefined ? null : MEMORY_QUANTITY.exec(quantity);
  return match ? Number(match[1]) * MEMORY_UNITS[match[2] ?? ''] : undefined;
}

function quantityProblems(resources: { requests: ForwarderResourceQuantities; limits: ForwarderResourceQuantities }): PropProblem[] {
  const problems: PropProblem[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const { cpu, memory } = resources[kind];
    if (cpu !== undefined && !CPU_QUANTITY.test(cpu))
      problems.push(problemAt(['resources', kind, 'cpu'], `"${cpu}" is not a CPU quantity such as "100m" or "1".`));
    if (memory !== undefined && !MEMORY_QUANTITY.test(memory))
      problems.push(problemAt(['resources', kind, 'memory'], `"${memory}" is not a memory quantity such as "160Mi" or "1Gi".`));
  }
  return problems;
}

/** The defaults, for the default buffer: requests 100m / 288Mi, limits 1 / 360Mi. */
export const DEFAULT_FORWARDER_RESOURCES = planMemory({}).resources;
