import path from 'node:path';

/** The repository the test bed lives in: scripts/kafka.sh, the forwarder package. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
