// The first schema: branches, users and their credentials, devices and enrolment codes,
// the portfolio from core banking (borrowers, contact points, loans, snapshots, cases and
// assignments), facts pushed by devices with the outcome of every mutation, and the
// change feed devices pull.
import { runStatements, type Migration } from './migration';

const FACT_KINDS_SQL = `'contact','promise','payment','payment_reversal','plan_proposal','plan_decision','note','reassignment','flag_change'`;
const PARTIES_SQL = `'borrower','spouse','guarantor','reference','other_third_party','nobody'`;

const up = [
  `create table branches (
    id text primary key,
    code text not null unique,
    name text not null,
    timezone text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  // Admins may belong to no branch (head office); everyone else belongs to exactly one.
  `create table users (
    id text primary key,
    branch_id text references branches(id),
    username text not null unique,
    display_name text not null,
    role text not null check (role in ('officer', 'manager', 'admin')),
    disabled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_branch_required check (role = 'admin' or branch_id is not null)
  )`,
  // Every password a user has had: the current one (retired_at null) signs requests; older
  // auth keys still verify mutations recorded offline before a reset reached the device.
  `create table user_credentials (
    id text primary key,
    user_id text not null references users(id),
    password_verifier text not null,
    auth_key text not null,
    created_at timestamptz not null default now(),
    retired_at timestamptz
  )`,
  `create unique index user_credentials_current on user_credentials (user_id) where retired_at is null`,
  `create table enrolment_codes (
    id text primary key,
    code_hash text not null unique,
    branch_id text references branches(id),
    device_name text,
    issued_by text not null,
    issued_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    device_id text
  )`,
  // Only the SHA-256 of a device token is kept; last_mutation_id is the highest mutation
  // applied for the device (the exact set is in mutation_results).
  `create table devices (
    id text primary key,
    branch_id text references branches(id),
    name text not null,
    token_hash text not null unique,
    enrolment_code_id text not null references enrolment_codes(id),
    enrolled_by text not null,
    enrolled_at timestamptz not null default now(),
    last_seen_at timestamptz,
    last_mutation_id bigint not null default 0,
    revoked_at timestamptz,
    revoked_by text
  )`,
  `create table borrowers (
    id text primary key,
    branch_id text not null references branches(id),
    external_ref text,
    name text not null,
    gender text check (gender in ('F', 'M')),
    id_number text,
    township text not null default '',
    village text not null default '',
    county text not null default '',
    address text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint borrowers_external_ref unique (branch_id, external_ref)
  )`,
  `create table cases (
    id text primary key,
    branch_id text not null references branches(id),
    borrower_id text not null references borrowers(id),
    officer_id text references users(id),
    status text not null default 'open' check (status in ('open', 'closed')),
    next_action_date date,
    flags jsonb not null default '{"hardship":false,"vulnerable":false,"dispute":false,"doNotContact":false}',
    field_clocks jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index cases_officer on cases (officer_id, id)`,
  `create index cases_branch on cases (branch_id, id)`,
  `create index cases_borrower on cases (borrower_id)`,
  // Every officer a case has had; ended_at null marks the current one.
  `create table case_assignments (
    id text primary key,
    case_id text not null references cases(id),
    officer_id text not null references users(id),
    assigned_by text not null,
    hlc text not null,
    assigned_at timestamptz not null default now(),
    ended_at timestamptz
  )`,
  `create index case_assignments_case on case_assignments (case_id, officer_id)`,
  `create table contact_points (
    id text primary key,
    borrower_id text not null references borrowers(id),
    kind text not null check (kind in ('mobile', 'landline', 'address')),
    value text not null,
    party text not null check (party in (${PARTIES_SQL})),
    contact_name text,
    relation text,
    status text not null default 'active' check (status in ('active', 'invalid')),
    hlc text not null,
    updated_at timestamptz not null default now()
  )`,
  `create index contact_points_borrower on contact_points (borrower_id)`,
  `create table loans (
    id text primary key,
    case_id text not null references cases(id),
    borrower_id text not null references borrowers(id),
    branch_id text not null references branches(id),
    loan_no text not null unique,
    product text not null,
    principal_fen bigint not null check (principal_fen >= 0),
    disbursed_on date not null,
    term_months integer not null check (term_months > 0),
    status text not null check (status in ('active', 'closed')),
    updated_at timestamptz not null default now()
  )`,
  `create index loans_case on loans (case_id)`,
  `create table loan_snapshots (
    id text primary key,
    loan_id text not null references loans(id),
    as_of date not null,
    status text not null check (status in ('active', 'closed')),
    outstanding_principal_fen bigint not null check (outstanding_principal_fen >= 0),
    schedule jsonb not null,
    received_at timestamptz not null default now(),
    constraint loan_snapshots_one_per_day unique (loan_id, as_of)
  )`,
  // Facts are append-only. One per mutation; a receipt number is used once per branch.
  `create table facts (
    id text primary key,
    case_id text not null references cases(id),
    branch_id text not null references branches(id),
    kind text not null check (kind in (${FACT_KINDS_SQL})),
    device_id text not null references devices(id),
    mutation_id bigint not null,
    recorded_by text not null references users(id),
    occurred_at timestamptz not null,
    hlc text not null,
    schema_version integer not null,
    payload jsonb not null,
    receipt_no text,
    loan_id text references loans(id),
    related_fact_id text references facts(id),
    flags jsonb not null default '[]',
    received_at timestamptz not null default now(),
    constraint facts_device_mutation unique (device_id, mutation_id),
    constraint facts_receipt_on_payments check ((kind = 'payment') = (receipt_no is not null))
  )`,
  `create unique index facts_payment_receipt on facts (branch_id, receipt_no) where kind = 'payment'`,
  `create unique index facts_one_reversal_per_payment on facts (related_fact_id) where kind = 'payment_reversal'`,
  `create unique index facts_one_decision_per_proposal on facts (related_fact_id) where kind = 'plan_decision'`,
  `create index facts_case on facts (case_id, occurred_at)`,
  // The answer given to every mutation, so a retry gets the same answer, refusals included.
  `create table mutation_results (
    device_id text not null references devices(id),
    mutation_id bigint not null,
    user_id text,
    case_id text,
    kind text not null,
    status text not null check (status in ('accepted', 'refused')),
    reason text,
    message text,
    params jsonb,
    fact_id text,
    flags jsonb not null default '[]',
    applied_at timestamptz not null default now(),
    primary key (device_id, mutation_id)
  )`,
  // The change feed. seq is allocated and committed in order (writers take the feed lock,
  // server/sync/change-feed.ts), so a reader never skips a row that commits later.
  // officer_id is the case's officer when the row was written; an 'assignment' row gave
  // the case to officer_id and took it from prev_officer_id (null on a first assignment).
  `create table changes (
    seq bigserial primary key,
    entity text not null check (entity in ('branch', 'user', 'case', 'borrower', 'contact_point', 'loan', 'loan_snapshot', 'fact')),
    entity_id text not null,
    change_kind text not null default 'upsert' check (change_kind in ('upsert', 'assignment')),
    branch_id text,
    case_id text,
    officer_id text,
    prev_officer_id text,
    origin_device_id text,
    created_at timestamptz not null default now()
  )`,
  `create index changes_branch on changes (branch_id, seq)`,
  `create index changes_officer on changes (officer_id, seq) where officer_id is not null`,
  `create index changes_prev_officer on changes (prev_officer_id, seq) where prev_officer_id is not null`,
  `create index changes_no_case on changes (branch_id, seq) where case_id is null`,
  // instance_id lets a cursor from another database be told apart; feed_floor_seq is the
  // lowest seq still in the feed after compaction (older cursors need a resync).
  `create table server_state (
    singleton boolean primary key default true check (singleton),
    instance_id text not null,
    feed_floor_seq bigint not null default 0
  )`,
  `insert into server_state (instance_id) values (md5(random()::text || clock_timestamp()::text))`,
];

const down = [
  'drop table server_state',
  'drop table changes',
  'drop table mutation_results',
  'drop table facts',
  'drop table loan_snapshots',
  'drop table loans',
  'drop table contact_points',
  'drop table case_assignments',
  'drop table cases',
  'drop table borrowers',
  'drop table devices',
  'drop table enrolment_codes',
  'drop table user_credentials',
  'drop table users',
  'drop table branches',
];

export const migration: Migration = {
  id: '2026-11-28-0001-initial',
  up: (tx) => runStatements(tx, up),
  down: (tx) => runStatements(tx, down),
};
