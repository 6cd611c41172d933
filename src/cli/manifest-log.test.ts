import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConvergeResult } from '../config/converge-manifests.js';
import { fixedClock } from '../shared/clock.js';
import { createLogger, type LogFormat } from '../shared/logger.js';
import { logConvergeResult } from './manifest-log.js';

function capture(format: LogFormat) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger(
    format,
    { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    fixedClock(0),
  );
  return { logger, out, err };
}

const APPLIED: ConvergeResult = {
  ok: true,
  objects: [
    { kind: 'Role', name: 'app', action: 'created' },
    { kind: 'ServiceAccount', name: 'a/app', action: 'deleted' },
  ],
  problems: [{ severity: 'warning', file: '/m/r.yaml', documentIndex: 0, path: 'spec.x', message: 'unused' }],
  conflicts: [
    {
      kind: 'Policy',
      name: 'arn:aws:iam::000000000000:policy/p',
      source: '/m/p.yaml',
      code: 'DeleteConflict',
      message: 'Cannot delete a policy attached to entities.',
    },
  ],
};

test('text: the lines `apply` prints, problems and conflicts on stderr, objects and counts on stdout', () => {
  const c = capture('text');
  assert.equal(logConvergeResult(c.logger, APPLIED), false);
  assert.deepEqual(c.err, [
    '/m/r.yaml: document 1: spec.x: warning: unused\n',
    'openirsa: Policy arn:aws:iam::000000000000:policy/p (declared in /m/p.yaml) was not deleted: DeleteConflict: Cannot delete a policy attached to entities.\n',
  ]);
  assert.deepEqual(c.out, [
    '  Role app: created\n  ServiceAccount a/app: deleted\napplied: 1 created, 0 updated, 0 unchanged, 1 deleted\n',
  ]);
});

test('json: one event each, with the problem located by file, document and path, and the counts', () => {
  const c = capture('json');
  logConvergeResult(c.logger, APPLIED);
  const [problem, conflict] = c.err.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(problem, {
    time: '1970-01-01T00:00:00.000Z',
    level: 'warn',
    msg: 'manifest warning',
    file: '/m/r.yaml',
    document: 1,
    path: 'spec.x',
    message: 'unused',
  });
  assert.equal(conflict?.errorCode, 'DeleteConflict');
  const applied = JSON.parse(c.out[0] ?? '') as Record<string, unknown>;
  assert.equal(applied.msg, 'manifests applied');
  assert.deepEqual([applied.created, applied.updated, applied.unchanged, applied.deleted], [1, 0, 0, 1]);
});

test('a result that was not applied says so once and keeps the last good state', () => {
  const c = capture('text');
  const failed: ConvergeResult = { ok: false, objects: [], problems: [], conflicts: [] };
  assert.equal(logConvergeResult(c.logger, failed), false);
  assert.deepEqual(c.err, [
    'openirsa: the manifests were not applied; nothing was changed; keeping the last good state\n',
  ]);
  assert.deepEqual(c.out, []);
});
