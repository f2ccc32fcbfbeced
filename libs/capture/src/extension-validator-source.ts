import { Ajv } from "ajv";
import standaloneModule from "ajv/dist/standalone/index.js";
import { EXTENSION_SCHEMA } from "./vocabulary.js";

// ajv's standalone entry is CommonJS: imported from ESM, the function is the module object's `default`.
type Standalone = (ajv: Ajv, validate: ReturnType<Ajv["compile"]>) => string;
const standaloneCode = (standaloneModule as unknown as { default: Standalone }).default;

/**
 * The source of extension-validator.ts: the extension schema compiled ahead of time, so that validating needs no
 * `new Function` at run time (the journey page's Content-Security-Policy forbids eval in the browser).
 */
export function extensionValidatorSource(): string {
  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true } });
  // ajv's ESM output still `require`s its runtime helpers: import them instead (CommonJS, hence `.default`).
  const code = standaloneCode(ajv, ajv.compile(EXTENSION_SCHEMA)).replace(
    /const (\w+) = require\("([^"]+)"\)\.default;/g,
    (_, name: string, path: string) => `import ${name}Module from "${path}.js";const ${name} = ${name}Module.default;`,
  );
  return `// Generated from EXTENSION_SCHEMA by extension-validator-source.ts (ajv standalone); do not edit.
// Regenerate: npm run gen:validators. A unit test fails when this file and the schema disagree.
// @ts-nocheck
/* eslint-disable */
${code}
`;
}
