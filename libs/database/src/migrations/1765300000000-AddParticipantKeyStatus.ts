import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A self-custody participant whose key its person creates in the console's browser: registered with a placeholder
 * address no one holds a key for (`awaiting`), and given its own address once, with proof of possession (`set`).
 * Its roles wait for the ledger until then. And a participant's lots and latest events are found without reading
 * everyone's (the console's lots and records lists).
 */
export class AddParticipantKeyStatus1765300000000 implements MigrationInterface {
  name = "AddParticipantKeyStatus1765300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "participant" ADD "key_status" text NOT NULL DEFAULT 'set'`);
    await queryRunner.query(
      `ALTER TABLE "participant" ADD CONSTRAINT "CHK_participant_key_status" CHECK ("key_status" IN ('set', 'awaiting') AND ("key_status" = 'set' OR NOT "custodial"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_lot_holding_participant" ON "lot_holding" ("participant_id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_epcis_event_participant_record" ON "epcis_event" ("participant_id", "record_time")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_epcis_event_participant_record"`);
    await queryRunner.query(`DROP INDEX "IDX_lot_holding_participant"`);
    await queryRunner.query(`ALTER TABLE "participant" DROP CONSTRAINT "CHK_participant_key_status"`);
    await queryRunner.query(`ALTER TABLE "participant" DROP COLUMN "key_status"`);
  }
}
