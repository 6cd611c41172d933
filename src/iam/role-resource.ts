import type { ActionContext, AuthorizationNeed } from './query-action.js';
import { callerAccount, roleArn } from './wire.js';

/**
 * The one authorization a role action needs: `action` on the role's own ARN, path included
 * (`arn:aws:iam::ACCOUNT:role/PATH/NAME`), as AWS authorizes it (IAM User Guide, "IAM identifiers": a
 * role's ARN carries its path). The path is only known from the stored role, so the role is read first;
 * a role that does not exist is authorized on the root-path ARN, which is the ARN a role of that name
 * created without a path would have (the action then answers NoSuchEntity once allowed).
 */
export async function roleNeed(
  ctx: ActionContext,
  action: string,
  name: string,
): Promise<readonly AuthorizationNeed[]> {
  const role = await ctx.store.roles.get(callerAccount(ctx).accountId, name);
  return [{ action, resource: role?.arn ?? roleArn(ctx, '/', name) }];
}
