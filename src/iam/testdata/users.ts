import type { ActionContext } from '../query-action.js';
import { ACCOUNT } from './context.js';

/** The same context with an IAM user as the caller (as a user's access key authenticates it). */
export function asUser(ctx: ActionContext, name: string, path = '/'): ActionContext {
  return {
    ...ctx,
    caller: {
      kind: 'user',
      accountId: ACCOUNT,
      partition: 'aws',
      arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`,
      userId: 'AIDAEXAMPLEUSER00001',
      userName: name,
      accessKeyId: 'AKIAEXAMPLEUSER00001',
    },
  };
}

/** The same context with a role session as the caller. */
export function asRoleSession(ctx: ActionContext): ActionContext {
  return {
    ...ctx,
    caller: {
      kind: 'assumedRole',
      accountId: ACCOUNT,
      partition: 'aws',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
      roleId: 'AROAEXAMPLEROLE00001',
      roleName: 'app',
      sessionName: 's1',
      accessKeyId: 'ASIAEXAMPLE000000001',
      issuedAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
    },
  };
}
