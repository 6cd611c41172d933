import type { Principal } from '../policy/types.js';

/**
 * Who sent a request, once SigV4 has verified it: the account root (a root access key), an IAM user
 * (a user's access key), or a role session (`ASIA...` credentials opened from their session token).
 * Built by the server's authentication step, read by every action; the policy engine sees it through
 * `callerPrincipal`.
 */
export type Caller =
  | {
      readonly kind: 'root';
      readonly accountId: string;
      readonly partition: string;
      /** `arn:aws:iam::ACCOUNT:root` */
      readonly arn: string;
      readonly accessKeyId: string;
      /** Set for GetSessionToken credentials (`ASIA...`): the root's own permissions, for a while. */
      readonly temporary?: TemporaryCredentials;
    }
  | {
      readonly kind: 'user';
      readonly accountId: string;
      readonly partition: string;
      /** `arn:aws:iam::ACCOUNT:user/PATH/NAME` */
      readonly arn: string;
      /** `AIDA...` */
      readonly userId: string;
      readonly userName: string;
      readonly accessKeyId: string;
      /** Set for GetSessionToken credentials (`ASIA...`): the user's own permissions, for a while. */
      readonly temporary?: TemporaryCredentials;
    }
  | {
      readonly kind: 'assumedRole';
      readonly accountId: string;
      readonly partition: string;
      /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: no role path (irsa-wire.md §5.9). */
      readonly arn: string;
      /** `arn:aws:iam::ACCOUNT:role/PATH/ROLE` */
      readonly roleArn: string;
      /** `AROA...` */
      readonly roleId: string;
      readonly roleName: string;
      readonly sessionName: string;
      readonly accessKeyId: string;
      /** Milliseconds since the epoch. */
      readonly issuedAt: number;
      readonly expiresAt: number;
      /** The inline session policy passed when the session was created, as JSON text. */
      readonly sessionPolicy?: string;
      /** The managed session policies passed when the session was created (`PolicyArns`). */
      readonly policyArns?: readonly string[];
      /** Session tags, keys as given; they override the role's tags of the same key in any case. */
      readonly tags?: Readonly<Record<string, string>>;
      /** Keys of `tags` that pass on to sessions this one creates (role chaining). */
      readonly transitiveTagKeys?: readonly string[];
      /** Set once, then carried along every chained session (`aws:SourceIdentity`). */
      readonly sourceIdentity?: string;
    }
  | { readonly kind: 'anonymous' };

/** When temporary credentials were issued and when they expire, in milliseconds since the epoch. */
export interface TemporaryCredentials {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Whether the caller signed with temporary credentials (a role session or a GetSessionToken session). */
export function hasTemporaryCredentials(caller: Caller): boolean {
  return (
    caller.kind === 'assumedRole' ||
    ((caller.kind === 'user' || caller.kind === 'root') && caller.temporary !== undefined)
  );
}

/** `arn:PARTITION:iam::ACCOUNT:root` */
export function rootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
export function assumedRoleArn(
  partition: string,
  accountId: string,
  roleName: string,
  sessionName: string,
): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** The caller as the policy engine's `Principal`. */
export function callerPrincipal(caller: Caller): Principal {
  switch (caller.kind) {
    case 'root':
      return { type: 'root', account: caller.accountId, partition: caller.partition };
    case 'user':
      return {
        type: 'user',
        account: caller.accountId,
        partition: caller.partition,
        name: caller.userName,
        arn: caller.arn,
        id: caller.userId,
      };
    case 'assumedRole':
      return {
        type: 'assumedRole',
        account: caller.accountId,
        partition: caller.partition,
        roleName: caller.roleName,
        sessionName: caller.sessionName,
        arn: caller.arn,
        roleArn: caller.roleArn,
        roleId: caller.roleId,
      };
    case 'anonymous':
      return { type: 'anonymous' };
  }
}
