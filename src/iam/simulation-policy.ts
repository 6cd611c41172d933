import { compilePolicy, type CompiledPolicy } from '../policy/compile.js';
import type { PolicyKind } from '../policy/types.js';
import { validatePolicy } from '../policy/validate.js';
import { iamError } from './errors.js';
import type { PolicySourceType, WireStatement } from './simulate-wire.js';

/**
 * A policy taking part in a simulation, with the identity IAM's simulator reports it under
 * (`SourcePolicyId`, `SourcePolicyType` of each matched statement) and the text its statement
 * positions are counted in.
 */
export interface SimulationPolicy {
  readonly id: string;
  readonly type: PolicySourceType;
  readonly text: string;
  readonly compiled: CompiledPolicy;
}

/**
 * Reads policy documents given in a simulation request (`PolicyInputList`, ...), validated as IAM
 * validates a document of that kind. A document with errors is `InvalidInput` 400 (the error the API
 * reference lists for these actions) with the message IAM gives for that error when storing it
 * (policy/messages.ts; ⚠ that the simulator words it the same is unconfirmed).
 *
 * `SourcePolicyId` is `Member.N` (1-based), as AWS's CLI examples show (`PolicyInputList.1`).
 * ⚠ `SourcePolicyType` of an input policy is undocumented; we say `none`: it is attached to nothing.
 */
export function inputPolicies(
  texts: readonly string[] | undefined,
  member: string,
  kind: PolicyKind,
): SimulationPolicy[] {
  return (texts ?? []).map((text, i) => inputPolicy(text, `${member}.${i + 1}`, kind, 'none'));
}

export function inputPolicy(
  text: string,
  id: string,
  kind: PolicyKind,
  type: PolicySourceType,
): SimulationPolicy {
  const error = validatePolicy(text, kind).find((f) => f.severity === 'error');
  if (error !== undefined) {
    throw iamError('InvalidInput', error.awsError?.message ?? 'Syntax errors in policy.');
  }
  return { id, type, text, compiled: compilePolicy(text, { name: id }) };
}

/** A stored policy (already validated when it was written), compiled through the server's cache. */
export function storedPolicy(
  compile: (text: string) => CompiledPolicy,
  text: string,
  id: string,
  type: PolicySourceType,
): SimulationPolicy {
  return { id, type, text, compiled: compile(text) };
}

/**
 * The wire form of one matched statement. Positions are 1-based line and column, each just past the
 * statement's `{` and just past its `}`: what AWS reports for
 * `{"Version":"2012-10-17","Statement":{...}}` in its simulate-custom-policy example (start column 38
 * for the `{` in column 37, end column 167 for the `}` in column 166).
 */
export function statementToWire(policy: SimulationPolicy, statementIndex: number): WireStatement {
  const statement = policy.compiled.document?.statements.find((s) => s.index === statementIndex);
  const span = statement?.span;
  return {
    SourcePolicyId: policy.id,
    SourcePolicyType: policy.type,
    ...(span !== undefined
      ? {
          StartPosition: positionAt(policy.text, span[0] + 1),
          EndPosition: positionAt(policy.text, span[1]),
        }
      : {}),
  };
}

/** The 1-based line and column of a UTF-16 offset; lines end at LF (a CR before it is a column). */
export function positionAt(text: string, offset: number): { Line: number; Column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { Line: line, Column: offset - lineStart + 1 };
}
