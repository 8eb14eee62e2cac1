import { isObject, Json, JsonObject, StackJson } from '../plan-summary/synth-output';

/** A difference between the cdktf and the cdktn synthesis of one stack. */
export interface Difference {
  stack: string;
  /** Terraform address (`datadog_monitor.algorithmia_monitor_risk_score`, `provider.datadog`, `terraform`), or `(stack)`. */
  address: string;
  /** Attribute path inside it (`options.thresholds.critical`, `tags[1]`), empty for the whole block. */
  attribute: string;
  cdktf: Json | undefined;
  cdktn: Json | undefined;
}

/** A version string (or an equivalent provider source) that is allowed to differ. */
export interface AllowedChange {
  stack: string;
  what: string;
  cdktf: Json | undefined;
  cdktn: Json | undefined;
}

export interface SynthComparison {
  differences: Difference[];
  allowedChanges: AllowedChange[];
  /** Resources and data sources compared, over all stacks. */
  resourceCount: number;
}

/**
 * The only places where the two syntheses may differ: the CDKTF/CDK Terrain version in the stack's
 * metadata and the provider version constraints; and a provider source may be spelled differently
 * when it names the same provider (`kubernetes` and `hashicorp/kubernetes` are both
 * registry.terraform.io/hashicorp/kubernetes). Anything else, including construct paths in `//`
 * metadata (they make the Terraform addresses), is a difference.
 */
function allowedChangeAt(path: readonly string[], before: Json | undefined, after: Json | undefined): string | undefined {
  if (path.length === 3 && path[0] === '//' && path[1] === 'metadata' && path[2] === 'version') return 'cdktf/cdktn version';
  if (path.length !== 4 || path[0] !== 'terraform' || path[1] !== 'required_providers') return undefined;
  if (path[3] === 'version') return `provider ${path[2]} version`;
  if (path[3] === 'source' && typeof before === 'string' && typeof after === 'string' && providerAddress(before) === providerAddress(after)) {
    return `provider ${path[2]} source (both ${providerAddress(before)})`;
  }
  return undefined;
}

/** Terraform's reading of a provider source: hostname and namespace default to the registry and `hashicorp`. */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) parts.unshift('hashicorp');
  if (parts.length === 2) parts.unshift('registry.terraform.io');
  return parts.join('/');
}

/** Compares every stack of two synth outputs (stack name -> cdk.tf.json), resource by resource. */
export function compareSynthOutputs(cdktf: Map<string, StackJson>, cdktn: Map<string, StackJson>): SynthComparison {
  const comparison: SynthComparison = { differences: [], allowedChanges: [], resourceCount: 0 };
  for (const stack of union(cdktf.keys(), cdktn.keys())) {
    const before = cdktf.get(stack);
    const after = cdktn.get(stack);
    if (!before || !after) {
      comparison.differences.push({ stack, address: '(stack)', attribute: '', cdktf: before ? 'present' : undefined, cdktn: after ? 'present' : undefined });
      continue;
    }
    comparison.resourceCount += countResources(before);
    compareValues(stack, [], before, after, comparison);
  }
  return comparison;
}

function compareValues(stack: string, path: string[], before: Json | undefined, after: Json | undefined, into: SynthComparison): void {
  const allowed = before === after ? undefined : allowedChangeAt(path, before, after);
  if (allowed !== undefined) {
    into.allowedChanges.push({ stack, what: allowed, cdktf: before, cdktn: after });
    return;
  }
  // Above the level of a Terraform address, a block missing on one side is reported address by address.
  const aboveAddress = path.length < addressDepth(path[0]) && (isObject(before) || isObject(after));
  if (aboveAddress || (isObject(before) && isObject(after))) {
    const a: JsonObject = isObject(before) ? before : {};
    const b: JsonObject = isObject(after) ? after : {};
    for (const key of union(Object.keys(a), Object.keys(b))) compareValues(stack, [...path, key], a[key], b[key], into);
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => compareValues(stack, [...path, `[${index}]`], item, after[index], into));
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    into.differences.push({ stack, ...locate(path), cdktf: before, cdktn: after });
  }
}

/** How many path segments make the address: `resource.<type>.<name>`, `provider.<name>`, `terraform`. */
function addressDepth(block: string | undefined): number {
  if (block === 'resource' || block === 'data') return 3;
  if (block === 'provider' || block === 'output' || block === 'variable' || block === 'module') return 2;
  return 1;
}

/** Splits a JSON path into the Terraform address and the attribute inside it. */
function locate(path: readonly string[]): { address: string; attribute: string } {
  const [block, type, name] = path;
  const depth = addressDepth(block);
  const address = block === 'resource' ? `${type}.${name}` : block === 'data' ? `data.${type}.${name}` : path.slice(0, depth).join('.');
  const attribute = path
    .slice(depth)
    .map((key, index) => (key.startsWith('[') || index === 0 ? key : `.${key}`))
    .join('');
  return { address, attribute };
}

function countResources(stack: StackJson): number {
  let count = 0;
  for (const block of ['resource', 'data'] as const) {
    const types = stack[block];
    if (isObject(types)) for (const byName of Object.values(types)) if (isObject(byName)) count += Object.keys(byName as JsonObject).length;
  }
  return count;
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * One line per difference: `algorithmia-prod: datadog_monitor.x: monitor_thresholds.critical: cdktf "0.9", cdktn "0.8"`,
 * or `algorithmia-prod: datadog_monitor.x: only in the cdktf synthesis` for a whole block.
 */
export function describeDifference({ stack, address, attribute, cdktf, cdktn }: Difference): string {
  const where = `${stack}: ${address}${attribute ? `: ${attribute}` : ''}`;
  if (cdktf === undefined || cdktn === undefined) return `${where}: only in the ${cdktf === undefined ? 'cdktn' : 'cdktf'} synthesis`;
  return `${where}: cdktf ${JSON.stringify(cdktf)}, cdktn ${JSON.stringify(cdktn)}`;
}
