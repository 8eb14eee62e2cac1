/** /_double/* routes: the double's controls over HTTP, for a double running in another process (the CLI). */
import type http from 'node:http';
import type { DatadogDouble } from './datadog-double';
import { sendJson } from './http';

export function handleControl(double: DatadogDouble, request: http.IncomingMessage, response: http.ServerResponse, path: string): void {
  const query = new URL(request.url ?? '/', 'http://double').searchParams;
  const number = (name: string, fallback: number): number => (query.has(name) ? Number(query.get(name)) : fallback);
  try {
    switch (path) {
      case '/_double/stats':
        sendJson(response, 200, double.stats());
        return;
      case '/_double/down':
        double.goDown(number('status', 503));
        break;
      case '/_double/up':
        double.comeBack();
        break;
      case '/_double/fail':
        double.failNext(number('count', 1), number('status', 500));
        break;
      case '/_double/rate-limit':
        double.rateLimitNext(number('count', 1), { resetSeconds: number('reset', 1) });
        break;
      case '/_double/delay':
        double.delayNext(number('count', 1), number('ms', 1000));
        break;
      case '/_double/drop':
        double.dropNext(number('count', 1), { afterAccept: query.get('afterAccept') === 'true' });
        break;
      case '/_double/behave':
        double.behave();
        break;
      case '/_double/clear':
        double.clear();
        break;
      default:
        sendJson(response, 404, { errors: [`no such control: ${path}`] });
        return;
    }
    sendJson(response, 200, { ok: true });
  } catch (error) {
    sendJson(response, 400, { errors: [(error as Error).message] });
  }
}
