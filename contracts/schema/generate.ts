import { existsSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { encodeJson } from '../codec/json-codec';
import { encodeXml } from '../codec/xml-writer';
import { forms } from '../forms';
import { generateJsonSchema } from './json-schema';
import { generateXsd } from './xsd';

/** The command that regenerates the published files. */
export const GENERATE_COMMAND = 'npm run contracts:generate';

/** Where the published files live, relative to the repository root. */
export const SCHEMA_DIR = 'contracts/schema';
export const EXAMPLES_DIR = 'contracts/examples';

/** `IncidentReportBatch` → `incident-report-batch`. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/**
 * Every generated file, path (relative to the repository root) → content: the JSON Schema, the
 * XSD, and each form's example in JSON and XML. The staleness test and the script share this.
 */
export function generatedFiles(): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  files.set(`${SCHEMA_DIR}/mmgw-message.schema.json`, `${JSON.stringify(generateJsonSchema(), null, 2)}\n`);
  files.set(`${SCHEMA_DIR}/mmgw-message.xsd`, generateXsd());
  for (const form of forms) {
    const example = form.example as unknown as Record<string, unknown>;
    files.set(`${EXAMPLES_DIR}/${kebab(form.name)}.json`, encodeJson(example));
    files.set(`${EXAMPLES_DIR}/${kebab(form.name)}.xml`, encodeXml(example, { pretty: true }));
  }
  return files;
}

/** The repository root: the nearest folder above this file holding package.json (works from dist/ too). */
export function repositoryRoot(from = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Writes every generated file under `root` and removes examples of forms no longer declared; returns the paths written. */
export function writeGeneratedFiles(root = repositoryRoot()): string[] {
  const files = generatedFiles();
  mkdirSync(join(root, EXAMPLES_DIR), { recursive: true });
  for (const name of readdirSync(join(root, EXAMPLES_DIR))) {
    if (!files.has(`${EXAMPLES_DIR}/${name}`)) unlinkSync(join(root, EXAMPLES_DIR, name));
  }
  for (const [path, content] of files) writeFileSync(join(root, path), content);
  return [...files.keys()];
}

if (require.main === module) {
  for (const path of writeGeneratedFiles()) console.log(`wrote ${path}`);
}
