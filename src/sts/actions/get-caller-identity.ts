import { AwsError } from '../../shared/aws-error.js';
import { string, structure } from '../../protocol/shape.js';
import { rootArn } from '../../iam/caller.js';
import type { QueryAction } from '../../iam/query-action.js';

const input = structure({});

/** Member order as AWS sends it (irsa-wire.md §5.8). */
const output = structure({
  Arn: string({ required: true }),
  UserId: string({ required: true }),
  Account: string({ required: true }),
});

/**
 * STS GetCallerIdentity: who the credentials belong to (irsa-wire.md §5.8). For the account root the
 * ARN is `arn:aws:iam::ACCOUNT:root` and the UserId the account id; for an IAM user its ARN and `AIDA...`
 * id; for a role session the assumed-role ARN and `AROA...:SESSION`.
 *
 * "No permissions are required to perform this operation. If an administrator attaches a policy to
 * your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still
 * perform this operation." (STS API Reference, GetCallerIdentity) — so it needs no authorization.
 */
export const getCallerIdentity: QueryAction<typeof input, typeof output> = {
  name: 'GetCallerIdentity',
  input,
  output,
  authentication: 'sigv4',
  authorize: () => [],
  handle: (_input, ctx) => {
    const caller = ctx.caller;
    switch (caller.kind) {
      case 'root':
        return Promise.resolve({
          Arn: rootArn(caller.partition, caller.accountId),
          UserId: caller.accountId,
          Account: caller.accountId,
        });
      case 'user':
        return Promise.resolve({ Arn: caller.arn, UserId: caller.userId, Account: caller.accountId });
      case 'assumedRole':
        return Promise.resolve({
          Arn: caller.arn,
          UserId: `${caller.roleId}:${caller.sessionName}`,
          Account: caller.accountId,
        });
      case 'anonymous':
        // INVARIANT: unreachable, the action is `sigv4`; the pipeline authenticates first.
        return Promise.reject(
          new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
        );
    }
  },
};
