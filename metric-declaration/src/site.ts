/**
 * Environment variables and Datadog sites, shared by the Terraform provider configuration and the
 * forwarder so that one set of variables configures both.
 */
import { closest } from './json-config';

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

/**
 * Why `value` is not a Datadog site, naming the site it probably means (`app.datadoghq.eu`, a URL
 * such as `https://api.datadoghq.eu`, a typo); undefined when it is a site.
 * @param hostSetting where a URL belongs instead, if anywhere (the forwarder's `DD_HOST`)
 */
export function siteProblem(value: string, hostSetting?: string): string | undefined {
  if (isDatadogSite(value)) return undefined;
  const quoted = JSON.stringify(value);
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? hostnameOf(value.trim()) : undefined;
  const host = (url ?? value).trim().toLowerCase().replace(/\/+$/, '');
  // The web app's and the API's host names are `app.<site>` and `api.<site>`.
  const bare = host.replace(/^(api|app)\./, '');
  const guess: DatadogSite | undefined = isDatadogSite(bare) ? bare : (closest(bare, DATADOG_SITES) as DatadogSite | undefined);
  const sites = `use one of ${DATADOG_SITES.join(', ')}`;
  if (url !== undefined) {
    const where = hostSetting ? ` A URL goes in ${hostSetting}${guess ? ` (${apiBaseUrlForSite(guess)})` : ''}.` : '';
    return `${quoted} is a URL, not a Datadog site: ${guess ? `did you mean ${guess}?` : `${sites}.`}${where}`;
  }
  return `${quoted} is not a Datadog site: ${guess ? `did you mean ${guess}?` : sites}`;
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
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
