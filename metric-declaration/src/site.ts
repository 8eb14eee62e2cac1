/**
 * Environment variables and Datadog sites, shared by the Terraform provider configuration and the
 * forwarder so that one set of variables configures both.
 */

export const DATADOG_ENV = {
  apiKey: 'DD_API_KEY',
  appKey: 'DD_APP_KEY',
  site: 'DD_SITE',
  host: 'DD_HOST',
} as const;

export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'ddog-gov.com',
] as const;

export type DatadogSite = (typeof DATADOG_SITES)[number];

export const DEFAULT_SITE: DatadogSite = 'datadoghq.com';

export function isDatadogSite(value: string): value is DatadogSite {
  return (DATADOG_SITES as readonly string[]).includes(value);
}

/** `https://api.datadoghq.eu` for `datadoghq.eu`. */
export function apiBaseUrlForSite(site: DatadogSite): string {
  return `https://api.${site}`;
}

/**
 * The web app of a site, for links to dashboards and monitors: `https://app.datadoghq.eu` for
 * `datadoghq.eu`; regional sites named `<region>.datadoghq.com` are served at their own name
 * (`https://us3.datadoghq.com`).
 */
export function appBaseUrlForSite(site: DatadogSite): string {
  return /^[a-z]+[0-9]\.datadoghq\.com$/.test(site) ? `https://${site}` : `https://app.${site}`;
}
