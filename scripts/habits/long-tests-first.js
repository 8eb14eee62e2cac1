/**
 * Jest's test order for a checkout without jest's cache (every CI run is a fresh clone): jest then
 * orders files by size, so a short file that runs for minutes (the outage demo's timeline) starts
 * last and the run waits for it alone. These files start first; the rest keep jest's order, which
 * on a warm cache is by recorded duration anyway.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Paths that end so, longest first (their wall time in a CI run, seconds). */
const LONG_RUNNING = [
  '/__tests__/scripts/demo-outages.test.ts', // ~240: a three-minute timeline with broker and forwarder
  '/__tests__/docs/snippets.test.ts', // ~90: every command of the docs
  '/__tests__/scripts/demo.test.ts', // ~20
  '/test/integration/drills.test.ts', // ~36: kill -9 cycles and a rebalance
];

class LongTestsFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = LONG_RUNNING.findIndex((suffix) => test.path.endsWith(suffix));
      return index === -1 ? LONG_RUNNING.length : index;
    };
    const ordered = super.sort(tests);
    // Array.prototype.sort is stable: within a rank, jest's own order stays.
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongTestsFirst;
