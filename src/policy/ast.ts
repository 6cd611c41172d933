/**
 * The parsed form of a policy document: the grammar of the IAM User Guide ("IAM JSON policy element
 * reference" / "Grammar of the IAM JSON policy language"), with every value carrying its JSON pointer so
 * validation findings and explanations can say where they are. Nothing here is interpreted yet: that
 * is `compile.ts`'s job.
 */

/** A string from the document with where it stood. */
export interface Located {
  readonly text: string;
  readonly path: string;
}

/** A value that may be written as one string or as an array of strings. */
export interface ValueList {
  readonly values: readonly Located[];
  /** `true` when the document wrote a bare string rather than an array (kept for round-trips). */
  readonly bare: boolean;
  readonly path: string;
}

export type PrincipalBlock =
  | { readonly wildcard: true; readonly path: string }
  | {
      readonly wildcard: false;
      readonly entries: readonly { readonly type: string; readonly values: ValueList }[];
      readonly path: string;
    };

/** One key of one operator: `"StringEquals": { "aws:SourceVpc": ["vpc-1", "vpc-2"] }`. */
export interface ConditionEntry {
  readonly operator: string;
  readonly operatorPath: string;
  readonly key: string;
  /** Values normalised to text: numbers keep their JSON text, booleans become `true`/`false`. */
  readonly values: ValueList;
}

export interface Statement {
  readonly index: number;
  readonly path: string;
  readonly sid?: Located;
  readonly effect?: Located;
  readonly principal?: PrincipalBlock;
  readonly notPrincipal?: PrincipalBlock;
  readonly action?: ValueList;
  readonly notAction?: ValueList;
  readonly resource?: ValueList;
  readonly notResource?: ValueList;
  readonly condition?: readonly ConditionEntry[];
  readonly conditionPath?: string;
  /**
   * Where the statement object stands in the policy text: the offset of its `{` and the offset just
   * past its `}`. Present when the document was read from text (IAM's simulator reports positions).
   */
  readonly span?: readonly [number, number];
}

export interface PolicyDocument {
  readonly version?: Located;
  readonly id?: Located;
  readonly statements: readonly Statement[];
  /** `true` when `Statement` was a single object rather than an array. */
  readonly bareStatement: boolean;
}
