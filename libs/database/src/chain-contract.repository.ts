import type { DataSource, Repository } from "typeorm";
import { ChainContractEntity } from "./entities/chain-contract.entity.js";

export interface ContractRecord {
  readonly chainId: bigint;
  readonly name: string;
  readonly address: string;
  readonly deployTxHash: string | null;
  readonly deployBlock: bigint | null;
}

/** The only code that reads or writes `chain_contract`. */
export class ChainContractRepository {
  private readonly repo: Repository<ChainContractEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(ChainContractEntity);
  }

  async findByChain(chainId: bigint): Promise<ContractRecord[]> {
    const rows = await this.repo.find({ where: { chainId: chainId.toString() }, order: { name: "ASC" } });
    return rows.map(toRecord);
  }

  async save(record: ContractRecord): Promise<void> {
    await this.repo.upsert(
      {
        chainId: record.chainId.toString(),
        name: record.name,
        address: record.address,
        deployTxHash: record.deployTxHash,
        deployBlock: record.deployBlock === null ? null : record.deployBlock.toString(),
      },
      ["chainId", "name"],
    );
  }
}

function toRecord(row: ChainContractEntity): ContractRecord {
  return {
    chainId: BigInt(row.chainId),
    name: row.name,
    address: row.address,
    deployTxHash: row.deployTxHash,
    deployBlock: row.deployBlock === null ? null : BigInt(row.deployBlock),
  };
}
