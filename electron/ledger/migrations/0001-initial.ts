// Schema v1 of the local case ledger.
//
// Invariants the schema itself enforces:
// - facts (and their typed side tables) and audit are append-only: triggers abort any
//   UPDATE or DELETE. A correction is a new fact (e.g. payment_reversal).
// - money is INTEGER fen; business dates are 'YYYY-MM-DD' TEXT; instants are UTC ISO TEXT.
// - ids are client-made UUIDv7 TEXT, so rows made offline on two devices never collide.
// - cases carry DERIVED columns (dpd, bucket, arrears, promise, last contact, priority):
//   a cache of the facts for one business date (meta.derived_as_of), rewritten only by
//   the ledger's derive step, never edited by hand. township/village are copied from the
//   borrower so the worklist's filters and sort can be served by one index.
// - mutable case fields (officer, status, flags, next action) carry a per-field
//   hybrid-logical-clock stamp in field_clocks (JSON) for last-writer-wins sync.
import type { LedgerDb } from '../db';

const APPEND_ONLY_TABLES = [
  'facts',
  'contacts',
  'promises',
  'payments',
  'payment_reversals',
  'audit',
] as const;

export const migration0001 = {
  version: 1,
  name: 'initial',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE branches (
        id             TEXT PRIMARY KEY,
        code           TEXT NOT NULL UNIQUE,
        name           TEXT NOT NULL,
        county         TEXT NOT NULL DEFAULT '',
        timezone       TEXT NOT NULL,
        policy_pack_id TEXT NOT NULL
      );

      CREATE TABLE users (
        id                TEXT PRIMARY KEY,
        branch_id         TEXT NOT NULL REFERENCES branches(id),
        login             TEXT NOT NULL UNIQUE,
        name              TEXT NOT NULL,
        role              TEXT NOT NULL CHECK (role IN ('officer', 'manager', 'admin')),
        -- scrypt/argon2 verifier synced from the server for offline sign-in; NULL until enrolled.
        password_verifier TEXT,
        active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      );

      CREATE TABLE borrowers (
        id               TEXT PRIMARY KEY,
        branch_id        TEXT NOT NULL REFERENCES branches(id),
        name             TEXT NOT NULL,
        -- pinyin initials of the name ('zs' for 张三), filled for search; NULL until computed.
        name_initials    TEXT,
        gender           TEXT CHECK (gender IN ('F', 'M')),
        id_number_masked TEXT NOT NULL,
        county           TEXT NOT NULL,
        township         TEXT NOT NULL,
        village          TEXT NOT NULL,
        address          TEXT NOT NULL
      );
      CREATE INDEX borrowers_name_initials ON borrowers (name_initials);

      CREATE TABLE contact_points (
        id           TEXT PRIMARY KEY,
        borrower_id  TEXT NOT NULL REFERENCES borrowers(id),
        kind         TEXT NOT NULL CHECK (kind IN ('mobile', 'landline', 'address')),
        value        TEXT NOT NULL,
        party        TEXT NOT NULL CHECK (party IN ('borrower', 'spouse', 'guarantor', 'reference', 'other_third_party')),
        name         TEXT,
        relation     TEXT,
        status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invalid')),
        field_clocks TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX contact_points_borrower ON contact_points (borrower_id);
      CREATE INDEX contact_points_value ON contact_points (value);

      CREATE TABLE cases (
        id                   TEXT PRIMARY KEY,
        branch_id            TEXT NOT NULL REFERENCES branches(id),
        borrower_id          TEXT NOT NULL REFERENCES borrowers(id),
        township             TEXT NOT NULL,
        village              TEXT NOT NULL,
        opened_on            TEXT NOT NULL,
        -- mutable fields, each stamped in field_clocks
        officer_id           TEXT NOT NULL REFERENCES users(id),
        status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        flag_hardship        INTEGER NOT NULL DEFAULT 0 CHECK (flag_hardship IN (0, 1)),
        flag_vulnerable      INTEGER NOT NULL DEFAULT 0 CHECK (flag_vulnerable IN (0, 1)),
        flag_dispute         INTEGER NOT NULL DEFAULT 0 CHECK (flag_dispute IN (0, 1)),
        flag_do_not_contact  INTEGER NOT NULL DEFAULT 0 CHECK (flag_do_not_contact IN (0, 1)),
        next_action_date     TEXT,
        -- HLC stamp per mutable field, keyed as shared/sync CASE_CLOCKED_FIELDS ('nextActionDate', 'flags.hardship' ...)
        field_clocks         TEXT NOT NULL DEFAULT '{}',
        -- derived from facts, for the business date in meta.derived_as_of
        dpd                  INTEGER NOT NULL DEFAULT 0,
        bucket               TEXT NOT NULL DEFAULT '',
        arrears_fen          INTEGER NOT NULL DEFAULT 0,
        outstanding_fen      INTEGER NOT NULL DEFAULT 0,
        promise_fact_id      TEXT,
        promise_due_date     TEXT,
        promise_amount_fen   INTEGER,
        promise_status       TEXT CHECK (promise_status IN ('pending', 'kept', 'partly_kept', 'broken')),
        last_contact_at      TEXT,
        last_contact_on      TEXT,
        last_contact_channel TEXT,
        last_contact_outcome TEXT,
        priority_score       REAL NOT NULL DEFAULT 0,
        priority_reasons     TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX cases_borrower ON cases (borrower_id);
      -- Worklist indexes: partial on open cases, ordered exactly as the worklist sorts
      -- (priority_score DESC, id) so a page is read straight off the index.
      CREATE INDEX cases_worklist ON cases (priority_score DESC, id) WHERE status = 'open';
      CREATE INDEX cases_worklist_officer ON cases (officer_id, priority_score DESC, id) WHERE status = 'open';
      CREATE INDEX cases_worklist_township ON cases (township, priority_score DESC, id) WHERE status = 'open';
      CREATE INDEX cases_worklist_village ON cases (village, bucket, priority_score DESC, id) WHERE status = 'open';
      CREATE INDEX cases_worklist_bucket ON cases (bucket, priority_score DESC, id) WHERE status = 'open';
      -- Worklist facets: the townships and villages that have open cases.
      CREATE INDEX cases_places ON cases (township, village) WHERE status = 'open';

      CREATE TABLE loans (
        id              TEXT PRIMARY KEY,
        case_id         TEXT NOT NULL REFERENCES cases(id),
        borrower_id     TEXT NOT NULL REFERENCES borrowers(id),
        loan_no         TEXT NOT NULL UNIQUE,
        product         TEXT NOT NULL,
        principal_fen   INTEGER NOT NULL CHECK (principal_fen > 0),
        disbursed_on    TEXT NOT NULL,
        term_months     INTEGER NOT NULL CHECK (term_months > 0),
        annual_rate_pct REAL NOT NULL CHECK (annual_rate_pct >= 0),
        status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
        -- the core-banking snapshot this row reflects (arrives from the server)
        snapshot_at     TEXT NOT NULL,
        -- core-banking business date the snapshot (and its core_repayments) is complete to
        snapshot_as_of  TEXT NOT NULL,
        snapshot_seq    INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX loans_case ON loans (case_id);

      CREATE TABLE instalments (
        loan_id       TEXT NOT NULL REFERENCES loans(id),
        seq           INTEGER NOT NULL CHECK (seq >= 1),
        due_date      TEXT NOT NULL,
        principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0),
        interest_fen  INTEGER NOT NULL CHECK (interest_fen >= 0),
        PRIMARY KEY (loan_id, seq)
      ) WITHOUT ROWID;

      -- Repayments known to core banking as of the loan's snapshot (auto-debit, counter,
      -- posted field receipts). Reference data replaced by snapshots, not facts. A field
      -- payment posted to core banking comes back with its receipt number, and is then
      -- counted once: from the payment fact when this device has it, from here otherwise.
      CREATE TABLE core_repayments (
        case_id          TEXT NOT NULL REFERENCES cases(id),
        loan_id          TEXT NOT NULL REFERENCES loans(id),
        id               TEXT NOT NULL,
        paid_on          TEXT NOT NULL,
        amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
        channel          TEXT NOT NULL CHECK (channel IN ('auto_debit', 'counter', 'field')),
        field_receipt_no TEXT,
        PRIMARY KEY (case_id, loan_id, id)
      ) WITHOUT ROWID;

      -- Every fact: who recorded what, when, on which device. kind is checked in code
      -- (FACT_KINDS) rather than by CHECK, so a new kind needs no rebuild of an
      -- append-only table.
      CREATE TABLE facts (
        id            TEXT PRIMARY KEY,
        case_id       TEXT NOT NULL REFERENCES cases(id),
        kind          TEXT NOT NULL,
        occurred_at   TEXT NOT NULL,
        business_date TEXT NOT NULL,
        recorded_by   TEXT NOT NULL REFERENCES users(id),
        device_id     TEXT NOT NULL,
        hlc           TEXT NOT NULL,
        payload       TEXT NOT NULL
      );
      CREATE INDEX facts_case_time ON facts (case_id, occurred_at DESC, id DESC);

      -- Typed side tables are clustered by case (WITHOUT ROWID, case first in the key):
      -- everything the rules read is per case, so one case's rows sit on the same pages.
      CREATE TABLE contacts (
        case_id             TEXT NOT NULL REFERENCES cases(id),
        fact_id             TEXT NOT NULL REFERENCES facts(id),
        channel             TEXT NOT NULL CHECK (channel IN ('visit', 'call', 'sms', 'letter')),
        party               TEXT NOT NULL,
        contact_point_id    TEXT REFERENCES contact_points(id),
        outcome             TEXT NOT NULL,
        occurred_at         TEXT NOT NULL,
        business_date       TEXT NOT NULL,
        second_collector_id TEXT REFERENCES users(id),
        PRIMARY KEY (case_id, occurred_at, fact_id)
      ) WITHOUT ROWID;

      CREATE TABLE promises (
        case_id    TEXT NOT NULL REFERENCES cases(id),
        made_at    TEXT NOT NULL,
        fact_id    TEXT NOT NULL REFERENCES facts(id),
        made_on    TEXT NOT NULL,
        due_date   TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        PRIMARY KEY (case_id, made_at, fact_id)
      ) WITHOUT ROWID;

      CREATE TABLE payments (
        fact_id    TEXT PRIMARY KEY REFERENCES facts(id),
        case_id    TEXT NOT NULL REFERENCES cases(id),
        loan_id    TEXT NOT NULL REFERENCES loans(id),
        paid_on    TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        method     TEXT NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'wechat_pay', 'alipay', 'other')),
        -- device prefix + per-device sequence: unique without asking a server
        receipt_no TEXT NOT NULL UNIQUE
      );
      CREATE INDEX payments_case ON payments (case_id);

      CREATE TABLE payment_reversals (
        fact_id          TEXT PRIMARY KEY REFERENCES facts(id),
        case_id          TEXT NOT NULL REFERENCES cases(id),
        -- UNIQUE: a payment is reversed at most once
        reverses_fact_id TEXT NOT NULL UNIQUE REFERENCES payments(fact_id),
        reason           TEXT NOT NULL
      );
      CREATE INDEX payment_reversals_case ON payment_reversals (case_id);

      -- Mutations waiting to go to the server, in the shape of shared/sync (kind, case,
      -- author, payload, HLC). mutation_id only grows (AUTOINCREMENT never reuses a value),
      -- which is what the server's exactly-once check per device relies on. A refused
      -- mutation keeps its row, status and reason until someone acts on it.
      CREATE TABLE outbox (
        mutation_id    INTEGER PRIMARY KEY AUTOINCREMENT,
        kind           TEXT NOT NULL,
        case_id        TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        payload        TEXT NOT NULL,
        hlc            TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        created_at     TEXT NOT NULL,
        -- binds the mutation to its author's password (shared/node/proofs.ts); NULL until sign-in exists
        proof          TEXT,
        status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'refused')),
        sent_at        TEXT,
        refusal_code   TEXT,
        refusal_reason TEXT
      );
      CREATE INDEX outbox_unsent ON outbox (status, mutation_id) WHERE status <> 'sent';

      -- Hash-chained audit trail: hash = sha256(prev_hash | fields); see audit.ts.
      CREATE TABLE audit (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT NOT NULL,
        actor_id     TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        action       TEXT NOT NULL,
        entity       TEXT NOT NULL,
        entity_id    TEXT NOT NULL,
        payload_hash TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL
      );
    `);
    for (const table of APPEND_ONLY_TABLES) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
      `);
    }
  },
};
