/**
 * A self-custody partner's key in the console, loaded only for such partners (ethers' scrypt and secp256k1 are
 * most of its bytes): opening a key file once, keeping it locked in a keystore (scrypt, AES), and signing a
 * document's events with it on the phone. Nothing here sends anything anywhere.
 */
import { getAddress, Wallet } from "ethers";
import { signDocument, signKeyPossession, type SigningDomain } from "#proof";

export type KeyOpened =
  | { readonly outcome: "kept"; readonly keystore: string }
  | { readonly outcome: "unreadable" }
  | { readonly outcome: "not-registered" };

/**
 * A key file as the CLI writes it (hex private key) or a keystore (JSON, opened with its passphrase), checked
 * against the company's registered address, then locked with the passphrase for keeping on this phone.
 */
export async function openKeyFile(text: string, passphrase: string, registered: string): Promise<KeyOpened> {
  const wallet = await walletFrom(text.trim(), passphrase);
  if (wallet === undefined) return { outcome: "unreadable" };
  if (getAddress(wallet.address) !== getAddress(registered)) return { outcome: "not-registered" };
  return { outcome: "kept", keystore: await wallet.encrypt(passphrase) };
}

async function walletFrom(text: string, passphrase: string): Promise<Wallet | undefined> {
  try {
    if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return new Wallet(text.startsWith("0x") ? text : `0x${text}`);
    const opened = await Wallet.fromEncryptedJson(text, passphrase);
    return opened instanceof Wallet ? opened : new Wallet(opened.privateKey);
  } catch {
    return undefined;
  }
}

/**
 * A new key made on this phone: its address, its keystore locked with the passphrase (to keep here and back up),
 * and the proof for the service that this phone holds it. The key itself is never returned.
 */
export async function createKey(
  passphrase: string,
  participantId: string,
  domain: SigningDomain,
): Promise<{ address: string; keystore: string; proof: string }> {
  const wallet = Wallet.createRandom();
  const [keystore, proof] = await Promise.all([
    wallet.encrypt(passphrase),
    signKeyPossession(wallet, domain, participantId),
  ]);
  return { address: wallet.address, keystore, proof };
}

/** The document with an EIP-712 signature of each event by the kept key; undefined when the passphrase is wrong. */
export async function signWithKeystore(
  keystore: string,
  passphrase: string,
  document: Record<string, unknown>,
  domain: SigningDomain,
): Promise<Record<string, unknown> | undefined> {
  const wallet = await Wallet.fromEncryptedJson(keystore, passphrase).catch(() => undefined);
  if (wallet === undefined) return undefined;
  return signDocument(document, wallet, domain);
}
