// Jest's own order (failed first, then slowest first), with the cross-service tests in e2e/ last.
// Why: the services' Kafka consumer groups have fixed names whatever the topic prefix, so two runs
// of the same service at once (e2e/ and infra/test/platform.e2e.test.ts) split each other's
// partitions. infra's platform test, the slowest, starts first; by the time e2e/ starts it is done.
// Remove once the services name their consumer groups per topic prefix.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const isE2e = (test) => path.relative(test.context.config.rootDir, test.path).split(path.sep)[0] === 'e2e';

class E2eLast extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((t) => !isE2e(t)), ...sorted.filter(isE2e)];
  }
}

module.exports = E2eLast;
