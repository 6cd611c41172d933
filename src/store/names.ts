/**
 * The comparison key of an IAM name. IAM names (`[\w+=,.@-]+`) are unique within an account without
 * regard to case (IAM User Guide, "IAM and AWS STS quotas": you cannot have both `ADMINS` and `admins`),
 * so a store keeps `foldName(name)` in a unique column beside the name as given. Only ASCII letters fold: the result does
 * not depend on the locale or on the database's `lower()`, so every implementation folds alike.
 */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
