import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './io.js';
import { takeLogFormat } from './log-format.js';

test('--log-format is taken out of the arguments, in either spelling; the last one wins', () => {
  assert.deepEqual(takeLogFormat(['--port', '0', '--log-format', 'json', '--demo'], {}), {
    rest: ['--port', '0', '--demo'],
    format: 'json',
  });
  assert.deepEqual(takeLogFormat(['--log-format=json', '--log-format=text'], {}), {
    rest: [],
    format: 'text',
  });
});

test('without the flag: OPENIRSA_LOG_FORMAT, else text; the flag wins over it', () => {
  assert.equal(takeLogFormat([], {}).format, 'text');
  assert.equal(takeLogFormat([], { OPENIRSA_LOG_FORMAT: 'json' }).format, 'json');
  assert.equal(takeLogFormat([], { OPENIRSA_LOG_FORMAT: '' }).format, 'text');
  assert.equal(takeLogFormat(['--log-format', 'text'], { OPENIRSA_LOG_FORMAT: 'json' }).format, 'text');
});

test('a bad or missing value, from the flag or the environment, is a usage error', () => {
  assert.throws(
    () => takeLogFormat(['--log-format', 'yaml'], {}),
    new UsageError('`--log-format` expects text or json, got `yaml`'),
  );
  assert.throws(
    () => takeLogFormat(['--log-format'], {}),
    new UsageError('`--log-format` expects text or json, got nothing'),
  );
  assert.throws(
    () => takeLogFormat(['--log-format', '--demo'], {}),
    new UsageError('`--log-format` expects text or json, got nothing'),
  );
  assert.throws(
    () => takeLogFormat([], { OPENIRSA_LOG_FORMAT: 'JSON' }),
    new UsageError('`OPENIRSA_LOG_FORMAT` expects text or json, got `JSON`'),
  );
});
