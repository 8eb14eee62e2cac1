import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { formatThreshold } from '../metric-query';
import { INTEGRATION_TAG, monitorMessage } from '../monitors/monitor-resource';
import { addProblems, problemAt } from '../problems';
import { duplicateProblems, notificationHandleProblems, tagProblems } from '../validation';
import { budgetDays, type SloTimeframe } from './slo-rules';

export interface BurnRateAlertProps {
  /** The SLO's id: the SLO resource's `id`, never pasted, so Terraform creates the SLO first. */
  readonly sloId: string;
  /** Named in the default message. */
  readonly sloName: string;
  /** The SLO timeframe whose budget is measured (the query's `over`). */
  readonly timeframe: SloTimeframe;
  /** Alerts above this burn rate, measured over both windows. */
  readonly burnRate: number;
  /** @default no warning */
  readonly warning?: number;
  /** e.g. `1h` */
  readonly longWindow: string;
  /** e.g. `5m` */
  readonly shortWindow: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** @default a sentence naming the SLO, the burn rate and how long the budget lasts at that rate */
  readonly message?: string;
  /** @default none */
  readonly notificationHandles?: readonly string[];
  /** @default ['integration:algorithmia'] */
  readonly tags?: readonly string[];
}

/**
 * A multi-window burn-rate alert, a `slo alert` monitor:
 * `burn_rate("<slo id>").over("30d").long_window("1h").short_window("5m") > 14.4`. It fires when
 * the budget burns that fast over both windows: the long one makes it significant, the short one
 * says it is still going on. The rules (windows, the largest burn rate a target allows) are checked
 * by the SLO that makes it (slo-rules.ts), which knows the targets.
 */
export class BurnRateAlert extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: BurnRateAlertProps) {
    super(scope, id);
    const tags = props.tags ?? [INTEGRATION_TAG];
    const handles = props.notificationHandles ?? [];
    addProblems(this, [
      ...(props.name.trim() === '' ? [problemAt(['name'], 'is empty: give the alert a name to show in Datadog.')] : []),
      ...notificationHandleProblems(['notificationHandles'], handles),
      ...tagProblems(['tags'], tags),
      ...duplicateProblems(['tags'], tags, 'tag'),
    ]);
    const burn = formatThreshold(props.burnRate);
    this.query =
      `burn_rate("${props.sloId}").over("${props.timeframe}")` +
      `.long_window("${props.longWindow}").short_window("${props.shortWindow}") > ${burn}`;
    const days = budgetDays(props.timeframe, props.burnRate);
    const lasts = days >= 2 ? `${Math.round(days * 10) / 10} days` : `${Math.round(days * 24 * 10) / 10} hours`;
    const message =
      props.message ??
      `The SLO "${props.sloName}" is burning its ${props.timeframe} error budget more than ${burn} times as fast as it may, ` +
        `over the last ${props.longWindow} and the last ${props.shortWindow}: at this rate the whole budget is gone in ${lasts}.`;
    this.monitor = new Monitor(this, 'Default', {
      name: props.name,
      type: 'slo alert',
      query: this.query,
      message: monitorMessage(message, [], handles),
      monitorThresholds: {
        critical: burn,
        ...(props.warning !== undefined ? { warning: formatThreshold(props.warning) } : {}),
      },
      includeTags: true,
      tags: [...tags],
    });
    this.monitorId = this.monitor.id;
  }
}
