import type { DataSource } from "typeorm";

/**
 * Tables whose planner statistics decide how lot graphs, journeys and footprints are read. A bulk of new rows
 * (an import, a first busy day, a benchmark) makes the statistics describe a much smaller table, and the
 * recursive lot-graph walk then turns quadratic: a 10,000-event graph read in 4.5 s instead of 35 ms until
 * autovacuum analyses the table, which can take a minute or more.
 */
const GRAPH_TABLES = ["lot_movement", "epcis_event", "lot", "event_reference", "custody_movement", "batch_leaf"];

/** Rows changed since the last ANALYZE beyond which a table is analysed, if they are also this share of it. */
const MIN_CHANGED_ROWS = 1_000;
const CHANGED_SHARE = 0.2;

/**
 * Keeps the statistics of the graph tables fresh: one pass analyses the tables whose changed rows since their
 * last ANALYZE (PostgreSQL's own counter) exceed 1,000 and a fifth of the table. Cheap when nothing changed (one
 * catalogue query); ANALYZE samples at most 30,000 rows per table however large it is.
 */
export class FreshStatistics {
  constructor(private readonly dataSource: DataSource) {}

  /** Analyses the stale tables; resolves with their names. */
  async pass(): Promise<string[]> {
    const stale = await this.dataSource.query<Array<{ relname: string }>>(
      `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
       WHERE s.relname = ANY($1) AND s.n_mod_since_analyze > $2
         AND s.n_mod_since_analyze > $3 * greatest(c.reltuples, 0)
       ORDER BY s.relname`,
      [GRAPH_TABLES, MIN_CHANGED_ROWS, CHANGED_SHARE],
    );
    const tables = stale.map((row) => row.relname).filter((name) => GRAPH_TABLES.includes(name));
    for (const table of tables) await this.dataSource.query(`ANALYZE "${table}"`);
    return tables;
  }
}
