import { describe, expect, it } from "@jest/globals";
import {
  hashPassphrase,
  issueConsoleToken,
  issueCsrfToken,
  parseConsoleToken,
  passphraseMatches,
  sha256Matches,
} from "./console-secrets.js";

describe("console secrets", () => {
  it("issues invitation and session tokens that parse back only as their own kind", () => {
    const invitation = issueConsoleToken("invitation");
    const session = issueConsoleToken("session");
    expect(invitation.token).toMatch(/^cti_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseConsoleToken("invitation", invitation.token);
    expect(parsed?.id).toBe(invitation.id);
    expect(sha256Matches(parsed?.secret ?? "", invitation.secretSha256)).toBe(true);
    expect(parseConsoleToken("session", invitation.token)).toBeUndefined();
    expect(parseConsoleToken("session", session.token)?.id).toBe(session.id);
    expect(parseConsoleToken("session", `${session.token}x`)).toBeUndefined();
    expect(sha256Matches("another secret", invitation.secretSha256)).toBe(false);
  });

  it("keeps CSRF tokens as hashes", () => {
    const { token, sha256 } = issueCsrfToken();
    expect(sha256Matches(token, sha256)).toBe(true);
    expect(sha256Matches(issueCsrfToken().token, sha256)).toBe(false);
  });

  it("hashes passphrases with scrypt and a salt of their own, and checks them in constant time", async () => {
    const stored = await hashPassphrase("回收瓶子 correct horse");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassphrase("回收瓶子 correct horse")).not.toBe(stored);
    expect(await passphraseMatches("回收瓶子 correct horse", stored)).toBe(true);
    expect(await passphraseMatches("回收瓶子 correct horsE", stored)).toBe(false);
    expect(await passphraseMatches("anything", "md5$abc")).toBe(false);
  });
});
