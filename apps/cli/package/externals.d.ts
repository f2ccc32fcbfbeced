/**
 * The few third-party types the SDK's declarations name (the proof bundle's Merkle tree dump, the EIP-712 signer,
 * the UnixFS import options). The installed package has no dependencies — everything is bundled — so its
 * declarations cannot import "ethers" & co.: scripts/pack-cli.ts points those imports here instead.
 * apps/cli/src/externals.spec.ts holds each one to the installed package's own type (checked by `npm run lint:types`).
 */

/** ethers 6: `BigNumberish` (string | Numeric). */
export type BigNumberish = string | number | bigint;

/** ethers 6: `BytesLike` (DataHexString | Uint8Array). */
export type BytesLike = string | Uint8Array;

/** ethers 6: the domain of an EIP-712 payload. */
export interface TypedDataDomain {
  name?: null | string;
  version?: null | string;
  chainId?: null | BigNumberish;
  verifyingContract?: null | string;
  salt?: null | BytesLike;
}

/** ethers 6: one field of an EIP-712 struct type. */
export interface TypedDataField {
  name: string;
  type: string;
}

/** @openzeppelin/merkle-tree: what `StandardMerkleTree.dump()` returns (the proof bundle's tree format). */
export interface StandardMerkleTreeData<T extends unknown[]> {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: T; treeIndex: number }[];
}

/** @openzeppelin/merkle-tree: the tree's public reading methods (the builders stay with the package). */
export declare class StandardMerkleTree<T extends unknown[]> {
  protected constructor();
  get root(): string;
  get length(): number;
  at(index: number): T | undefined;
  render(): string;
  dump(): StandardMerkleTreeData<T>;
  entries(): Iterable<[number, T]>;
  validate(): void;
  leafHash(leaf: T): string;
  leafLookup(leaf: T): number;
  getProof(leaf: number | T): string[];
  verify(leaf: number | T, proof: string[]): boolean;
}

/**
 * ipfs-unixfs-importer: the options the SDK's CID parameters set. `layout` is opaque here (its parameters are the
 * importer's internal DAG nodes); the package's own options are assignable to this.
 */
export interface ImporterOptions {
  cidVersion?: 0 | 1;
  rawLeaves?: boolean;
  chunker?: (source: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
  layout?: (source: never, reducer: never) => Promise<unknown>;
}
