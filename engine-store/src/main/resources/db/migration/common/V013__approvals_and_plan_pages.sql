-- Issue 12 (admin console), what was left: a halted plan reviewed change by change, and who decided it.
--
-- * planned_change gains the rule and reason behind each change (a membership has none: it follows its class and
--   account), so the plan page shows why, and two indexes so a page of a plan of 200,000 changes is a range: by kind
--   and record (the page order), and by record key (a search by Clever id prefix).
-- * run_approval records every decision a person took on a halted run: who (the console's authorizer principal, the
--   CLI's OS user or --as), when, what (WHOLE plan, the SELECTED change ids, or REJECTED) and the run it led to.

alter table planned_change add column rule varchar(200);
alter table planned_change add column reason varchar(1000);
create index ix_planned_change_page on planned_change (district_id, run_id, entity, record_key, change_id);
create index ix_planned_change_key on planned_change (district_id, run_id, record_key);

create table run_approval (
    district_id   varchar(64)   not null,
    -- the halted run decided on
    run_id        varchar(64)   not null,
    -- 1, 2, … per halted run: an approval whose plan changed halts again and may be approved again
    seq           integer       not null,
    approver      varchar(200)  not null,
    decided_at    timestamp     not null,
    -- WHOLE, SELECTED or REJECTED
    decision      varchar(16)   not null,
    -- SELECTED: the approved change ids, comma-separated, sorted; null otherwise
    change_ids    text,
    -- the run the approval started and how it ended (null for a rejection)
    result_run_id varchar(64),
    result_status varchar(32),
    constraint pk_run_approval primary key (district_id, run_id, seq)
);
create index ix_run_approval_result on run_approval (result_run_id);
