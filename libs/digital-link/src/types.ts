/** One GS1 element: an Application Identifier and its (decoded) value. */
export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

/** A parsed GS1 Digital Link URI. */
export interface DigitalLink {
  /** Scheme, host and any path prefix before the primary key, e.g. `https://example.com/some/prefix`. */
  readonly stem: string;
  /** Primary key, its key qualifiers in path order, then the data attributes in query order. */
  readonly elements: readonly AiElement[];
  /** The same data as a GS1 element string with `^` for FNC1, e.g. `^0109520123456788^10ABC123`. */
  readonly aiString: string;
}

/**
 * Relaxations of strict GS1 Digital Link syntax; they mirror gs1-syntax-engine's settings of the same
 * meaning. All default to the strict behaviour.
 */
export interface DigitalLinkOptions {
  /** Accept deprecated convenience alphas in the path, e.g. `/gtin/…` for `/01/…` (default false). */
  readonly permitConvenienceAlphas?: boolean;
  /** Accept GTIN-8/12/13 for AI (01) in a URI and pad it to GTIN-14 (default false). */
  readonly permitZeroSuppressedGtin?: boolean;
  /** Accept AIs that the GS1 Syntax Dictionary does not define (default false). */
  readonly permitUnknownAis?: boolean;
  /** Even when unknown AIs are accepted, refuse them as query data attributes (default true). */
  readonly rejectUnknownAiAsDataAttribute?: boolean;
}

export type ResolvedOptions = Required<DigitalLinkOptions>;

export function resolveOptions(options: DigitalLinkOptions = {}): ResolvedOptions {
  return {
    permitConvenienceAlphas: options.permitConvenienceAlphas ?? false,
    permitZeroSuppressedGtin: options.permitZeroSuppressedGtin ?? false,
    permitUnknownAis: options.permitUnknownAis ?? false,
    rejectUnknownAiAsDataAttribute: options.rejectUnknownAiAsDataAttribute ?? true,
  };
}
