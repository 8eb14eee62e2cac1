/** Reading requests and writing answers, for the double's server. */
import http from 'node:http';

/** Reads the whole body; keeps at most `maxBytes` of it (body undefined when it was longer). */
export async function readBody(request: http.IncomingMessage, maxBytes: number): Promise<{ body: Buffer | undefined; wireBytes: number }> {
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      wireBytes += chunk.length;
      // Past the limit the rest is read and thrown away, so the client still gets its 413.
      if (wireBytes <= maxBytes) chunks.push(chunk);
    }
  } catch {
    // The client went away mid-body: nothing to answer; treat as an oversized/unusable body.
    return { body: undefined, wireBytes };
  }
  return { body: wireBytes <= maxBytes ? Buffer.concat(chunks, wireBytes) : undefined, wireBytes };
}

export function headerValue(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The API key of a metrics request: the DD-API-KEY header, else the `api_key` query parameter.
 * Datadog's spec documents both (apiKeyAuth and apiKeyAuthQuery, the latter deprecated but still
 * served), and Telegraf's Datadog output sends only the query parameter.
 */
export function requestApiKey(request: http.IncomingMessage): string | undefined {
  const header = headerValue(request, 'dd-api-key');
  if (header !== undefined) return header;
  const query = (request.url ?? '').split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('api_key') ?? undefined);
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export function statusText(status: number): string {
  return http.STATUS_CODES[status] ?? `HTTP ${status}`;
}
