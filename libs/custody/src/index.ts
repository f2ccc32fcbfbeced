export { issueApiKey, parseApiKey, secretMatches, tokenMatches, type IssuedApiKey } from "./api-keys.js";
export { KeyVault } from "./key-vault.js";
