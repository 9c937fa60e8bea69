-- Homeroom store, version 2: fewer rows per record, so a district's cost stays linear in its size.
--
-- * The shadow no longer rewrites an unchanged record to say "seen in this run": a full run finds the records that
--   went away by comparing each fetched page with the shadow's rows in the same id range. last_seen_run and its index
--   go.
-- * A record's decision lines live in one column of record_state (details) instead of one decision row per line, and
--   the current outcome (with its rule, reason and the run it started in) lives there too: outcome_history keeps only
--   outcomes that were replaced. A first sync writes no history row.
-- * Stores made by version 1 keep their history rows. Their decision lines are dropped with the decision table;
--   decision_hash is cleared so that the next run writes every record's decision again.
-- * An incremental run decides only the records its events touched and their neighbours: the sections pointing at a
--   changed course or teacher are found by index.
-- * Outbox keys hold "clever id/role" (a 64-character id plus the longest role).

drop index ix_clever_record_seen;
alter table clever_record drop column last_seen_run;

alter table record_state add column details text;
alter table record_state add column outcome_rule varchar(200);
alter table record_state add column outcome_reason text;
alter table record_state add column outcome_run varchar(64);
update record_state set decision_hash = '';
drop table decision;

create index ix_clever_record_course on clever_record (district_id, kind, ref_course);
create index ix_clever_record_teacher on clever_record (district_id, kind, ref_teacher);

alter table outbox alter column clever_id set data type varchar(100);

-- Records a person changed beside Clever (a selected section, an edited name or graduation year) since the last run:
-- an incremental run decides them again along with what its events touched.
create table decide_again (
    district_id     varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    constraint pk_decide_again primary key (district_id, kind, clever_id)
);
