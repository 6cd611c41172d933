import { string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { checkPolicyDocument, iamError } from '../errors.js';
import { policyShape, policyToWire } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { requestTagContext } from '../request-context.js';
import { checkRequestTags } from '../tags.js';
import {
  callerAccount,
  policyArn,
  policyDocumentType,
  policyNameType,
  tagListType,
  tagsFromWire,
} from '../wire.js';

const input = structure({
  PolicyName: policyNameType(),
  Path: string({ min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' }),
  PolicyDocument: policyDocumentType(),
  Description: string({ max: 1000 }),
  Tags: tagListType(),
});
const output = structure({ Policy: policyShape });

/** IAM CreatePolicy: a customer managed policy whose document (validated as identity) is `v1`. */
export const createPolicy: QueryAction<typeof input, typeof output> = {
  name: 'CreatePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => {
    const context = requestTagContext(tagsFromWire(i.Tags));
    return [
      {
        action: 'iam:CreatePolicy',
        resource: policyArn(ctx, i.Path ?? '/', i.PolicyName),
        ...(context.length > 0 ? { context: new Map(context) } : {}),
      },
    ];
  },
  handle: async (i, ctx) => {
    checkPolicyDocument(i.PolicyDocument, 'identity');
    const tags = tagsFromWire(i.Tags);
    checkRequestTags(tags);
    const path = i.Path ?? '/';
    try {
      const policy = await ctx.store.managedPolicies.create({
        accountId: callerAccount(ctx).accountId,
        name: i.PolicyName,
        id: ctx.ids.uniqueId('ANPA'),
        path,
        arn: policyArn(ctx, path, i.PolicyName),
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        tags,
        document: i.PolicyDocument,
        createdAt: ctx.clock.now(),
      });
      return { Policy: policyToWire(policy) };
    } catch (e) {
      if (isStoreError(e, 'alreadyExists')) {
        throw iamError(
          'EntityAlreadyExists',
          `A policy called ${i.PolicyName} already exists. Duplicate names are not allowed.`,
        );
      }
      throw e;
    }
  },
};
