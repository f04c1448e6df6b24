// Validates exported documents against THL's national document
// definitions (Sosmeta JSON Schemas, draft-07) with ajv.
// Usage: node tests/sosmeta/validate.mjs SCHEMA_DIR FILE...
// Each FILE is {"definition": "<oid with version>", "document": {...}}.
// Prints one line per file; exits 1 if any is invalid.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'ui', 'package.json'));
const Ajv = require('ajv');

const [schemaDir, ...files] = process.argv.slice(2);
if (!schemaDir || files.length === 0) {
  console.error('usage: validate.mjs SCHEMA_DIR FILE...');
  process.exit(2);
}
// The schemas carry a `sosmeta` keyword of their own: allowed, not checked.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addKeyword('sosmeta');
let bad = 0;
for (const file of files) {
  const { definition, document } = JSON.parse(readFileSync(file, 'utf8'));
  const schema = JSON.parse(readFileSync(join(schemaDir, `${definition}.json`), 'utf8'));
  const validate = ajv.compile(schema);
  if (validate(document)) {
    console.log(`valid ${definition} ${file}`);
  } else {
    bad += 1;
    console.log(`invalid ${definition} ${file}: ${ajv.errorsText(validate.errors)}`);
  }
}
process.exit(bad ? 1 : 0);
