-- Homeroom store, version 1. One set of tables for H2 and PostgreSQL (portable DDL only).
-- Every table is keyed by district_id; every query is scoped by district.
-- Never edit this file once shipped: add V002__… instead.

-- A district this host syncs, with its sync state: the events cursor and the lease one instance holds while syncing.
create table district (
    district_id     varchar(64)   not null,
    name            varchar(1000),
    event_cursor    varchar(64),
    lease_owner     varchar(200),
    lease_until     timestamp,
    created_at      timestamp     not null,
    constraint pk_district primary key (district_id)
);

-- One sync (or plan) of one district.
create table sync_run (
    run_id          varchar(64)   not null,
    district_id     varchar(64)   not null,
    mode            varchar(16)   not null,
    status          varchar(32)   not null,
    started_at      timestamp     not null,
    finished_at     timestamp,
    rules_hash      varchar(64),
    report          text,
    warnings        integer       default 0 not null,
    errors          integer       default 0 not null,
    constraint pk_sync_run primary key (run_id)
);
create index ix_sync_run_district on sync_run (district_id, started_at);

-- The shadow: Clever's current state, one row per record, with its content hash and the runs that saw it.
create table clever_record (
    district_id     varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    content_hash    varchar(64)   not null,
    payload         text          not null,
    first_seen_run  varchar(64)   not null,
    last_seen_run   varchar(64)   not null,
    changed_run     varchar(64)   not null,
    gone_run        varchar(64),
    -- a few fields copied out of the payload so the derive step can join and count in SQL
    email_key       varchar(1000),
    sis_id          varchar(200),
    label           varchar(1000),
    ref_term        varchar(64),
    ref_course      varchar(64),
    ref_teacher     varchar(64),
    ref_school      varchar(64),
    constraint pk_clever_record primary key (district_id, kind, clever_id)
);
create index ix_clever_record_seen on clever_record (district_id, kind, last_seen_run);
create index ix_clever_record_email on clever_record (district_id, kind, email_key);
create index ix_clever_record_sis on clever_record (district_id, kind, sis_id);
create index ix_clever_record_term on clever_record (district_id, kind, ref_term);

-- What changed in Clever in each run.
create table clever_journal (
    district_id     varchar(64)   not null,
    run_id          varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    change          varchar(16)   not null,
    constraint pk_clever_journal primary key (district_id, run_id, kind, clever_id)
);

-- Enrollments taken from shared sections (students[], teacher, teachers[]), kept in step with the shadow.
create table clever_enrollment (
    district_id     varchar(64)   not null,
    section_id      varchar(64)   not null,
    user_id         varchar(64)   not null,
    role            varchar(16)   not null,
    school_id       varchar(64),
    constraint pk_clever_enrollment primary key (district_id, section_id, user_id, role)
);
create index ix_clever_enrollment_user on clever_enrollment (district_id, user_id);

-- The current decision state of each record: resolved outcome, effective role, and a hash of everything decided,
-- so an unchanged decision costs a compare.
create table record_state (
    district_id     varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    outcome         varchar(16)   not null,
    effective_role  varchar(32),
    decision_hash   varchar(64)   not null,
    run_id          varchar(64)   not null,
    constraint pk_record_state primary key (district_id, kind, clever_id)
);

-- The rules that decided each record's current state, with their reasons (what `explain` shows).
create table decision (
    district_id     varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    seq             integer       not null,
    rule_id         varchar(200)  not null,
    outcome         varchar(16),
    detail_type     varchar(16)   not null,
    field           varchar(100),
    value           text,
    reason          text,
    run_id          varchar(64)   not null,
    constraint pk_decision primary key (district_id, kind, clever_id, seq)
);

-- Outcomes across runs: a row each time a record's outcome changes.
create table outcome_history (
    district_id     varchar(64)   not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64)   not null,
    run_id          varchar(64)   not null,
    outcome         varchar(16)   not null,
    rule_id         varchar(200),
    reason          text,
    constraint pk_outcome_history primary key (district_id, kind, clever_id, run_id)
);

-- Data warnings and handled errors of each run.
create table data_warning (
    district_id     varchar(64)   not null,
    run_id          varchar(64)   not null,
    seq             integer       not null,
    kind            varchar(16)   not null,
    clever_id       varchar(64),
    code            varchar(64)   not null,
    field           varchar(100),
    message         text,
    rule_id         varchar(200),
    constraint pk_data_warning primary key (district_id, run_id, seq)
);

-- Provisioned: what the host application sees.
create table account (
    district_id         varchar(64)   not null,
    clever_id           varchar(64)   not null,
    account_role        varchar(32)   not null,
    granted_roles       varchar(200)  not null,
    first_name          varchar(1000),
    middle_name         varchar(1000),
    last_name           varchar(1000),
    email               varchar(1000),
    sis_id              varchar(1000),
    dob                 date,
    dob_filler          boolean       default false not null,
    grade               varchar(1000),
    graduation_year     varchar(8),
    graduation_year_edited boolean    default false not null,
    school_ids          text,
    primary_school_id   varchar(64),
    -- derived after memberships: the default class of a multi-class student (P13 PRIMARY)
    primary_class_id    varchar(64),
    flags               varchar(1000),
    active              boolean       not null,
    content_hash        varchar(64)   not null,
    created_run         varchar(64)   not null,
    updated_run         varchar(64)   not null,
    constraint pk_account primary key (district_id, clever_id, account_role)
);

create table school (
    district_id     varchar(64)   not null,
    clever_id       varchar(64)   not null,
    name            varchar(1000),
    sis_id          varchar(1000),
    school_number   varchar(1000),
    active          boolean       not null,
    content_hash    varchar(64)   not null,
    created_run     varchar(64)   not null,
    updated_run     varchar(64)   not null,
    constraint pk_school primary key (district_id, clever_id)
);

create table term (
    district_id     varchar(64)   not null,
    clever_id       varchar(64)   not null,
    name            varchar(1000),
    start_date      date,
    end_date        date,
    active          boolean       not null,
    admin_reactivated boolean     default false not null,
    content_hash    varchar(64)   not null,
    created_run     varchar(64)   not null,
    updated_run     varchar(64)   not null,
    constraint pk_term primary key (district_id, clever_id)
);

create table course (
    district_id     varchar(64)   not null,
    clever_id       varchar(64)   not null,
    name            varchar(1000),
    number          varchar(1000),
    active          boolean       not null,
    content_hash    varchar(64)   not null,
    created_run     varchar(64)   not null,
    updated_run     varchar(64)   not null,
    constraint pk_course primary key (district_id, clever_id)
);

-- A classroom is a provisioned section (a class; "class" would clash with java.lang.Class in generated code). display_name_edited marks a name a person set: a sync never overwrites it.
create table classroom (
    district_id         varchar(64)   not null,
    clever_id           varchar(64)   not null,
    name                varchar(1000),
    display_name        varchar(1000),
    display_name_edited boolean       default false not null,
    school_id           varchar(64),
    term_id             varchar(64),
    course_id           varchar(64),
    subject             varchar(1000),
    grade               varchar(1000),
    period              varchar(1000),
    -- derived after memberships: the most common grade of its students, offered beside the SIS grade (P12)
    derived_grade       varchar(1000),
    active              boolean       not null,
    content_hash        varchar(64)   not null,
    created_run         varchar(64)   not null,
    updated_run         varchar(64)   not null,
    constraint pk_classroom primary key (district_id, clever_id)
);

create table classroom_membership (
    district_id     varchar(64)   not null,
    class_id        varchar(64)   not null,
    user_id         varchar(64)   not null,
    role            varchar(16)   not null,
    active          boolean       not null,
    updated_run     varchar(64)   not null,
    constraint pk_classroom_membership primary key (district_id, class_id, user_id, role)
);
create index ix_classroom_membership_user on classroom_membership (district_id, user_id);

-- Sections an admin selected to load when sections.filter=STAGING (P22).
create table section_selection (
    district_id     varchar(64)   not null,
    section_id      varchar(64)   not null,
    selected_at     timestamp     not null,
    constraint pk_section_selection primary key (district_id, section_id)
);

-- Changes for the host to consume, written in the same transaction as the provisioned rows.
create table outbox (
    district_id     varchar(64)   not null,
    run_id          varchar(64)   not null,
    seq             integer       not null,
    entity          varchar(16)   not null,
    clever_id       varchar(64)   not null,
    change          varchar(16)   not null,
    created_at      timestamp     not null,
    consumed_at     timestamp,
    constraint pk_outbox primary key (district_id, run_id, seq)
);
