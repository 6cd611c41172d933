import type { ConditionEntry, Located, PolicyDocument, PrincipalBlock, Statement, ValueList } from './ast.js';
import { jsonFromValue, readJson, type JsonNode } from '../shared/json.js';
import { awsMessages, MALFORMED } from './messages.js';
import type { Finding } from './types.js';

export interface ParseResult {
  /** Absent only when the input is not a JSON object at all. */
  readonly document?: PolicyDocument;
  /** Structural errors: each one makes IAM refuse the document. */
  readonly findings: readonly Finding[];
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

/**
 * Parses policy JSON text, or an already-parsed object, into the AST. Never throws on user input: every
 * problem becomes an error finding with its JSON pointer, and as much of the document as can be read is
 * still returned so that validation can report everything at once.
 */
export function parsePolicy(input: string | object): ParseResult {
  const findings: Finding[] = [];
  let root: JsonNode;
  if (typeof input === 'string') {
    const read = readJson(input);
    if (!read.ok) {
      findings.push(
        syntaxError(
          'JSON_SYNTAX_ERROR',
          `the policy is not valid JSON: ${read.error.message} at line ${read.error.line}, column ${read.error.column}`,
          '',
        ),
      );
      return { findings };
    }
    for (const pointer of read.duplicates) {
      findings.push(
        syntaxError('DUPLICATE_KEY', `\`${lastToken(pointer)}\` appears more than once`, pointer),
      );
    }
    root = read.node;
  } else {
    root = jsonFromValue(input);
  }
  if (root.kind !== 'object') {
    findings.push(
      syntaxError('JSON_SYNTAX_ERROR', `a policy must be a JSON object, found ${describe(root)}`, ''),
    );
    return { findings };
  }

  let version: Located | undefined;
  let id: Located | undefined;
  let statementNode: JsonNode | undefined;
  for (const { key, value } of root.entries) {
    if (!TOP_LEVEL.has(key)) {
      findings.push(
        syntaxError('INVALID_POLICY_ELEMENT', `unknown policy element \`${key}\``, value.pointer),
      );
    } else if (key === 'Statement') statementNode = value;
    else if (value.kind !== 'string') {
      findings.push(
        syntaxError('INVALID_TYPE', `\`${key}\` must be a string, found ${describe(value)}`, value.pointer),
      );
    } else if (key === 'Version') version = { text: value.value, path: value.pointer };
    else id = { text: value.value, path: value.pointer };
  }

  const statements: Statement[] = [];
  let bareStatement = false;
  if (statementNode === undefined) {
    findings.push(syntaxError('MISSING_STATEMENT', 'the policy has no `Statement`', ''));
  } else if (statementNode.kind === 'object') {
    bareStatement = true;
    statements.push(parseStatement(statementNode, 0, findings));
  } else if (statementNode.kind === 'array') {
    statementNode.items.forEach((item, i) => {
      if (item.kind === 'object') statements.push(parseStatement(item, i, findings));
      else {
        findings.push(
          syntaxError(
            'INVALID_TYPE',
            `a statement must be a JSON object, found ${describe(item)}`,
            item.pointer,
          ),
        );
      }
    });
  } else {
    findings.push(
      syntaxError(
        'INVALID_TYPE',
        `\`Statement\` must be an object or an array of objects, found ${describe(statementNode)}`,
        statementNode.pointer,
      ),
    );
  }
  return {
    document: {
      ...(version ? { version } : {}),
      ...(id ? { id } : {}),
      statements,
      bareStatement,
    },
    findings,
  };
}

function parseStatement(node: JsonNode & { kind: 'object' }, index: number, findings: Finding[]): Statement {
  const s: {
    -readonly [K in keyof Statement]: Statement[K];
  } = { index, path: node.pointer };
  if (node.span !== undefined) s.span = node.span;
  for (const { key, value } of node.entries) {
    switch (key) {
      case 'Sid':
      case 'Effect': {
        if (value.kind !== 'string') {
          findings.push(
            syntaxError(
              'INVALID_TYPE',
              `\`${key}\` must be a string, found ${describe(value)}`,
              value.pointer,
            ),
          );
        } else if (key === 'Sid') s.sid = { text: value.value, path: value.pointer };
        else s.effect = { text: value.value, path: value.pointer };
        break;
      }
      case 'Action':
      case 'NotAction':
      case 'Resource':
      case 'NotResource': {
        const list = stringList(value, key, findings);
        if (list) {
          if (key === 'Action') s.action = list;
          else if (key === 'NotAction') s.notAction = list;
          else if (key === 'Resource') s.resource = list;
          else s.notResource = list;
        }
        break;
      }
      case 'Principal':
      case 'NotPrincipal': {
        const p = principalBlock(value, key, findings);
        if (p) {
          if (key === 'Principal') s.principal = p;
          else s.notPrincipal = p;
        }
        break;
      }
      case 'Condition': {
        s.condition = conditionBlock(value, findings);
        s.conditionPath = value.pointer;
        break;
      }
      default:
        findings.push(
          syntaxError(
            'INVALID_POLICY_ELEMENT',
            STATEMENT_ELEMENTS.has(key) ? `\`${key}\` is repeated` : `unknown statement element \`${key}\``,
            value.pointer,
          ),
        );
    }
  }
  return s;
}

function stringList(node: JsonNode, element: string, findings: Finding[]): ValueList | undefined {
  if (node.kind === 'string') {
    return { values: [{ text: node.value, path: node.pointer }], bare: true, path: node.pointer };
  }
  if (node.kind === 'array') {
    const values: Located[] = [];
    for (const item of node.items) {
      if (item.kind === 'string') values.push({ text: item.value, path: item.pointer });
      else {
        findings.push(
          syntaxError(
            'INVALID_TYPE',
            `each \`${element}\` value must be a string, found ${describe(item)}`,
            item.pointer,
          ),
        );
      }
    }
    return { values, bare: false, path: node.pointer };
  }
  findings.push(
    syntaxError(
      'INVALID_TYPE',
      `\`${element}\` must be a string or an array of strings, found ${describe(node)}`,
      node.pointer,
    ),
  );
  return undefined;
}

function principalBlock(node: JsonNode, element: string, findings: Finding[]): PrincipalBlock | undefined {
  if (node.kind === 'string') {
    if (node.value === '*') return { wildcard: true, path: node.pointer };
    findings.push(
      syntaxError(
        'INVALID_PRINCIPAL_FORMAT',
        `\`${element}\` must be "*" or an object such as {"AWS": "..."}, found "${node.value}"`,
        node.pointer,
        awsMessages.invalidPrincipal(`"${element}":"${node.value}"`),
      ),
    );
    return undefined;
  }
  if (node.kind !== 'object') {
    findings.push(
      syntaxError(
        'INVALID_TYPE',
        `\`${element}\` must be "*" or an object, found ${describe(node)}`,
        node.pointer,
      ),
    );
    return undefined;
  }
  const entries: { type: string; values: ValueList }[] = [];
  for (const { key, value } of node.entries) {
    const values = stringList(value, `${element}.${key}`, findings);
    if (values) entries.push({ type: key, values });
  }
  return { wildcard: false, entries, path: node.pointer };
}

function conditionBlock(node: JsonNode, findings: Finding[]): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  if (node.kind !== 'object') {
    findings.push(
      syntaxError('INVALID_TYPE', `\`Condition\` must be an object, found ${describe(node)}`, node.pointer),
    );
    return out;
  }
  for (const { key: operator, value: keys } of node.entries) {
    if (keys.kind !== 'object') {
      findings.push(
        syntaxError(
          'INVALID_TYPE',
          `the value of condition operator \`${operator}\` must be an object of condition keys, found ${describe(keys)}`,
          keys.pointer,
        ),
      );
      continue;
    }
    for (const { key, value } of keys.entries) {
      const values = conditionValues(value, findings);
      if (values) out.push({ operator, operatorPath: keys.pointer, key, values });
    }
  }
  return out;
}

/**
 * Condition values may be strings, numbers or booleans, bare or in an array; quotation marks are
 * optional for numbers and booleans (IAM User Guide, policy grammar notes). All become text.
 */
function conditionValues(node: JsonNode, findings: Finding[]): ValueList | undefined {
  const scalar = (n: JsonNode): Located | undefined => {
    if (n.kind === 'string') return { text: n.value, path: n.pointer };
    if (n.kind === 'number') return { text: n.text, path: n.pointer };
    if (n.kind === 'boolean') return { text: String(n.value), path: n.pointer };
    return undefined;
  };
  const one = scalar(node);
  if (one) return { values: [one], bare: true, path: node.pointer };
  if (node.kind === 'array') {
    const values: Located[] = [];
    for (const item of node.items) {
      const v = scalar(item);
      if (v) values.push(v);
      else {
        findings.push(
          syntaxError(
            'INVALID_TYPE',
            `a condition value must be a string, number or boolean, found ${describe(item)}`,
            item.pointer,
          ),
        );
      }
    }
    return { values, bare: false, path: node.pointer };
  }
  findings.push(
    syntaxError(
      'INVALID_TYPE',
      `a condition value must be a string, number, boolean or an array of them, found ${describe(node)}`,
      node.pointer,
    ),
  );
  return undefined;
}

export function syntaxError(
  code: string,
  message: string,
  path: string,
  awsMessage: string = awsMessages.syntax,
) {
  return {
    severity: 'error',
    code,
    message,
    path,
    awsError: { code: MALFORMED, message: awsMessage },
  } as const;
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string "${node.value}"`;
    case 'number':
      return `the number ${node.text}`;
    case 'boolean':
      return `\`${node.value}\``;
    case 'null':
      return '`null`';
  }
}

function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}
