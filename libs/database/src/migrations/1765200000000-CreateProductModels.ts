import type { MigrationInterface, QueryRunner } from "typeorm";

/** Product models and their versions (issue 18, "online modelling"). */
export class CreateProductModels1765200000000 implements MigrationInterface {
  name = "CreateProductModels1765200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "product_model" ("id" text NOT NULL, "version" integer NOT NULL, "body" jsonb NOT NULL, "gtins" text array NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_product_model" PRIMARY KEY ("id", "version"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "product_model"`);
  }
}
