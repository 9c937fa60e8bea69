-- Homeroom store, version 7: supplemental data (SPI 1.2), rows a plugin reads from its own source (e.g. license codes
-- from a CSV) for the users of its districts, keyed by SIS id or Clever id.
--
-- * supplemental_row holds each source's rows as last read: one per key, its values as JSON and their hash, so a run
--   whose rows did not change writes nothing. Rows are joined to users when a run decides them (by clever_record.sis_id
--   or clever_id), so a user who appears later finds the row that waited for them.
-- * supplemental_stage holds one run's read while it is compared with supplemental_row, in set-based statements; it is
--   emptied in the same transaction.
-- * account.supplemental is what the host sees: the joined values by plugin, as JSON (null when none).

create table supplemental_row (
    district_id     varchar(64)   not null,
    plugin          varchar(100)  not null,
    source          varchar(100)  not null,
    join_key        varchar(200)  not null,
    join_by         varchar(16)   not null,
    row_values      text          not null,
    values_hash     varchar(64)   not null,
    run_id          varchar(64)   not null,
    constraint pk_supplemental_row primary key (district_id, plugin, source, join_key)
);
create index ix_supplemental_row_key on supplemental_row (district_id, join_key);

create table supplemental_stage (
    district_id     varchar(64)   not null,
    plugin          varchar(100)  not null,
    source          varchar(100)  not null,
    seq             integer       not null,
    join_key        varchar(200)  not null,
    row_values      text          not null,
    values_hash     varchar(64)   not null,
    constraint pk_supplemental_stage primary key (district_id, plugin, source, seq)
);
create index ix_supplemental_stage_key on supplemental_stage (district_id, plugin, source, join_key);

alter table account add column supplemental text;
