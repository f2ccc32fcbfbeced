import type { MigrationInterface, QueryRunner } from "typeorm";

/** The JSON columns of `epcis_event`: read whole, never compared, filtered or joined on in SQL. */
const DOCUMENT_COLUMNS = ["body", "context", "error_declaration"] as const;

/**
 * ANALYZE of `epcis_event` stops sampling the event documents. The service analyses the table after every bulk of
 * captures (FreshStatistics) so that lot-graph reads keep good plans, and most of that ANALYZE went on the JSON
 * columns (most-common values and histograms of whole documents, each compared as jsonb) that no query plan uses:
 * on 13,100 captured events it took 230–300 ms, and 150–165 ms without them. The other columns keep their statistics.
 */
export class NoStatisticsOnEventDocuments1765800000000 implements MigrationInterface {
  name = "NoStatisticsOnEventDocuments1765800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "epcis_event" ${DOCUMENT_COLUMNS.map((column) => `ALTER COLUMN "${column}" SET STATISTICS 0`).join(", ")}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // -1: back to the server's default_statistics_target.
    await queryRunner.query(
      `ALTER TABLE "epcis_event" ${DOCUMENT_COLUMNS.map((column) => `ALTER COLUMN "${column}" SET STATISTICS -1`).join(", ")}`,
    );
  }
}
