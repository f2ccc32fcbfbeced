import type { MigrationInterface, QueryRunner } from "typeorm";

/** EPCIS named queries, their webhook subscriptions, and the deliveries' outbox (issue 20). */
export class CreateQuerySubscriptions1765100000000 implements MigrationInterface {
  name = "CreateQuerySubscriptions1765100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "epcis_subscription_delivery"`);
    await queryRunner.query(`DROP TABLE "epcis_subscription"`);
    await queryRunner.query(`DROP TABLE "epcis_named_query"`);
  }
}

const STATEMENTS: readonly string[] = [
  `CREATE TABLE "epcis_named_query" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner" text NOT NULL, "name" text NOT NULL, "parameters" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_epcis_named_query_owner_name" UNIQUE ("owner", "name"), CONSTRAINT "PK_epcis_named_query" PRIMARY KEY ("id"))`,
  `CREATE TABLE "epcis_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "query_id" uuid NOT NULL, "dest" text NOT NULL, "sealed_token" text, "stream" boolean NOT NULL, "schedule" jsonb, "report_if_empty" boolean NOT NULL DEFAULT false, "after_seq" bigint NOT NULL, "next_run_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_epcis_subscription_trigger" CHECK ("stream" OR "schedule" IS NOT NULL), CONSTRAINT "PK_epcis_subscription" PRIMARY KEY ("id"))`,
  `CREATE INDEX "IDX_epcis_subscription_query" ON "epcis_subscription" ("query_id") `,
  `CREATE TABLE "epcis_subscription_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subscription_id" uuid NOT NULL, "body" text NOT NULL, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lease_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_epcis_subscription_delivery_status" CHECK ("status" IN ('pending', 'delivered', 'abandoned')), CONSTRAINT "PK_epcis_subscription_delivery" PRIMARY KEY ("id"))`,
  `CREATE INDEX "IDX_epcis_subscription_delivery_subscription" ON "epcis_subscription_delivery" ("subscription_id") `,
  `CREATE INDEX "IDX_epcis_subscription_delivery_due" ON "epcis_subscription_delivery" ("status", "next_attempt_at") `,
  `ALTER TABLE "epcis_subscription" ADD CONSTRAINT "FK_epcis_subscription_query" FOREIGN KEY ("query_id") REFERENCES "epcis_named_query"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
  `ALTER TABLE "epcis_subscription_delivery" ADD CONSTRAINT "FK_epcis_subscription_delivery_subscription" FOREIGN KEY ("subscription_id") REFERENCES "epcis_subscription"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
];
