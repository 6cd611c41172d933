import { registerQueryAction, type RegisteredQueryAction } from '../iam/query-action.js';
import { getCallerIdentity } from './actions/get-caller-identity.js';

/**
 * Every STS action this server implements, listed explicitly (DESIGN.md: no discovery). An action not
 * here answers 501 `InternalFailure` "STS.<Action> is not implemented".
 */
export const STS_ACTIONS: readonly RegisteredQueryAction[] = [registerQueryAction(getCallerIdentity)];
