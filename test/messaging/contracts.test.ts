import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { isQueue, isTopic, parseMessage, queues, topics, type MessageName } from '../../shared/messaging/contracts.js';

const valid: Record<MessageName, Record<string, unknown>> = {
  'run.requested': { runId: randomUUID(), jobId: randomUUID(), userId: 'user-1', operationId: randomUUID(), trigger: 'automation', automationRunId: randomUUID() },
  'run.completed': { runId: randomUUID(), jobId: randomUUID(), userId: 'user-1', status: 'partially_completed' },
  'export.requested': { exportId: randomUUID() },
  'drive.import.requested': { connectorJobId: randomUUID() },
  'gmail.import.requested': { connectorJobId: randomUUID() },
  'gmail.notification': { emailAddress: 'ann@example.com', historyId: '100042' },
  extraction: { taskId: randomUUID(), runId: randomUUID() },
  webhook: { deliveryId: 'msg_2Lk9aP0xQvB7cR4dT1eF6gH3' },
};

function rejection(name: MessageName, data: unknown): PermanentError {
  try {
    parseMessage(name, data);
  } catch (error) {
    expect(error).toBeInstanceOf(PermanentError);
    return error as PermanentError;
  }
  throw new Error(`parseMessage accepted ${JSON.stringify(data)}`);
}

describe('message contracts', () => {
  it.each(Object.keys(valid) as MessageName[])('a valid %s message survives JSON and parses to the same value', (name) => {
    const wire = JSON.parse(JSON.stringify(valid[name]));
    expect(parseMessage(name, wire)).toEqual(valid[name]);
  });

  it('topics and queues are told apart', () => {
    expect(topics).toEqual(['run.requested', 'run.completed', 'export.requested', 'drive.import.requested', 'gmail.import.requested', 'gmail.notification']);
    expect(queues).toEqual(['extraction', 'webhook']);
    expect(isTopic('run.requested') && !isTopic('extraction')).toBe(true);
    expect(isQueue('extraction') && !isQueue('run.completed')).toBe(true);
  });

  it('a manual run request needs no automation run id', () => {
    const { automationRunId: _, ...manual } = valid['run.requested'];
    expect(parseMessage('run.requested', { ...manual, trigger: 'manual' })).toMatchObject({ trigger: 'manual' });
  });

  it('a malformed id is refused as permanent, naming the field', () => {
    const error = rejection('extraction', { ...valid.extraction, taskId: 'task-7' });
    expect(error.code).toBe('invalid_message');
    expect(error.message).toMatch(/^Invalid extraction message: taskId: /);
  });

  it('a missing field is refused, naming the field', () => {
    const { jobId: _, ...rest } = valid['run.completed'];
    expect(rejection('run.completed', rest).message).toContain('jobId');
  });

  it('a status outside the contract is refused, naming the field', () => {
    expect(rejection('run.completed', { ...valid['run.completed'], status: 'done' }).message).toMatch(/status: /);
  });

  it('a trigger outside the contract is refused, naming the field', () => {
    expect(rejection('run.requested', { ...valid['run.requested'], trigger: 'cron' }).message).toMatch(/trigger: /);
  });

  it('an unexpected field is refused, naming it (messages carry ids, not rows)', () => {
    const error = rejection('export.requested', { ...valid['export.requested'], rows: [] });
    expect(error.message).toContain('unexpected field(s) rows');
  });

  it('a payload that is not an object is refused', () => {
    expect(rejection('gmail.import.requested', 'connector-1').message).toMatch(/Invalid gmail\.import\.requested message/);
  });

  it('an unknown topic is refused as permanent', () => {
    expect(rejection('run.exploded' as MessageName, {}).message).toContain('Unknown topic or queue "run.exploded"');
  });
});
