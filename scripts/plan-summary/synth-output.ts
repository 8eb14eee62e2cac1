import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One synthesized stack: the parsed cdk.tf.json. */
export type StackJson = JsonObject;

/**
 * Reads a `cdktf synth` output directory (the `cdktf.out` folder, or its `stacks` folder) into
 * stack name → parsed cdk.tf.json, sorted by name. A directory without stacks gives an empty map
 * (e.g. the base of the pull request that adds the first stack); a path that does not exist is an
 * error, so that a typo in a pipeline does not report every resource as new.
 */
export function readSynthOutput(dir: string): Map<string, StackJson> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`${dir} is not a directory: give the cdktf.out folder written by \`cdktf synth\` (or its stacks/ folder).`);
  }
  const stacksDir = existsSync(join(dir, 'stacks')) ? join(dir, 'stacks') : dir;
  const stacks = new Map<string, StackJson>();
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file} is not a Terraform JSON object`);
    stacks.set(name, json as StackJson);
  }
  return stacks;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value without cdktf's `//` metadata (construct paths), which says nothing about Datadog. */
export function withoutMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const key of Object.keys(value)) if (key !== '//') result[key] = withoutMetadata(value[key]);
  return result;
}

/** Structural equality with key order ignored. */
export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return canonical(a) === canonical(b);
}

export function canonical(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Leaf paths → values, e.g. `options.thresholds.critical` → "10000", `tags[1]` → "env:prod". */
export function flatten(value: Json | undefined, prefix = '', into = new Map<string, Json>()): Map<string, Json> {
  if (value === undefined) return into;
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(prefix, []);
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, into));
  } else if (isObject(value)) {
    const keys = Object.keys(value).filter((key) => key !== '//');
    if (keys.length === 0 && prefix) into.set(prefix, {});
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}
