/**
 * GS1 Digital Link URIs: parse them into AI elements, build them from element strings, and make or check
 * the `/01/<GTIN>/10/<lot>` links on our labels. Pure TypeScript, no I/O, so it runs in Node and the browser.
 *
 * Hand-written rather than a dependency: GS1's own npm library digital-link.js@1.4.3 passed 87/140 of the
 * GS1 Syntax Engine Digital Link vectors in test/fixtures/digital-link (parse 70/118, generate 17/22). It
 * rejects uppercase schemes, IPv6 hosts, fragments, empty query parameters and AI (235); accepts key
 * qualifiers in the query, duplicate AIs and empty path segments; reorders numeric query AIs (it keeps them
 * as keys of a plain object); and has no switches for convenience alphas, zero-suppressed GTINs or unknown
 * AIs. This library ports the behaviour of gs1-syntax-engine (dl.c, ai.c and the GS1 Barcode Syntax
 * Dictionary @ 50657dbd) and passes all 140.
 */
export { DigitalLinkErrorCode } from "./errors.js";
export { buildDigitalLink, CANONICAL_STEM } from "./build-uri.js";
export { elementStringOf } from "./element-string.js";
export { labelUri, lotId, parseGtinPath, parseLabelPath, parseSerialPath, productUri, type LabelKey } from "./label.js";
export { parseDigitalLink } from "./parse-uri.js";
export { type AiElement, type DigitalLink, type DigitalLinkOptions } from "./types.js";
