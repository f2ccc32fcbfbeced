import { describe, expect, it } from "@jest/globals";
import type {
  ImporterOptions as CidImportOptions,
  StandardMerkleTree,
  TypedDataDomain,
  TypedDataField,
} from "../package/externals.js";
import type * as ethers from "ethers";
import type * as merkle from "@openzeppelin/merkle-tree";
import type { ImporterOptions } from "ipfs-unixfs-importer";

/**
 * The installed package's declarations use apps/cli/package/externals.d.ts in place of three packages' types.
 * These hold each stand-in to the real type at compile time (`npm run lint:types` fails on a `false` below), so
 * that a dependency update that changes one is noticed. Jest only sees the values.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Wide, Narrow> = [Narrow] extends [Wide] ? true : false;

type Leaf = [digest: string, signer: string];
type CidOptions = "cidVersion" | "rawLeaves" | "chunker" | "layout";

const sameAsInstalled = {
  typedDataDomain: true satisfies Same<TypedDataDomain, ethers.TypedDataDomain>,
  typedDataField: true satisfies Same<TypedDataField, ethers.TypedDataField>,
  treeDump: true satisfies Same<
    ReturnType<StandardMerkleTree<Leaf>["dump"]>,
    ReturnType<merkle.StandardMerkleTree<Leaf>["dump"]>
  >,
  // The stand-in tree has the reading methods only, and the CID options leave `layout` opaque: the real types
  // must fit them.
  tree: true satisfies Accepts<StandardMerkleTree<Leaf>, merkle.StandardMerkleTree<Leaf>>,
  importerOptions: true satisfies Accepts<Pick<CidImportOptions, CidOptions>, Pick<ImporterOptions, CidOptions>>,
};

describe("the SDK's stand-ins for third-party types", () => {
  it("match the installed packages' types", () => {
    expect(Object.values(sameAsInstalled).every((same) => same)).toBe(true);
  });
});
