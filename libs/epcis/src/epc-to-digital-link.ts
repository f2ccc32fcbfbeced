import { invalidEpc } from "./errors.js";
import { withCheckDigit } from "./gs1-check-digit.js";

/**
 * EPC URIs (TDS 2.x pure identities `urn:epc:id:…`, `urn:epc:class:lgtin:…` and the "all serials of a class"
 * patterns `urn:epc:idpat:…:<class>.*`) → canonical GS1 Digital Link URIs on https://id.gs1.org.
 * The GS1 company prefix ends at the first dot; the key is rebuilt around it and its check digit computed.
 */
const ID_GS1_ORG = "https://id.gs1.org/";

/** A GS3A3 character: the literal characters EPC URIs allow, or a %-escape of another GS1 AI character. */
const GS3A3_CHAR = String.raw`(?:%(?:2[125-9A-Fa-f]|3[0-9A-Fa-f]|4[1-9A-Fa-f]|5[0-9AaFf]|6[1-9A-Fa-f]|7[0-9Aa])|[!'()*+,\-.0-9:;=A-Z_a-z])`;
/** A character of a CPI component reference: 0-9, A-Z, '-', and the escapes of '#', '-', '/'. */
const CPI_CHAR = String.raw`(?:%(?:2[3DFdf]|3[0-9]|4[1-9A-Fa-f]|5[0-9Aa])|[0-9A-Z-])`;

const NO_DIGITAL_LINK = Symbol("no Digital Link equivalent");
type Conversion = string | typeof NO_DIGITAL_LINK | undefined;
type Converter = (components: readonly string[]) => Conversion;

interface EpcScheme {
  readonly components: number;
  readonly convert: Converter;
}

const EPC_URI = /^urn:epc:(id|class|idpat):([A-Za-z0-9]+):(.*)$/;

/**
 * The canonical GS1 Digital Link URI of an EPC URI, or undefined when the value is not an EPC URI or its scheme
 * has no Digital Link equivalent (e.g. `urn:epc:id:adi`, `urn:epc:idpat:sgtin:4012345.*.*`).
 * @throws DomainError `EPCIS.INVALID_EPC` for a malformed URI of a scheme that has one.
 */
export function epcToDigitalLink(uri: string): string | undefined {
  const match = EPC_URI.exec(uri);
  if (match === null) return undefined;
  const [, kind = "", scheme = "", body = ""] = match;
  const definition = SCHEMES.get(`${kind}:${scheme}`);
  if (definition === undefined) return undefined;
  const components = splitComponents(body, definition.components);
  const conversion = components === undefined ? undefined : definition.convert(components);
  if (conversion === undefined) throw invalidEpc(uri, scheme);
  return conversion === NO_DIGITAL_LINK ? undefined : ID_GS1_ORG + conversion;
}

/** The last component keeps any further dots: serials and extensions may contain them. */
function splitComponents(body: string, count: number): string[] | undefined {
  const components: string[] = [];
  let rest = body;
  for (let index = 1; index < count; index++) {
    const dot = rest.indexOf(".");
    if (dot < 0) return undefined;
    components.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  components.push(rest);
  return components;
}

function isGs3a3(text: string, maxLength: number): boolean {
  return new RegExp(`^${GS3A3_CHAR}{1,${maxLength}}$`).test(text);
}

function isCompanyPrefix(text: string): boolean {
  return /^\d{6,12}$/.test(text);
}

/** GS1 company prefix and reference making a key of `length` digits (check digit excluded). */
function keyDigits(companyPrefix: string, reference: string, length: number): string | undefined {
  const valid = isCompanyPrefix(companyPrefix) && /^\d*$/.test(reference);
  return valid && companyPrefix.length + reference.length === length ? companyPrefix + reference : undefined;
}

/** GTIN-14: the item reference's first digit is the indicator digit and goes in front of the company prefix. */
function gtinOf(companyPrefix: string, itemReference: string): string | undefined {
  const digits = keyDigits(companyPrefix, itemReference, 13);
  return digits === undefined
    ? undefined
    : withCheckDigit(itemReference.slice(0, 1) + companyPrefix + itemReference.slice(1));
}

/** SSCC: the serial reference's first digit is the extension digit and goes in front of the company prefix. */
function ssccOf(companyPrefix: string, serialReference: string): string | undefined {
  const digits = keyDigits(companyPrefix, serialReference, 17);
  return digits === undefined
    ? undefined
    : withCheckDigit(serialReference.slice(0, 1) + companyPrefix + serialReference.slice(1));
}

function checkedKey(companyPrefix: string, reference: string, length: number): string | undefined {
  const digits = keyDigits(companyPrefix, reference, length);
  return digits === undefined ? undefined : withCheckDigit(digits);
}

/** Characters GS1 Digital Link requires to be percent-encoded that EPC URIs leave literal. */
const DIGITAL_LINK_ESCAPES: Readonly<Record<string, string>> = {
  "!": "%21",
  "(": "%28",
  ")": "%29",
  "*": "%2A",
  "+": "%2B",
  ",": "%2C",
  ":": "%3A",
};

function encoded(text: string): string {
  return text.replace(/[!()*+,:]/g, (character) => DIGITAL_LINK_ESCAPES[character] ?? character);
}

/** `undefined` when any part is missing, so one malformed component fails the whole conversion. */
function path(...parts: ReadonlyArray<string | undefined>): string | undefined {
  return parts.every((part) => part !== undefined) ? parts.join("") : undefined;
}

function when(condition: boolean, text: string): string | undefined {
  return condition ? text : undefined;
}

/** Patterns convert only in their "every serial of one class" form; other wildcards have no key to link to. */
function pattern(convert: (components: readonly string[]) => string | undefined): Converter {
  return (components) => {
    const converted = components.at(-1) === "*" ? convert(components) : undefined;
    return converted ?? (components.includes("*") ? NO_DIGITAL_LINK : undefined);
  };
}

const SCHEMES = new Map<string, EpcScheme>([
  [
    "id:sgtin",
    {
      components: 3,
      convert: ([cp = "", item = "", serial = ""]) =>
        path("01/", gtinOf(cp, item), "/21/", when(isGs3a3(serial, 20), encoded(serial))),
    },
  ],
  ["id:sscc", { components: 2, convert: ([cp = "", serial = ""]) => path("00/", ssccOf(cp, serial)) }],
  [
    "id:sgln",
    {
      components: 3,
      convert: ([cp = "", location = "", extension = ""]) =>
        path(
          "414/",
          checkedKey(cp, location, 12),
          when(isGs3a3(extension, 20), extension === "0" ? "" : `/254/${encoded(extension)}`),
        ),
    },
  ],
  // GRAI-14 starts with a zero the EPC URI leaves out (it does not change the check digit).
  [
    "id:grai",
    {
      components: 3,
      convert: ([cp = "", assetType = "", serial = ""]) =>
        // GRAI-14 starts with a zero the EPC URI leaves out (it does not change the check digit).
        path("8003/0", checkedKey(cp, assetType, 12), when(isGs3a3(serial, 16), encoded(serial))),
    },
  ],
  [
    "id:giai",
    {
      components: 2,
      convert: ([cp = "", asset = ""]) =>
        when(isCompanyPrefix(cp) && isGs3a3(asset, 30 - cp.length), `8004/${cp}${encoded(asset)}`),
    },
  ],
  ["id:gsrn", { components: 2, convert: ([cp = "", service = ""]) => path("8018/", checkedKey(cp, service, 17)) }],
  ["id:gsrnp", { components: 2, convert: ([cp = "", service = ""]) => path("8017/", checkedKey(cp, service, 17)) }],
  [
    "id:gdti",
    {
      components: 3,
      convert: ([cp = "", documentType = "", serial = ""]) =>
        path("253/", checkedKey(cp, documentType, 12), when(serial === "" || isGs3a3(serial, 17), encoded(serial))),
    },
  ],
  [
    "id:cpi",
    {
      components: 3,
      convert: ([cp = "", reference = "", serial = ""]) =>
        path("8010/", cpidOf(cp, reference), when(/^\d{1,12}$/.test(serial), `/8011/${serial}`)),
    },
  ],
  [
    "id:sgcn",
    {
      components: 3,
      convert: ([cp = "", coupon = "", serial = ""]) =>
        path("255/", checkedKey(cp, coupon, 12), when(/^\d{1,12}$/.test(serial), serial)),
    },
  ],
  [
    "id:ginc",
    {
      components: 2,
      convert: ([cp = "", consignment = ""]) =>
        when(isCompanyPrefix(cp) && isGs3a3(consignment, 30 - cp.length), `401/${cp}${encoded(consignment)}`),
    },
  ],
  ["id:gsin", { components: 2, convert: ([cp = "", shipper = ""]) => path("402/", checkedKey(cp, shipper, 16)) }],
  [
    "id:itip",
    {
      components: 5,
      convert: ([cp = "", item = "", piece = "", total = "", serial = ""]) =>
        path("8006/", gtinOf(cp, item), pieceOfTotal(piece, total), "/21/", when(isGs3a3(serial, 20), encoded(serial))),
    },
  ],
  [
    "id:upui",
    {
      components: 3,
      convert: ([cp = "", item = "", tpx = ""]) =>
        path("01/", gtinOf(cp, item), "/235/", when(isGs3a3(tpx, 28), encoded(tpx))),
    },
  ],
  ["id:pgln", { components: 2, convert: ([cp = "", party = ""]) => path("417/", checkedKey(cp, party, 12)) }],
  [
    "class:lgtin",
    {
      components: 3,
      convert: ([cp = "", item = "", lot = ""]) =>
        path("01/", gtinOf(cp, item), "/10/", when(isGs3a3(lot, 20), encoded(lot))),
    },
  ],
  ["idpat:sgtin", { components: 3, convert: pattern(([cp = "", item = ""]) => path("01/", gtinOf(cp, item))) }],
  ["idpat:upui", { components: 3, convert: pattern(([cp = "", item = ""]) => path("01/", gtinOf(cp, item))) }],
  [
    "idpat:grai",
    { components: 3, convert: pattern(([cp = "", assetType = ""]) => path("8003/0", checkedKey(cp, assetType, 12))) },
  ],
  [
    "idpat:gdti",
    {
      components: 3,
      convert: pattern(([cp = "", documentType = ""]) => path("253/", checkedKey(cp, documentType, 12))),
    },
  ],
  [
    "idpat:sgcn",
    { components: 3, convert: pattern(([cp = "", coupon = ""]) => path("255/", checkedKey(cp, coupon, 12))) },
  ],
  [
    "idpat:cpi",
    { components: 3, convert: pattern(([cp = "", reference = ""]) => path("8010/", cpidOf(cp, reference))) },
  ],
  [
    "idpat:itip",
    {
      components: 5,
      convert: pattern(([cp = "", item = "", piece = "", total = ""]) =>
        path("8006/", gtinOf(cp, item), pieceOfTotal(piece, total)),
      ),
    },
  ],
]);

function cpidOf(companyPrefix: string, reference: string): string | undefined {
  const valid =
    isCompanyPrefix(companyPrefix) && new RegExp(`^${CPI_CHAR}{1,${30 - companyPrefix.length}}$`).test(reference);
  return valid ? encoded(companyPrefix + reference) : undefined;
}

function pieceOfTotal(piece: string, total: string): string | undefined {
  return /^\d{2}$/.test(piece) && /^\d{2}$/.test(total) ? piece + total : undefined;
}
