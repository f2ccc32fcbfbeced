import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * docs/problems.md is what API clients branch on: every code the service can raise must be listed there, and
 * every code listed must still be raised. Codes are read from the syntax of the source tree, not by grepping
 * every dotted upper-case string (event types, "CBV2.0", config keys): the first argument of `new DomainError(…)`
 * and of `super(…)` in its subclasses, followed through ternaries, `??`, constant code tables, destructuring
 * and the helpers that take a code as a parameter. A first argument the scan cannot follow fails the test, so a
 * new way of building codes is noticed rather than skipped.
 */
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const DOC = readFileSync(new URL("../../../../docs/problems.md", import.meta.url), "utf8");
const SCANNED = ["apps", "libs", "scripts"];

interface Source {
  readonly path: string;
  readonly text: string;
}

interface Scan {
  /** Each code, with the first place that raises it. */
  readonly codes: ReadonlyMap<string, string>;
  /** Codes built at run time (`CHAIN.${revert}`), by their fixed prefix, with the first place that builds them. */
  readonly families: ReadonlyMap<string, string>;
  /** Places whose code the scan cannot follow. */
  readonly unresolved: readonly string[];
}

type Outcome =
  | { readonly kind: "code"; readonly code: string; readonly node: ts.Node }
  | { readonly kind: "family"; readonly prefix: string; readonly node: ts.Node }
  /** `error.code` of a caught or received error: passed on, not a new code. */
  | { readonly kind: "relayed" }
  | { readonly kind: "unknown"; readonly node: ts.Node };

function sourceTree(): Source[] {
  return SCANNED.flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: "utf8" })
      .map((relative) => join(top, relative))
      .filter((path) => path.endsWith(".ts") && !path.endsWith(".spec.ts") && !path.endsWith(".d.ts"))
      .filter((path) => !path.split(sep).some((part) => part === "node_modules" || part === "generated"))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }))
      .filter(({ text }) => !text.startsWith("// Generated")),
  );
}

/** The codes `sources` can raise. */
function scanCodes(sources: readonly Source[]): Scan {
  const files = sources.map(({ path, text }) => ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  const calls = new Map<string, Array<ts.CallExpression | ts.NewExpression>>();
  const topLevel = new Map<string, ts.VariableDeclaration[]>();
  const raising: ts.Expression[] = [];
  const unresolvedSites: ts.Node[] = [];

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) append(calls, callee.text, node);
      else if (ts.isPropertyAccessExpression(callee)) append(calls, callee.name.text, node);
    }
    const isRaising =
      (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "DomainError") ||
      (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && extendsDomainError(node));
    if (isRaising) {
      const code = node.arguments?.[0];
      if (code === undefined) unresolvedSites.push(node);
      else raising.push(code);
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) append(topLevel, declaration.name.text, declaration);
      }
    }
    visit(file);
  }

  const following = new Set<ts.Node>();

  function outcomes(expression: ts.Expression, path: readonly number[]): Outcome[] {
    const node = bare(expression);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      return path.length === 0 ? [{ kind: "code", code: node.text, node }] : [{ kind: "unknown", node }];
    }
    if (ts.isTemplateExpression(node)) {
      return path.length === 0 && /^[A-Z][A-Z0-9_]*\.$/.test(node.head.text)
        ? [{ kind: "family", prefix: node.head.text, node }]
        : [{ kind: "unknown", node }];
    }
    if (ts.isConditionalExpression(node)) return [...outcomes(node.whenTrue, path), ...outcomes(node.whenFalse, path)];
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      return [...outcomes(node.left, path), ...outcomes(node.right, path)];
    }
    if (ts.isArrayLiteralExpression(node)) {
      const [index, ...rest] = path;
      const element = index === undefined ? undefined : node.elements[index];
      return element === undefined ? [{ kind: "unknown", node }] : outcomes(element, rest);
    }
    if (ts.isElementAccessExpression(node)) {
      // A lookup in a code table (`HTTP_CODES[status]`) may yield any of its entries.
      const table = tableOf(node.expression);
      if (table !== undefined) return table.properties.flatMap((property) => propertyOutcomes(property, path));
    }
    if (ts.isPropertyAccessExpression(node)) {
      const table = tableOf(node.expression);
      if (table !== undefined) {
        const property = table.properties.find((candidate) => nameOf(candidate) === node.name.text);
        return property === undefined ? [{ kind: "unknown", node }] : propertyOutcomes(property, path);
      }
      if (node.name.text === "code" && path.length === 0) return [{ kind: "relayed" }];
    }
    if (ts.isIdentifier(node)) return identifierOutcomes(node, path);
    return [{ kind: "unknown", node }];
  }

  function propertyOutcomes(property: ts.ObjectLiteralElementLike, path: readonly number[]): Outcome[] {
    return ts.isPropertyAssignment(property)
      ? outcomes(property.initializer, path)
      : [{ kind: "unknown", node: property }];
  }

  function identifierOutcomes(identifier: ts.Identifier, path: readonly number[]): Outcome[] {
    const declaration = declarationOf(identifier);
    if (declaration !== undefined && following.has(declaration)) return [];
    if (declaration !== undefined) following.add(declaration);
    try {
      if (declaration === undefined) return [{ kind: "unknown", node: identifier }];
      if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
        return outcomes(declaration.initializer, path);
      }
      if (ts.isBindingElement(declaration) && ts.isArrayBindingPattern(declaration.parent)) {
        const owner = declaration.parent.parent;
        const index = declaration.parent.elements.indexOf(declaration);
        if (ts.isVariableDeclaration(owner) && owner.initializer !== undefined) {
          return outcomes(owner.initializer, [index, ...path]);
        }
      }
      if (ts.isParameter(declaration)) return parameterOutcomes(declaration, path);
      return [{ kind: "unknown", node: identifier }];
    } finally {
      following.delete(declaration ?? identifier);
    }
  }

  /** A helper that takes the code as a parameter raises whatever its callers pass. */
  function parameterOutcomes(parameter: ts.ParameterDeclaration, path: readonly number[]): Outcome[] {
    const callee = calleeName(parameter.parent);
    if (callee === undefined) return [{ kind: "unknown", node: parameter }];
    const index = parameter.parent.parameters.indexOf(parameter);
    return (calls.get(callee) ?? []).flatMap((call) => {
      const argument = call.arguments?.[index] ?? parameter.initializer;
      return argument === undefined ? [] : outcomes(argument, path);
    });
  }

  /** The object literal a constant names (`LABEL_ERRORS`, `{ … } as const`), here or in the file it is imported from. */
  function tableOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const node = bare(expression);
    if (!ts.isIdentifier(node)) return undefined;
    const declaration = declarationOf(node);
    const variable =
      declaration !== undefined && ts.isImportSpecifier(declaration)
        ? importedConstant(declaration)
        : declaration !== undefined && ts.isVariableDeclaration(declaration)
          ? declaration
          : undefined;
    const initializer = variable?.initializer === undefined ? undefined : bare(variable.initializer);
    return initializer !== undefined && ts.isObjectLiteralExpression(initializer) ? initializer : undefined;
  }

  function importedConstant(specifier: ts.ImportSpecifier): ts.VariableDeclaration | undefined {
    const candidates = topLevel.get((specifier.propertyName ?? specifier.name).text) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  const codes = new Map<string, string>();
  const families = new Map<string, string>();
  const unresolved = unresolvedSites.map(where);
  for (const site of raising) {
    for (const outcome of outcomes(site, [])) {
      if (outcome.kind === "code" && !codes.has(outcome.code)) codes.set(outcome.code, where(outcome.node));
      if (outcome.kind === "family" && !families.has(outcome.prefix)) families.set(outcome.prefix, where(outcome.node));
      if (outcome.kind === "unknown") unresolved.push(`${where(outcome.node)}: ${outcome.node.getText()}`);
    }
  }
  return { codes, families, unresolved };
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function bare(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    node = node.expression;
  }
  return node;
}

function extendsDomainError(node: ts.Node): boolean {
  let scope = node.parent;
  while (!ts.isClassLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  return (ts.isClassLike(scope) ? (scope.heritageClauses ?? []) : []).some(
    (clause) =>
      clause.token === ts.SyntaxKind.ExtendsKeyword &&
      clause.types.some((type) => type.expression.getText() === "DomainError"),
  );
}

/** The name a function is called by: its own (a method's too), its variable's, or its class's for a constructor. */
function calleeName(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if (ts.isMethodDeclaration(fn)) return ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  if (ts.isConstructorDeclaration(fn)) return ts.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) {
    return ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  }
  return undefined;
}

function nameOf(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (name === undefined) return undefined;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** Where `identifier` is declared, by the scopes around it: a parameter, a catch variable, a const, an import. */
function declarationOf(identifier: ts.Identifier): ts.Node | undefined {
  const name = identifier.text;
  for (let scope = identifier.parent; ; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (parameter !== undefined) return parameter;
    }
    if (ts.isCatchClause(scope)) {
      const variable = scope.variableDeclaration;
      if (variable !== undefined && ts.isIdentifier(variable.name) && variable.name.text === name) return variable;
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        const found = declaredBy(statement, name);
        if (found !== undefined) return found;
      }
    }
    if (ts.isSourceFile(scope)) return undefined;
  }
}

function declaredBy(statement: ts.Statement, name: string): ts.Node | undefined {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const found = boundIn(declaration.name, name);
      if (found !== undefined) return found === declaration.name ? declaration : found;
    }
  }
  if (ts.isImportDeclaration(statement)) {
    const bindings = statement.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      return bindings.elements.find((element) => element.name.text === name);
    }
  }
  return undefined;
}

function boundIn(binding: ts.BindingName, name: string): ts.Node | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? binding : undefined;
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = boundIn(element.name, name);
    if (found !== undefined) return found === element.name ? element : found;
  }
  return undefined;
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  return `${file.fileName}:${String(file.getLineAndCharacterOfPosition(node.getStart()).line + 1)}`;
}

/** Custom errors the contracts declare: a revert of one surfaces as `CHAIN.<name>`. */
function solidityErrors(): Set<string> {
  const names = readdirSync(join(ROOT, "contracts"), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".sol"))
    .flatMap((path) => [...readFileSync(join(ROOT, "contracts", path), "utf8").matchAll(/\berror\s+(\w+)\s*\(/g)])
    .map((match) => match[1]!);
  return new Set(names);
}

const CODE = /^[A-Z][A-Z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/;
const FAMILY = /^([A-Z][A-Z0-9_]*\.)<[^>]+>$/;
const DOCUMENTED = new Set([...DOC.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!.trim()));
const DOCUMENTED_FAMILIES = new Set([...DOCUMENTED].flatMap((token) => FAMILY.exec(token)?.[1] ?? []));

describe("scanCodes", () => {
  it("follows multi-line calls, ternaries, code tables, helpers, subclasses and built codes", () => {
    const scan = scanCodes([
      {
        path: "demo.ts",
        text: `
          import { DomainError } from "#common";
          import { SHARED } from "./shared.js";
          const TABLE = { missing: "DEMO.FROM_TABLE" } as const;
          const PAIRS: Record<number, [string, string]> = { 1: ["DEMO.FROM_PAIR", "invalid"] };
          export function demoError(code: string): DomainError {
            return new DomainError(code, "invalid", "x");
          }
          class Errors {
            static of(code: string): DomainError {
              return new DomainError(code, "invalid", "x");
            }
          }
          export function fail(flag: boolean, status: number, name: string): never {
            if (flag) throw demoError(TABLE.missing);
            if (status > 1) throw demoError(SHARED.other);
            if (status > 2) throw Errors.of("DEMO.VIA_METHOD");
            const [code] = PAIRS[status] ?? [\`DEMO.\${name}\`, "invalid"];
            if (status > 0) throw new DomainError(code, "invalid", "x");
            try {
              throw new DomainError(
                flag ? "DEMO.WHEN_TRUE" : "DEMO.WHEN_FALSE",
                "invalid",
                "CBV2.0 and DEMO.IN_A_MESSAGE are not codes",
              );
            } catch (error) {
              throw new DomainError((error as DomainError).code, "invalid", "rethrown with context");
            }
          }
          export class DemoError extends DomainError {
            constructor() {
              super("DEMO.SUBCLASS", "invalid", "x");
            }
          }
          const EVENT_TYPE = "EPCIS.ObjectEvent";
        `,
      },
      { path: "shared.ts", text: `export const SHARED = { other: "DEMO.IMPORTED" };` },
    ]);
    expect([...scan.codes.keys()].sort()).toEqual([
      "DEMO.FROM_PAIR",
      "DEMO.FROM_TABLE",
      "DEMO.IMPORTED",
      "DEMO.SUBCLASS",
      "DEMO.VIA_METHOD",
      "DEMO.WHEN_FALSE",
      "DEMO.WHEN_TRUE",
    ]);
    expect([...scan.families.keys()]).toEqual(["DEMO."]);
    expect(scan.unresolved).toEqual([]);
  });

  it("reports a code it cannot follow", () => {
    const scan = scanCodes([{ path: "demo.ts", text: `throw new DomainError(\n  codeFor(input), "invalid", "x");` }]);
    expect(scan.unresolved).toEqual(["demo.ts:2: codeFor(input)"]);
  });
});

describe("docs/problems.md", () => {
  const scan = scanCodes(sourceTree());
  const chainErrors = solidityErrors();

  it("can tell which codes every DomainError in apps/, libs/ and scripts/ raises", () => {
    expect(scan.unresolved).toEqual([]);
    expect(scan.codes.size).toBeGreaterThan(100);
  });

  it("lists every code the source raises", () => {
    const undocumented = [...scan.codes]
      .filter(([code]) => !DOCUMENTED.has(code))
      .map(([code, place]) => `${code} (raised at ${place})`);
    expect(undocumented).toEqual([]);
  });

  it("lists every family of codes built at run time, as `PREFIX.<what>`", () => {
    const undocumented = [...scan.families]
      .filter(([prefix]) => !DOCUMENTED_FAMILIES.has(prefix))
      .map(([prefix, place]) => `${prefix}<…> (built at ${place})`);
    expect(undocumented).toEqual([]);
  });

  it("lists no code that nothing raises any more", () => {
    const raised = (code: string): boolean =>
      scan.codes.has(code) ||
      (code.startsWith("CHAIN.") && scan.families.has("CHAIN.") && chainErrors.has(code.slice("CHAIN.".length)));
    const stale = [...DOCUMENTED].filter((token) => CODE.test(token) && !raised(token));
    const staleFamilies = [...DOCUMENTED_FAMILIES].filter((prefix) => !scan.families.has(prefix));
    expect([...stale, ...staleFamilies.map((prefix) => `${prefix}<…>`)]).toEqual([]);
  });
});
