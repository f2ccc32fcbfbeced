import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { extensionValidatorSource } from "#capture";
import { projectRoot } from "#runtime";

/** `npm run gen:validators`: rewrites the precompiled validator of the CarbonTrace EPCIS extension. */
writeFileSync(join(projectRoot(), "libs/capture/src/extension-validator.ts"), extensionValidatorSource());
