import { NonceManager, type TransactionRequest, type TransactionResponse } from "ethers";

/**
 * Sends one transaction at a time with locally tracked nonces. ethers' NonceManager takes the nonce before
 * estimating gas, so a call that reverts during estimation would leave a gap and every later transaction would
 * wait forever; here a failed send re-reads the nonce from the node, which is safe because nothing else of
 * ours is in flight at that moment.
 */
export class SerialSigner extends NonceManager {
  private queue: Promise<unknown> = Promise.resolve();

  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    const sent = this.queue.then(async () => {
      try {
        return await super.sendTransaction(tx);
      } catch (error) {
        this.reset();
        throw error;
      }
    });
    this.queue = sent.catch(() => undefined);
    return sent;
  }
}
