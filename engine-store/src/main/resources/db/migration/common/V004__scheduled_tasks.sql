-- The table of db-scheduler (com.github.kagkarlsson:db-scheduler), which runs the host-facing SyncScheduler: one row
-- per scheduled task instance (here: one per scheduled district), picked by one host process at a time.
-- The columns are db-scheduler's own (its PostgreSQL DDL); portable to H2 in PostgreSQL mode. Kept out of jOOQ's
-- generated code: only db-scheduler reads and writes it.
create table scheduled_tasks (
    task_name            varchar(100)             not null,
    task_instance        varchar(100)             not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            varchar(50),
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    constraint pk_scheduled_tasks primary key (task_name, task_instance)
);
create index ix_scheduled_tasks_execution_time on scheduled_tasks (execution_time);
create index ix_scheduled_tasks_last_heartbeat on scheduled_tasks (last_heartbeat);
create index ix_scheduled_tasks_priority_time on scheduled_tasks (priority, execution_time);
