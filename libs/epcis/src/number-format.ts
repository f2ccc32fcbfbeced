/**
 * Numbers as the reference implementation writes them: Python's `float()` decides what is a number, integral
 * values lose their ".0" (`str(int(x))`), others use Python's shortest repr (exponent form below 1e-4).
 */
const PYTHON_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** The canonical form of a numeric text, or undefined when the text is not a (finite) number. */
export function canonicalNumber(text: string): string | undefined {
  if (!PYTHON_FLOAT.test(text)) return undefined;
  const value = Number(text.replaceAll("_", ""));
  return Number.isFinite(value) ? formatNumber(value) : undefined;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  return Math.abs(value) >= 1e-4 ? String(value) : pythonExponential(value);
}

/** JS and Python agree on the shortest digits; Python pads the exponent to two digits and signs it. */
function pythonExponential(value: number): string {
  const [mantissa = "", exponent = ""] = value.toExponential().split("e");
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
}
