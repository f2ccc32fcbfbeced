import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateChainContract1763784000000 implements MigrationInterface {
  name = "CreateChainContract1763784000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "chain_contract" (
        "chain_id" bigint NOT NULL,
        "name" text NOT NULL,
        "address" text NOT NULL,
        "deploy_tx_hash" text,
        "deploy_block" bigint,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_chain_contract" PRIMARY KEY ("chain_id", "name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chain_contract"`);
  }
}
