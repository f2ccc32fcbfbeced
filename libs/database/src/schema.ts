import { ChainContractEntity } from "./entities/chain-contract.entity.js";
import { CreateChainContract1763784000000 } from "./migrations/1763784000000-CreateChainContract.js";

/** Every entity, listed explicitly so the same list works from sources (tests) and from dist (runtime). */
export const ENTITIES = [ChainContractEntity];

/** Every migration in order. Never edit one that has been merged: add a new one. */
export const MIGRATIONS = [CreateChainContract1763784000000];
