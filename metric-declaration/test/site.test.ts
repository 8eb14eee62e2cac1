import { apiBaseUrlForSite, appBaseUrlForSite, isDatadogSite, siteProblem } from '../src';

describe('siteProblem', () => {
  it('accepts a site', () => {
    expect(siteProblem('datadoghq.eu')).toBeUndefined();
    expect(isDatadogSite('us5.datadoghq.com')).toBe(true);
  });

  it.each([
    ['app.datadoghq.eu', '"app.datadoghq.eu" is not a Datadog site: did you mean datadoghq.eu?'],
    ['api.us3.datadoghq.com', '"api.us3.datadoghq.com" is not a Datadog site: did you mean us3.datadoghq.com?'],
    ['DatadogHQ.EU', '"DatadogHQ.EU" is not a Datadog site: did you mean datadoghq.eu?'],
    ['datadoghq.ue', '"datadoghq.ue" is not a Datadog site: did you mean datadoghq.eu?'],
  ])('names the site %p probably means', (value, message) => {
    expect(siteProblem(value)).toBe(message);
  });

  it('lists the sites when nothing is close', () => {
    expect(siteProblem('example.org')).toMatch(/^"example\.org" is not a Datadog site: use one of datadoghq\.com, .*, ddog-gov\.com$/);
  });

  it('says a URL is one, and where a URL goes when the caller has a setting for it', () => {
    expect(siteProblem('https://api.datadoghq.eu/', 'DD_HOST')).toBe(
      '"https://api.datadoghq.eu/" is a URL, not a Datadog site: did you mean datadoghq.eu? A URL goes in DD_HOST (https://api.datadoghq.eu).',
    );
    expect(siteProblem('https://app.datadoghq.com')).toBe(
      '"https://app.datadoghq.com" is a URL, not a Datadog site: did you mean datadoghq.com?',
    );
    expect(siteProblem('https://proxy.example.org', 'DD_HOST')).toMatch(
      /is a URL, not a Datadog site: use one of .*\. A URL goes in DD_HOST\.$/,
    );
  });

  it('gives the API and web app addresses of a site', () => {
    expect(apiBaseUrlForSite('datadoghq.eu')).toBe('https://api.datadoghq.eu');
    expect(appBaseUrlForSite('datadoghq.eu')).toBe('https://app.datadoghq.eu');
    expect(appBaseUrlForSite('us3.datadoghq.com')).toBe('https://us3.datadoghq.com');
  });
});
