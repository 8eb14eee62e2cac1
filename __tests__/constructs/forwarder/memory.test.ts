import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FORWARDER_RESOURCES, heapMiBFor, planMemory } from '../../../constructs';
import { container, envOf, forwarderError, synthForwarder } from '../../helpers/forwarder';

describe('ForwarderDeployment memory', () => {
  it('requests what the documented full-rate peak needs by default, with the launcher heap flags', () => {
    const synthesized = synthForwarder();
    expect(container(synthesized).resources).toEqual({ requests: { cpu: '100m', memory: '288Mi' }, limits: { cpu: '1', memory: '360Mi' } });
    expect(envOf(synthesized).FORWARDER_NODE_OPTIONS).toBe('--max-old-space-size=96 --max-semi-space-size=8 --single-threaded-gc');
    expect(DEFAULT_FORWARDER_RESOURCES).toEqual({ requests: { cpu: '100m', memory: '288Mi' }, limits: { cpu: '1', memory: '360Mi' } });
  });

  it('raises the heap and the memory with FORWARDER_MAX_BUFFERED_POINTS', () => {
    // 400 000 extra points at 128 bytes: 49 MiB more heap.
    expect(heapMiBFor(500_000)).toBe(96 + 49);
    const synthesized = synthForwarder({ env: { FORWARDER_MAX_BUFFERED_POINTS: '500000' } });
    expect(envOf(synthesized)).toMatchObject({
      FORWARDER_MAX_BUFFERED_POINTS: '500000',
      FORWARDER_NODE_OPTIONS: '--max-old-space-size=145 --max-semi-space-size=8 --single-threaded-gc',
    });
    expect(container(synthesized).resources).toEqual({ requests: { cpu: '100m', memory: '337Mi' }, limits: { cpu: '1', memory: '409Mi' } });
    // A smaller buffer keeps the default heap: the rest of the process needs it.
    expect(heapMiBFor(10_000)).toBe(96);
  });

  it("raises the heap by the main thread's table and the memory by the decode thread's too with FORWARDER_MAX_SERIES", () => {
    // 80 000 series above the default 20 000: 1 536 bytes each in the heap (118 MiB), 640 in the decode thread (49 MiB).
    expect(heapMiBFor(100_000, 100_000)).toBe(96 + 118);
    const synthesized = synthForwarder({ env: { FORWARDER_MAX_SERIES: '100000' } });
    expect(envOf(synthesized).FORWARDER_NODE_OPTIONS).toBe('--max-old-space-size=214 --max-semi-space-size=8 --single-threaded-gc');
    expect(container(synthesized).resources).toEqual({
      requests: { cpu: '100m', memory: `${214 + 24 + 49 + 168}Mi` },
      limits: { cpu: '1', memory: `${214 + 24 + 49 + 240}Mi` },
    });
    // Fewer series than the default keep the default sizing: the margins hold the default's.
    expect(container(synthForwarder({ env: { FORWARDER_MAX_SERIES: '1000' } })).resources).toEqual(DEFAULT_FORWARDER_RESOURCES);
    expect(forwarderError({ env: { FORWARDER_MAX_SERIES: 'lots' } })).toMatch(
      /env\.FORWARDER_MAX_SERIES "lots" must be a whole number from 1000 to 2000000/,
    );
    expect(forwarderError({ env: { FORWARDER_MAX_SERIES: '100000' }, resources: { limits: { memory: '360Mi' } } })).toMatch(
      /a 214 MiB heap \(FORWARDER_MAX_BUFFERED_POINTS=100000, FORWARDER_MAX_SERIES=100000\) peaks near 455Mi.*or lower FORWARDER_MAX_BUFFERED_POINTS or FORWARDER_MAX_SERIES\./,
    );
  });

  it('sizes the memory from a heap given in FORWARDER_NODE_OPTIONS, and refuses one too small for the buffer', () => {
    const synthesized = synthForwarder({
      env: { FORWARDER_NODE_OPTIONS: '--max-old-space-size=512 --max-semi-space-size=16 --enable-source-maps' },
    });
    expect(envOf(synthesized).FORWARDER_NODE_OPTIONS).toBe('--max-old-space-size=512 --max-semi-space-size=16 --enable-source-maps');
    expect(container(synthesized).resources.requests.memory).toBe(`${512 + 48 + 168}Mi`);
    expect(container(synthesized).resources.limits.memory).toBe(`${512 + 48 + 240}Mi`);
    expect(
      forwarderError({ env: { FORWARDER_MAX_BUFFERED_POINTS: '1000000', FORWARDER_NODE_OPTIONS: '--max-old-space-size=128' } }),
    ).toMatch(/env\.FORWARDER_NODE_OPTIONS --max-old-space-size=128 is below the 206 MiB that FORWARDER_MAX_BUFFERED_POINTS=1000000 needs/);
    expect(forwarderError({ env: { FORWARDER_NODE_OPTIONS: '--enable-source-maps' } })).toMatch(
      /env\.FORWARDER_NODE_OPTIONS replaces the launcher's heap flags, so it must give the heap: add --max-old-space-size=96/,
    );
  });

  it('refuses a memory limit the heap cannot fit in, and a request above the limit', () => {
    expect(forwarderError({ resources: { limits: { memory: '128Mi' } } })).toMatch(
      /resources\.limits\.memory "128Mi" cannot fit the forwarder: a 96 MiB heap \(FORWARDER_MAX_BUFFERED_POINTS=100000\) peaks near 288Mi.*Raise the limit to 288Mi/,
    );
    expect(forwarderError({ env: { FORWARDER_MAX_BUFFERED_POINTS: '1000000' }, resources: { limits: { memory: '256Mi' } } })).toMatch(
      /resources\.limits\.memory "256Mi" cannot fit the forwarder: a 206 MiB heap \(FORWARDER_MAX_BUFFERED_POINTS=1000000\) peaks near 398Mi/,
    );
    expect(forwarderError({ resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } })).toMatch(
      /resources\.requests\.memory "1Gi" is above resources\.limits\.memory "512Mi"/,
    );
    expect(container(synthForwarder({ resources: { requests: { memory: '128Mi' }, limits: { memory: '0.5Gi' } } })).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '0.5Gi' },
    });
  });

  it('refuses a buffer size the forwarder would refuse', () => {
    expect(forwarderError({ env: { FORWARDER_MAX_BUFFERED_POINTS: 'lots' } })).toMatch(
      /env\.FORWARDER_MAX_BUFFERED_POINTS "lots" must be a whole number from 1000 to 50000000/,
    );
    expect(forwarderError({ env: { FORWARDER_MAX_BUFFERED_POINTS: '10' } })).toMatch(/env\.FORWARDER_MAX_BUFFERED_POINTS "10"/);
    expect(planMemory({ FORWARDER_MAX_BUFFERED_POINTS: '50000001' }).problems).toHaveLength(1);
  });

  it('names bad quantities', () => {
    expect(forwarderError({ resources: { requests: { memory: '128 MB', cpu: 'two' } } })).toMatch(
      /resources\.requests\.memory "128 MB" is not a memory quantity/,
    );
    expect(forwarderError({ resources: { requests: { cpu: 'two' } } })).toMatch(/resources\.requests\.cpu "two" is not a CPU quantity/);
  });
});

describe('docs/kubernetes.md sizing table', () => {
  it('matches the sizing the construct does', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'kubernetes.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| ([\d ]+?)(?: \(default\) or less)? \| `([^`]+)` \| `(\d+Mi)` \| `(\d+Mi)` \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const [, points, nodeOptions, request, limit] of rows) {
      const plan = planMemory({ FORWARDER_MAX_BUFFERED_POINTS: points.replace(/ /g, '') });
      expect({ nodeOptions: plan.nodeOptions, request: plan.resources.requests.memory, limit: plan.resources.limits.memory }).toEqual({
        nodeOptions,
        request,
        limit,
      });
    }
  });
});
