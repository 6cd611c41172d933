import { PolicyCache } from '../../policy/compile.js';
import { readQueryInput, validationError } from '../../protocol/query-input.js';
import type { StructureShape, ValueOf } from '../../protocol/shape.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/types.js';
import type { ActionContext, QueryAction } from '../query-action.js';

export const ACCOUNT = '111122223333';

export const IRSA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'oidc.example.com/id/ABC:sub': 'system:serviceaccount:default:app' } },
    },
  ],
});

export const READ_S3 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }],
});

/** A fresh in-memory store with one account, and an action context whose caller is its root. */
export async function rootContext(): Promise<{ ctx: ActionContext; store: Store }> {
  const clock = fixedClock(Date.UTC(2026, 0, 1));
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: ACCOUNT, createdAt: clock.now() });
  const ctx: ActionContext = {
    store,
    clock,
    ids: sequentialIds(),
    caller: {
      kind: 'root',
      accountId: ACCOUNT,
      partition: 'aws',
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accessKeyId: 'AKIAROOT',
    },
    requestId: 'req-1',
    region: 'us-east-1',
    policies: new PolicyCache(),
  };
  return { ctx, store };
}

/** Decodes wire params with the action's shape (answering `ValidationError` as the pipeline does), then runs it. */
export function invoke<I extends StructureShape, O extends StructureShape>(
  action: QueryAction<I, O>,
  ctx: ActionContext,
  params: Readonly<Record<string, string>>,
): Promise<ValueOf<O>> {
  const input = readQueryInput(action.input, new Map(Object.entries(params)));
  if (!input.ok) return Promise.reject(validationError(input.violations));
  return action.handle(input.value, ctx);
}
