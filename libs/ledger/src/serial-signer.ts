import {
  AbstractSigner,
  JsonRpcApiProvider,
  Transaction,
  type Provider,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
  type Wallet,
} from "ethers";

/** A transaction signed and about to be broadcast: enough to find it, or send it again, after a crash. */
export interface SignedTransaction {
  readonly hash: string;
  readonly nonce: number;
  readonly raw: string;
}

/**
 * Serialises sends across every process sending from the same account (API instances sharing a database): held
 * from reading the next nonce until the node has the transaction, so that no two senders sign with one nonce.
 */
export interface NonceLock {
  hold<T>(account: string, work: () => Promise<T>): Promise<T>;
}

/** One process alone sends from the account: the signer's own queue is enough. */
const THIS_PROCESS_ONLY: NonceLock = { hold: (_account, work) => work() };

/**
 * The service account's only way to send transactions: one at a time, each with the nonce the node reports as
 * next (`pending` count) once the previous one was accepted, so sends never collide and a failed estimate never
 * leaves a gap. `sendRecorded` hands the signed transaction to the caller before broadcasting it, so that it can
 * be made durable first: after a crash the same signed bytes are found or sent again, never a second anchor.
 */
export class SerialSigner extends AbstractSigner<JsonRpcApiProvider> {
  private queue: Promise<unknown> = Promise.resolve();
  private nonceLock: NonceLock = THIS_PROCESS_ONLY;

  /**
   * @param afterSend runs after each broadcast, with the transaction's hash, before the send resolves: the embedded
   * chain writes its state there, so that what the caller records as sent is on disk on the chain's side too.
   */
  constructor(
    private readonly wallet: Wallet,
    provider: JsonRpcApiProvider,
    private readonly afterSend: (txHash: string) => Promise<void> = () => Promise.resolve(),
  ) {
    super(provider);
  }

  override connect(provider: Provider | null): SerialSigner {
    if (!(provider instanceof JsonRpcApiProvider)) throw new Error("a SerialSigner needs a JSON-RPC provider");
    const connected = new SerialSigner(this.wallet, provider, this.afterSend);
    connected.shareNonces(this.nonceLock);
    return connected;
  }

  /** From now on, sends also hold `lock`: other processes sending from this account wait for them, and we for theirs. */
  shareNonces(lock: NonceLock): void {
    this.nonceLock = lock;
  }

  override getAddress(): Promise<string> {
    return Promise.resolve(this.wallet.address);
  }

  override signTransaction(tx: TransactionRequest): Promise<string> {
    return this.wallet.signTransaction(tx);
  }

  override signMessage(message: string | Uint8Array): Promise<string> {
    return this.wallet.signMessage(message);
  }

  override signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.wallet.signTypedData(domain, types, value);
  }

  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return this.sendRecorded(tx, () => Promise.resolve());
  }

  /** Signs, lets `record` persist the signed transaction, then broadcasts it. */
  sendRecorded(
    tx: TransactionRequest,
    record: (signed: SignedTransaction) => Promise<void>,
  ): Promise<TransactionResponse> {
    const sent = this.queue.then(() =>
      this.nonceLock.hold(this.wallet.address, async () => {
        const provider = this.provider;
        const nonce = await provider.getTransactionCount(this.wallet.address, "pending");
        const populated = await this.populateTransaction({ ...tx, nonce });
        const raw = await this.wallet.signTransaction(populated);
        const signed = Transaction.from(raw);
        await record({ hash: signed.hash ?? "", nonce, raw });
        return this.broadcast(raw);
      }),
    );
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  /** Sends an already signed transaction again (same hash); resolves with the node's answer or its error. */
  rebroadcast(raw: string): Promise<TransactionResponse> {
    const sent = this.queue.then(() => this.broadcast(raw));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private async broadcast(raw: string): Promise<TransactionResponse> {
    const response = await this.provider.broadcastTransaction(raw);
    await this.afterSend(response.hash);
    return response;
  }
}
