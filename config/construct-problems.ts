import { IConstruct } from 'constructs';
import { ConfigProblem } from '@algorithmia-datadog/metric-declaration';
import { INTEGRATION_TAG } from '../constructs/monitors/metric-monitor';
import { modelMonitorSetting } from '../constructs/monitors/model-monitors';
import type { EnvironmentSettings } from './environments';

/**
 * The constructs check what settings mean (warning below critical, valid tags...) and name the
 * prop at fault (`warning`, `tags[1]`). This turns those problems into problems at the key of
 * config/environments.json that set the prop, so that the user is told which line to change and
 * an environment-level value inherited by three monitors is reported once, not three times.
 */
export function constructProblems(environment: EnvironmentSettings, stack: IConstruct): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const construct of stack.node.findAll()) {
    const messages = construct.node.validate();
    if (messages.length === 0) continue;
    const relativePath = construct.node.path.split('/').slice(stack.node.path.split('/').length);
    for (const message of messages) problems.push(locate(environment, relativePath, message));
  }
  return problems;
}

/** Where a prop of a construct came from: `settings` is the config object that could set it. */
interface PropSource {
  readonly base: string[];
  /** The settings object of the file that feeds this construct's props, as read. */
  readonly settings: Record<string, unknown>;
  /** Props that fall back to the environment's value when the object does not set them. */
  readonly inherited: readonly string[];
}

function locate(environment: EnvironmentSettings, relativePath: readonly string[], message: string): ConfigProblem {
  const root = ['environments', environment.name];
  const integration = environment.integration;
  const source = sourceOf(environment, relativePath);
  const setting = /^([A-Za-z][A-Za-z0-9]*)(\[(\d+)\])?([.\w[\]]*)/.exec(message);
  if (!source || !setting) {
    return { path: joinPath(root), segments: root, message: `(${relativePath.join('/') || 'stack'}) ${message}` };
  }
  const [token, prop, , index, rest] = setting;
  const own = source.settings[prop] !== undefined;
  let segments = [...(own || !source.inherited.includes(prop) ? source.base : root), prop];
  let position = index === undefined ? undefined : Number(index);
  // Monitor tags are integration:algorithmia, then the environment's, then the monitor's own.
  if (prop === 'tags' && position !== undefined && relativePath[0] === 'algorithmia') {
    const environmentTags = (integration.tags ?? []).filter((tag) => tag !== INTEGRATION_TAG);
    if (position > environmentTags.length) {
      segments = [...source.base, 'tags'];
      position -= 1 + environmentTags.length;
    } else {
      segments = [...root, 'tags'];
      position = (integration.tags ?? []).indexOf(environmentTags[position - 1]);
    }
  } else if (prop === 'tags' && relativePath[0] === 'algorithmia' && index === undefined && !own) {
    segments = [...root, 'tags'];
  }
  if (position !== undefined) segments.push(String(position));
  const restSegments = rest.split(/[.[\]]+/).filter((segment) => segment !== '');
  segments.push(...restSegments);
  const remainder = message.slice(token.length);
  return { path: joinPath(segments), segments, message: remainder.startsWith(':') ? remainder : remainder.trimStart() };
}

function sourceOf(environment: EnvironmentSettings, relativePath: readonly string[]): PropSource | undefined {
  const root = ['environments', environment.name];
  const integration = environment.integration;
  const inherited = ['scope', 'notificationHandles', 'tags'];
  const [first, second] = relativePath;
  if (first === 'algorithmia' && second === 'duration_monitor') {
    return { base: [...root, 'durationMonitor'], settings: { ...integration.durationMonitor }, inherited };
  }
  if (first === 'algorithmia' && second?.startsWith('monitor_')) {
    const key = second.slice('monitor_'.length);
    return { base: [...root, 'inferenceMonitors', key], settings: { ...integration.inferenceMonitors?.[key] }, inherited };
  }
  const modelMonitor = first === 'algorithmia' && second !== undefined ? modelMonitorSetting(second) : undefined;
  if (modelMonitor) {
    const settings = integration[modelMonitor.kind]?.[modelMonitor.key];
    return { base: [...root, modelMonitor.kind, modelMonitor.key], settings: { ...settings }, inherited };
  }
  if (first === 'algorithmia' && (second === undefined || second === 'dashboard')) {
    return { base: root, settings: { ...integration }, inherited: [] };
  }
  if (first === 'forwarder') {
    const forwarder = environment.forwarder;
    // The forwarder's tags are the environment's very list when the section sets none.
    return {
      base: [...root, 'forwarder'],
      settings: { ...forwarder, tags: forwarder?.tags === integration.tags ? undefined : forwarder?.tags },
      inherited: ['tags'],
    };
  }
  return undefined;
}

/** `environments.prod.tags[0]` from key segments (numbers are list positions). */
export function joinPath(segments: readonly string[]): string {
  return segments.reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`),
    '',
  );
}
