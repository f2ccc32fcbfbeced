/** What the journey page hands its scripts (the JSON in #journey-config, rendered by apps/api/src/labels). */
export interface JourneyConfig {
  readonly bundleUrl: string;
  readonly rpcUrl: string | null;
  readonly traceLedger: string;
  readonly lang: "en" | "zh";
  /** The verifier's script (content-hashed), imported when the consumer asks to verify. */
  readonly verifierUrl: string;
  readonly texts: {
    readonly verifying: string;
    readonly passed: string;
    readonly failed: string;
    readonly skipped: string;
    readonly summaryPass: string;
    readonly summaryFail: string;
    readonly summaryIncomplete: string;
    readonly failedBy: string;
    readonly notChecked: string;
    readonly bundleUnavailable: string;
    readonly noRpc: string;
    readonly showTechnical: string;
    readonly hideTechnical: string;
    /** The verification state at the top of the page. */
    readonly state: Readonly<Record<"verified" | "failed" | "incomplete" | "unavailable", string>>;
    /** Each check in plain words in the page's language, by the verifier's check id. */
    readonly checkNames: Readonly<Record<string, string>>;
    /** Why checks could not be done, in the page's language, by words the verifier's reason contains. */
    readonly skipReasons: ReadonlyArray<{ readonly contains: string; readonly words: string }>;
  };
}
