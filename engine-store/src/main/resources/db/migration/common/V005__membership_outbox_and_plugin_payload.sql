-- Issue 9 item 3: every membership change reaches the outbox. A membership remembers the run that created it (an
-- outbox entry says CREATED or REACTIVATED); the run that last changed it is indexed, so a run's membership changes are
-- found without reading all of the district's; an outbox key holds a membership's class, user and role
-- (CLASS_ID/USER_ID/ROLE: two Clever ids and a role).
alter table classroom_membership add column created_run varchar(64);
create index ix_classroom_membership_run on classroom_membership (district_id, updated_run);
alter table outbox alter column clever_id set data type varchar(160);

-- Issue 9 item 1: the shadow keeps what Clever sent. When a district plugin's transformer changes a record, the
-- record as the plugins made it (what the rules decide) and what each plugin changed (for explain) sit beside it.
alter table clever_record add column plugin_payload text;
alter table clever_record add column plugin_changes text;
