export { issueApiKey, parseApiKey, secretMatches, tokenMatches, type IssuedApiKey } from "./api-keys.js";
export {
  hashPassphrase,
  issueConsoleToken,
  issueCsrfToken,
  parseConsoleToken,
  passphraseMatches,
  sha256Matches,
  type ConsoleTokenKind,
  type IssuedConsoleToken,
} from "./console-secrets.js";
export { KeyVault } from "./key-vault.js";
