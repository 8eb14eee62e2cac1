/**
 * The few JSON Schema shapes the config definitions need beyond TypeBox's builders, so that the
 * generated schema keeps the keywords the problem messages are written for (`enum`, `errorMessage`).
 */
import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** Extra words a value's schema carries for the user (metric-declaration/src/json-config.ts shows them). */
export interface HintOptions extends SchemaOptions {
  /** The sentence shown for a value that fails `pattern`, `minimum` and the like. */
  readonly errorMessage?: string;
}

/** One of fixed values, as a JSON Schema `enum` (a union of literals would be an `anyOf`, reported less clearly). */
export function Enum<const T extends string | number | boolean>(values: readonly T[], options: SchemaOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ enum: [...values], ...options });
}

/**
 * An object of user-chosen keys (environment names, metric keys), each holding a `value`: written as
 * `additionalProperties`, which editors and the problem messages read best (TypeBox's Record would
 * be a `patternProperties`).
 */
export function KeyedBy<T extends TSchema>(
  value: T,
  options: HintOptions & Record<string, unknown> = {},
): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', ...options, additionalProperties: value });
}

/** The `$comment` key users may put in any object of the file. */
export const Comment = Type.Optional(Type.String());

/** A JSON Schema the builders cannot express (if/then rules), with the type it validates. */
export function Raw<T>(schema: Record<string, unknown>): TUnsafe<T> {
  return Type.Unsafe<T>(schema);
}

/** Keys a reader looks for first in a schema; the rest keep their order. */
const LEADING_KEYS = ['$schema', 'title', 'type', 'enum', 'required'];

/** Plain JSON of a schema built here, `type` first as people write it: the committed `.schema.json` files. */
export function toJson(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    // A `properties` object lists settings in the order editors show them: keep it.
    if (key === 'properties' || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const entries = Object.entries(value);
    const rank = (key: string) => (LEADING_KEYS.includes(key) ? LEADING_KEYS.indexOf(key) : LEADING_KEYS.length);
    return Object.fromEntries(
      entries
        .map((entry, index) => [entry, index] as const)
        .sort(([a, i], [b, j]) => rank(a[0]) - rank(b[0]) || i - j)
        .map(([entry]) => entry),
    );
  });
}
