import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Drops `IDX_batch_leaf_batch` (batch_id): the unique constraint `UQ_batch_leaf_position` (batch_id, leaf_index)
 * leads with the same column and serves every lookup by batch, so the second index only cost an index entry (and
 * its WAL record) for every anchored event.
 */
export class DropRedundantBatchLeafIndex1765900000000 implements MigrationInterface {
  name = "DropRedundantBatchLeafIndex1765900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_batch_leaf_batch"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_batch_leaf_batch" ON "batch_leaf"("batch_id")`);
  }
}
