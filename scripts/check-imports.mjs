// Checks the import direction of DESIGN.md: lower tiers never import higher ones; policy/ and sigv4/
// import only shared/ and node: built-ins; nothing in src/ imports the AGPL @cloud-copilot packages.
// Exits 1 and names each offending import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const TIER = {
  shared: 0,
  policy: 1,
  sigv4: 1,
  protocol: 1,
  store: 1,
  audit: 1,
  identity: 2,
  iam: 3,
  sts: 3,
  s3: 3,
  config: 4,
  server: 5,
  cli: 6,
};
// Same-tier imports DESIGN.md names explicitly, and audit's use of the policy engine's decision types
// (an audit event records a decision; audit/event.ts imports those types only).
const EXTRA = { sts: ['iam'], s3: ['iam'], audit: ['policy'] };
const PURE = new Set(['policy', 'sigv4']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const problems = [];
for (const file of files(src)) {
  const domain = relative(src, file).split(sep)[0];
  if (!(domain in TIER)) {
    problems.push(`${relative(root, file)}: src/${domain}/ is not a domain of DESIGN.md`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  // Only real import/export statements, which start a line; `from '...'` inside a string or comment
  // is not an import. Dynamic `import('...')` anywhere counts.
  const statements = [
    ...text.matchAll(/^import\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^import\s*['"]([^'"]+)['"]/gm),
  ];
  const dynamic = [...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
  const specs = [...statements, ...dynamic].map((m) => m[1]);
  for (const spec of specs) {
    const where = `${relative(root, file)} imports '${spec}'`;
    if (spec.startsWith('@cloud-copilot/')) {
      problems.push(`${where}: AGPL packages are for tests and benchmarks only`);
      continue;
    }
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec)).split(sep)[0];
      if (target === domain) continue;
      if (!(target in TIER)) {
        problems.push(`${where}: outside src/`);
        continue;
      }
      const allowed = TIER[target] < TIER[domain] || (EXTRA[domain] ?? []).includes(target);
      if (!allowed)
        problems.push(
          `${where}: ${domain} (tier ${TIER[domain]}) may not import ${target} (tier ${TIER[target]})`,
        );
      else if (PURE.has(domain) && target !== 'shared')
        problems.push(`${where}: ${domain}/ imports only shared/`);
      continue;
    }
    if (PURE.has(domain) && !spec.startsWith('node:')) {
      problems.push(`${where}: ${domain}/ has no runtime dependencies (node: built-ins only)`);
    }
  }
}
if (problems.length > 0) {
  console.error(`import direction (DESIGN.md) violated:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('import direction: ok');
