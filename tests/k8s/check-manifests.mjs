// Strict third-party check of Kubernetes manifests, offline:
//  1. every file parses as YAML (the `yaml` package, YAML 1.2 core schema);
//  2. every object validates against the Kubernetes 1.27 OpenAPI schema
//     (kubernetes-models: types, enums, required fields, formats);
//  3. every object type-checks against the same models' TypeScript
//     interfaces, whose excess-property check rejects unknown fields.
// Usage: node check-manifests.mjs FILE...   (exit 1 when anything fails)
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
// CRDs that kubernetes-models lacks, with types of our own in ./crd (KEDA's
// ScaledObject and TriggerAuthentication); any other kind stays unknown.
const localKinds = { 'keda.sh/v1alpha1': ['ScaledObject', 'TriggerAuthentication'] };
const local = (o) => (localKinds[o.apiVersion] || []).includes(o.kind);
const failures = [];
const objects = [];

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { strict: true, uniqueKeys: true });
  for (const doc of docs) {
    if (doc.errors.length) {
      failures.push(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    if (obj.kind === 'Kustomization') continue; // checked by `kubectl kustomize`
    objects.push({ file, obj });
  }
}

// 2. Schema validation.
for (const { file, obj } of objects) {
  const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
  let mod;
  try {
    mod = await import(local(obj) ? `./crd/${obj.apiVersion}/keda.mjs`
      : `kubernetes-models/${obj.apiVersion}/${obj.kind}`);
    if (!mod[obj.kind]) throw new Error('no such kind');
  } catch {
    failures.push(`${where}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new mod[obj.kind](obj).validate();
  } catch (err) {
    failures.push(`${where}: ${err.message}`);
  }
}

// 3. Unknown fields and wrong types, through TypeScript.
if (objects.length) {
  // Inside this folder, so that imports resolve to ./node_modules.
  const dir = mkdtempSync(join(here, '.tscheck-'));
  let src = '';
  objects.forEach(({ file, obj }, i) => {
    const from = local(obj) ? `../crd/${obj.apiVersion}/${obj.kind}.js`
      : `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
    src += `import type { I${obj.kind} as T${i} } from "${from}";\n`;
    src += `// ${file} ${obj.kind}/${obj.metadata?.name}\n`;
    src += `export const o${i}: T${i} = ${JSON.stringify(obj, null, 1)};\n`;
  });
  const ts = join(dir, 'check.ts');
  writeFileSync(ts, src);
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  try {
    execFileSync(process.execPath, [join(here, 'node_modules/typescript/bin/tsc'),
      '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--skipLibCheck', ts], { stdio: 'pipe' });
  } catch (err) {
    const out = (err.stdout?.toString() || '') + (err.stderr?.toString() || '');
    const lines = out.split('\n').filter((l) => l.includes('error TS'));
    // Name the object each error is in.
    const srcLines = src.split('\n');
    for (const l of lines.length ? lines : [out]) {
      const m = l.match(/check\.ts\((\d+),/);
      let origin = '';
      if (m) {
        for (let n = Number(m[1]) - 1; n >= 0; n--) {
          if (srcLines[n].startsWith('// ')) { origin = srcLines[n].slice(3) + ': '; break; }
        }
      }
      failures.push(origin + l.replace(/^.*error /, 'error '));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${objects.length} objects checked, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
