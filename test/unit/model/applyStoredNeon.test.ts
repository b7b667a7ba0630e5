import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyStoredNeon } from '../../../src/engine/model/modelFile';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';

test('stored NEON settings apply where the user set nothing; what the user set wins', () => {
  const user = { ...DEFAULT_SETTINGS, beta: 2, evidence: 'hard' as const };
  const stored = { beta: 0.5, evidence: 'soft' as const, rule: 'z' as const };
  const merged = applyStoredNeon(user, stored, (key) => key === 'beta');
  assert.equal(merged.beta, 2);
  assert.equal(merged.evidence, 'soft');
  assert.equal(merged.rule, 'z');
  assert.equal(applyStoredNeon(user, undefined, () => false), user);
  assert.equal(applyStoredNeon(user, { rule: 'z' }, () => false).evidence, 'hard', 'keys the file leaves out keep the settings');
});
