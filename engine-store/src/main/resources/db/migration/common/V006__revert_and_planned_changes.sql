-- Issue 10 items 1 and 2: a run can be reverted, and a MANUAL plan approved change by change.
--
-- * provisioned_prior keeps, for each provisioned row a run changed (not one it created: created_run says that), the
--   row as it was before: its active flag, the run that had written it, and its value columns. A run that changes
--   nothing writes nothing here; a first run, which only creates, writes nothing either. SyncEngine.revert(runId)
--   restores these values; a row a later run changed again cannot be restored and is reported.
-- * planned_change lists the changes of a plan made under sync.strategy=MANUAL, each with an id stable across plans
--   (a hash of what changes and to which values), so a person can approve some of them.

create table provisioned_prior (
    district_id       varchar(64)   not null,
    -- the run that replaced these values
    run_id            varchar(64)   not null,
    -- user (an account), section (a class), term, school, course, or membership
    entity            varchar(16)   not null,
    -- the row's Clever id; a membership's class
    clever_id         varchar(64)   not null,
    -- a membership's user; '' for the other rows
    user_id           varchar(64)   not null,
    -- an account's or a membership's role; '' for the other rows
    role              varchar(32)   not null,
    prior_active      boolean       not null,
    prior_updated_run varchar(64)   not null,
    -- the value columns before the run, as tab-separated name and value lines (null for a membership: it has none)
    prior_values      text,
    constraint pk_provisioned_prior primary key (district_id, run_id, entity, clever_id, user_id, role)
);

create table planned_change (
    district_id     varchar(64)   not null,
    run_id          varchar(64)   not null,
    change_id       varchar(16)   not null,
    entity          varchar(16)   not null,
    -- the row's key: a Clever id, "id/role" for an account, "class/user/role" for a membership
    record_key      varchar(200)  not null,
    change          varchar(16)   not null,
    constraint pk_planned_change primary key (district_id, run_id, change_id)
);

-- Issue 10 item 6a: an account Clever reissued under a new id (same SIS id and email) moves to the new id; the row says
-- which id it had, so the host can follow it (its outbox entry is REISSUED).
alter table account add column reissued_from varchar(64);
