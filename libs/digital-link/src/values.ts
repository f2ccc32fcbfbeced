import { type AiEntry } from "./ai-table.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { characterSetProblem, type LintProblem, lintProblem } from "./linters.js";

/** An AI as it appears in the data (its digits) together with its dictionary entry. */
export interface ResolvedElement {
  readonly ai: string;
  readonly value: string;
  readonly entry: AiEntry;
}

function minLengthOf(entry: AiEntry): number {
  return entry.components.reduce((sum, component) => sum + (component.optional ? 0 : component.min), 0);
}

function maxLengthOf(entry: AiEntry): number {
  return entry.components.reduce((sum, component) => sum + component.max, 0);
}

/** The cheap checks upstream makes while parsing, before the per-component checks (`gs1_aiValLengthContentCheck`). */
export function assertValueLength({ ai, value, entry }: ResolvedElement): void {
  const details = { ai, value };
  if (value.length < minLengthOf(entry))
    throw digitalLinkError(
      DigitalLinkErrorCode.INVALID_VALUE,
      `AI (${ai}) value "${value}" is too short: it needs at least ${minLengthOf(entry)} characters`,
      details,
    );
  if (value.length > maxLengthOf(entry))
    throw digitalLinkError(
      DigitalLinkErrorCode.INVALID_VALUE,
      `AI (${ai}) value "${value}" is too long: it allows at most ${maxLengthOf(entry)} characters`,
      details,
    );
  if (value.includes("^"))
    throw digitalLinkError(DigitalLinkErrorCode.INVALID_VALUE, `AI (${ai}) value must not contain "^"`, details);
}

/**
 * Checks each component of the value in turn (character set, length, then its linters), like upstream's
 * `validate_ai_val`. An unknown AI of unknown length is checked together with its digits, as upstream
 * re-reads the whole element string and cannot tell where such an AI ends.
 */
export function assertValueContent({ ai, value, entry }: ResolvedElement): void {
  const data = entry.ai === "" ? `${ai}${value}` : value;
  let offset = 0;
  for (const component of entry.components) {
    const part = data.slice(offset, offset + component.max);
    if (component.optional && part.length === 0) continue;
    if (part.length < component.min)
      throw digitalLinkError(DigitalLinkErrorCode.INVALID_VALUE, `AI (${ai}) value "${value}" has the wrong length`, {
        ai,
        value,
      });
    const problem = characterSetProblem(component.cset, part) ?? firstLintProblem(component.linters, part);
    if (problem !== null) {
      const code =
        problem.kind === "check-digit" ? DigitalLinkErrorCode.CHECK_DIGIT : DigitalLinkErrorCode.INVALID_VALUE;
      throw digitalLinkError(code, `AI (${ai}) value "${value}" ${problem.message}`, { ai, value });
    }
    offset += part.length;
  }
}

function firstLintProblem(linters: readonly string[], part: string): LintProblem | null {
  for (const linter of linters) {
    const problem = lintProblem(linter, part);
    if (problem) return problem;
  }
  return null;
}
