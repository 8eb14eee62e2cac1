import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** Alive: the event loop answers and the consumer has not crashed for good. */
  live(): boolean;
  /** Ready: connected to Kafka and in a group, and Datadog not refusing us. */
  ready(): { ready: boolean; detail: Record<string, unknown> };
}

/** `/healthz`, `/readyz`, `/metrics` on one port, for Kubernetes probes and Prometheus. */
export class HealthServer {
  private server: Server | undefined;

  constructor(
    private readonly checks: HealthChecks,
    private readonly registry: Registry,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET') {
        response.writeHead(405).end();
      } else if (path === '/healthz') {
        const live = this.checks.live();
        response.writeHead(live ? 200 : 503, { 'Content-Type': 'text/plain' }).end(live ? 'ok\n' : 'not live\n');
      } else if (path === '/readyz') {
        const { ready, detail } = this.checks.ready();
        response.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ready, ...detail }));
      } else if (path === '/metrics') {
        this.registry.metrics().then(
          (text) => response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
      } else {
        response.writeHead(404).end();
      }
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
