import { isError, type Provider } from "ethers";

/** A transaction the service signed and recorded before broadcasting it. */
export interface RecordedTransaction {
  readonly hash: string;
  /** The signed bytes; null when a send was recorded without them (nothing to send again). */
  readonly raw: string | null;
}

/** Where a recorded transaction is, as the node sees it. */
export type SentState =
  | { readonly state: "mined"; readonly hash: string; readonly blockNumber: number }
  | { readonly state: "reverted"; readonly hash: string; readonly blockNumber: number }
  | { readonly state: "pending" }
  /** The node has never heard of it (the broadcast was lost, or the node restarted): send the same bytes again. */
  | { readonly state: "unknown" };

/**
 * What the node says about a transaction the service recorded as sent. Every outbox of the service (the anchor
 * batches, the chain jobs) settles its sent rows through this, after a crash as in the normal course.
 */
export async function sentState(provider: Provider, sent: RecordedTransaction): Promise<SentState> {
  const receipt = await provider.getTransactionReceipt(sent.hash);
  if (receipt !== null) {
    return { state: receipt.status === 0 ? "reverted" : "mined", hash: receipt.hash, blockNumber: receipt.blockNumber };
  }
  return (await provider.getTransaction(sent.hash)) === null ? { state: "unknown" } : { state: "pending" };
}

/** What sending recorded bytes again came to. */
export type ResendOutcome =
  /** The node has the transaction (again, or still). */
  | "sent"
  /** It can never be mined: its nonce was taken by another transaction, or no bytes were recorded. */
  | "dropped";

/**
 * Sends a recorded transaction again, the very same bytes (the same hash): never a second transaction for one
 * intent. Any other failure (the node unreachable) is thrown, to be retried.
 */
export async function resend(
  signer: { rebroadcast(raw: string): Promise<unknown> },
  sent: RecordedTransaction,
): Promise<ResendOutcome> {
  if (sent.raw === null) return "dropped";
  try {
    await signer.rebroadcast(sent.raw);
    return "sent";
  } catch (error) {
    if (/already known/i.test(String(error))) return "sent";
    if (isError(error, "NONCE_EXPIRED") || /nonce too low/i.test(String(error))) return "dropped";
    throw error;
  }
}
