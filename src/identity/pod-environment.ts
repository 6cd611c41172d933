/**
 * The environment contract of an IRSA pod: the variables amazon-eks-pod-identity-webhook injects into a
 * container (handler.go `addEnvToContainer`, irsa-wire.md §2.4 step 3), in its order. The webhook
 * (pod-mutation.ts) and `openirsa exec` both take them from here, so a process started by exec sees
 * what a container of that service account sees.
 */

export interface PodEnvironmentPlan {
  readonly roleArn: string;
  /** `AWS_WEB_IDENTITY_TOKEN_FILE`: the mount path + `/token` (a Windows path on Windows nodes). */
  readonly tokenFilePath: string;
  /** `AWS_STS_REGIONAL_ENDPOINTS=regional` when true. */
  readonly regionalSts: boolean;
  /** `AWS_DEFAULT_REGION` and `AWS_REGION`, when set (`--aws-default-region`). */
  readonly region?: string | undefined;
}

/** Which groups of variables a container defines already (by name; a `valueFrom` counts too). */
export interface DefinedVariables {
  /** `AWS_ROLE_ARN` or `AWS_WEB_IDENTITY_TOKEN_FILE`: defining one suppresses both. */
  readonly webIdentity: boolean;
  /** `AWS_REGION` or `AWS_DEFAULT_REGION`. */
  readonly region: boolean;
  /** `AWS_STS_REGIONAL_ENDPOINTS`. */
  readonly sts: boolean;
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

const NOTHING_DEFINED: DefinedVariables = { webIdentity: false, region: false, sts: false };

/** The variables that `addEnvToContainer` appends, in its order, skipping the groups already defined. */
export function podEnvironment(
  plan: PodEnvironmentPlan,
  defined: DefinedVariables = NOTHING_DEFINED,
): EnvVar[] {
  const env: EnvVar[] = [];
  if (!defined.sts && plan.regionalSts) env.push({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
  if (!defined.region && plan.region) {
    env.push({ name: 'AWS_DEFAULT_REGION', value: plan.region });
    env.push({ name: 'AWS_REGION', value: plan.region });
  }
  if (!defined.webIdentity) {
    env.push({ name: 'AWS_ROLE_ARN', value: plan.roleArn });
    env.push({ name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: plan.tokenFilePath });
  }
  return env;
}

/** The groups a set of variable names defines. */
export function definedVariables(names: ReadonlySet<string>): DefinedVariables {
  return {
    webIdentity: names.has('AWS_ROLE_ARN') || names.has('AWS_WEB_IDENTITY_TOKEN_FILE'),
    region: names.has('AWS_REGION') || names.has('AWS_DEFAULT_REGION'),
    sts: names.has('AWS_STS_REGIONAL_ENDPOINTS'),
  };
}

/**
 * The variables that point a container's AWS clients at openirsa instead of real AWS (the webhook's
 * `--aws-endpoint-url`, an openirsa addition: amazon-eks-pod-identity-webhook injects none). The same
 * four `openirsa exec` sets: the global one, which botocore >= 1.31, AWS CLI >= 2.13 and JS v3 >= ~3.428
 * read (irsa-wire.md §6.5, §8.3), and the per-service ones of the services openirsa serves.
 */
export const ENDPOINT_VARIABLES: readonly string[] = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_S3',
];

/**
 * The endpoint variables a container gets, given the names it defines already: one it defines keeps
 * its value (by name, as the webhook's other variables). Our decision: a container that sets the
 * global `AWS_ENDPOINT_URL` itself gets none of the per-service ones either, as those would silently
 * win over its own choice for STS, IAM and S3 (a per-service variable beats the global one).
 */
export function endpointEnvironment(url: string, names: ReadonlySet<string>): EnvVar[] {
  if (names.has('AWS_ENDPOINT_URL')) return [];
  return ENDPOINT_VARIABLES.filter((name) => !names.has(name)).map((name) => ({ name, value: url }));
}
