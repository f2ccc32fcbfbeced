import { hashUriOf } from "./event-hash.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { EPCIS_CONTEXT_PREFIXES, type Namespaces } from "./namespaces.js";
import { preHashWith } from "./pre-hash.js";

/**
 * Why a partner's tool computed another hash for an event than we do. Two choices of the Python reference
 * implementation depart from CBV 2.0 on purpose here (docs/event-hash.md): it writes JSON booleans as `True` /
 * `False` (CBV: as in XML, `true`), and it expands only the prefixes a document declares (CBV: every compact IRI,
 * so also the `gs1:`, `cbv:`, `cbvmda:` … that the EPCIS context declares). A claimed hash that one of them
 * reproduces names its cause and the fields it touches; otherwise the cause is unknown and our pre-hash string is
 * what to compare with (`carbontrace hash --explain`).
 */
export interface HashDifference {
  readonly cause: "python-booleans" | "undeclared-prefixes" | "python-booleans+undeclared-prefixes" | "unknown";
  /** JSON paths of the fields written differently under that cause (empty when unknown). */
  readonly fields: readonly string[];
  /** Our pre-hash string, whose SHA-256 is our hash. */
  readonly preHash: string;
}

export function explainHashDifference(
  event: JsonObject,
  namespaces: Namespaces,
  claimedHash: string,
  ignoredFields?: ReadonlySet<string>,
): HashDifference {
  const preHash = preHashWith(event, { namespaces, ignoredFields });
  const booleans = pathsOf(event, (value) => typeof value === "boolean");
  const undeclared = Object.keys(EPCIS_CONTEXT_PREFIXES).filter((prefix) => !Object.hasOwn(namespaces, prefix));
  const prefixed = pathsOf(event, (value, key) =>
    [key, value].some((text) => typeof text === "string" && undeclared.some((p) => text.startsWith(`${p}:`))),
  );
  const variants = [
    { cause: "python-booleans", fields: booleans, event: withPythonBooleans(event), declaredOnly: false },
    { cause: "undeclared-prefixes", fields: prefixed, event, declaredOnly: true },
    {
      cause: "python-booleans+undeclared-prefixes",
      fields: [...booleans, ...prefixed],
      event: withPythonBooleans(event),
      declaredOnly: true,
    },
  ] as const;
  for (const variant of variants) {
    if (variant.fields.length === 0) continue;
    const text = preHashWith(variant.event, { namespaces, ignoredFields, declaredPrefixesOnly: variant.declaredOnly });
    if (hashUriOf(text) === claimedHash) return { cause: variant.cause, fields: variant.fields, preHash };
  }
  return { cause: "unknown", fields: [], preHash };
}

function withPythonBooleans(value: unknown): unknown {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return value.map(withPythonBooleans);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPythonBooleans(v)]));
  return value;
}

/** JSON paths (`ct:activity.electricity[0].renewable`) of the values, or keys, the test picks. */
function pathsOf(value: unknown, test: (value: unknown, key: string) => boolean, path = "", key = ""): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => pathsOf(item, test, `${path}[${String(index)}]`, key));
  if (!isJsonObject(value)) return path !== "" && test(value, key) ? [path] : [];
  const own = path !== "" && test(undefined, key) ? [path] : [];
  return [
    ...own,
    ...Object.entries(value).flatMap(([name, inner]) =>
      pathsOf(inner, test, path === "" ? name : `${path}.${name}`, name),
    ),
  ];
}
