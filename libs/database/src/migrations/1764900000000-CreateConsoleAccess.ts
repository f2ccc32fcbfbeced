import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The partner console's way in: one-time invitations a participant's people set up their sign-in with, the
 * people (username, scrypt passphrase hash) and their browser sessions. Secrets are stored as SHA-256 only.
 */
export class CreateConsoleAccess1764900000000 implements MigrationInterface {
  name = "CreateConsoleAccess1764900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "console_invitation" (
        "id" text NOT NULL,
        "participant_id" uuid NOT NULL,
        "secret_sha256" bytea NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_console_invitation" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_console_invitation_participant" ON "console_invitation" ("participant_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "console_invitation" ADD CONSTRAINT "FK_console_invitation_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE TABLE "console_user" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "participant_id" uuid NOT NULL,
        "username" text NOT NULL,
        "passphrase_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_console_user_username" UNIQUE ("username"),
        CONSTRAINT "PK_console_user" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_console_user_participant" ON "console_user" ("participant_id")`);
    await queryRunner.query(
      `ALTER TABLE "console_user" ADD CONSTRAINT "FK_console_user_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE TABLE "console_session" (
        "id" text NOT NULL,
        "user_id" uuid NOT NULL,
        "secret_sha256" bytea NOT NULL,
        "user_agent" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_console_session" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_console_session_user" ON "console_session" ("user_id")`);
    await queryRunner.query(
      `ALTER TABLE "console_session" ADD CONSTRAINT "FK_console_session_user" FOREIGN KEY ("user_id") REFERENCES "console_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "console_session"`);
    await queryRunner.query(`DROP TABLE "console_user"`);
    await queryRunner.query(`DROP TABLE "console_invitation"`);
  }
}
