import { expect, it } from 'vitest';

it('the suite runs on Node.js 24, the Cloud Functions runtime, whatever the system node is', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
});
