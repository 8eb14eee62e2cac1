/**
 * The forwarder's wire format (submit/wire-format.ts) against Datadog's published contract: the
 * models of Datadog's official API client, as the test bed reads them.
 */
import { allowedEncodings, ENDPOINT_BY_PATH, ENDPOINT_MODELS } from '@algorithmia-datadog/testbed';
import { ENDPOINT_ENCODINGS, ENDPOINT_PATHS, MEDIA_TYPES, type Endpoint } from '../../../src/submit/wire-format';

describe("the forwarder's wire format is what Datadog's models list", () => {
  it.each(Object.keys(ENDPOINT_PATHS) as Endpoint[])('%s: its encodings and media type', (endpoint) => {
    const spec = ENDPOINT_BY_PATH[ENDPOINT_PATHS[endpoint]];
    expect([...ENDPOINT_ENCODINGS[endpoint]].sort()).toEqual(allowedEncodings(spec).sort());
    expect(MEDIA_TYPES[endpoint]).toBe(ENDPOINT_MODELS[spec].mediaType);
  });
});
