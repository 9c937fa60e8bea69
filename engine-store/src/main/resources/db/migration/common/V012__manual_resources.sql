-- Issue 10 item 3: PARTIAL_LOCKDOWN manual resources (docs/POLICIES.md P21).
--
-- * A host creates classes and students of its own (SyncEngine.manual()): rows of classroom and account with
--   manual = true and an id Clever never uses ("manual-" and a UUID; Clever's ids are 24 hexadecimal digits). A sync
--   never reads, changes or deactivates them; the P23 safety guard does not count them; a revert does not touch them.
-- * A manual membership (manual = true) joins a student, manual or synced, to a class, manual or synced, whatever
--   Clever enrolls. host_active is what the host asked for (joined, or taken out); active is host_active while the class
--   and one of the user's accounts are active, so a manual membership of a class a sync deactivated stays, marked
--   manual, and is inactive while its class is. host_active is null for the memberships Clever's enrollments make.
alter table account add column manual boolean default false not null;
alter table classroom add column manual boolean default false not null;
alter table classroom_membership add column manual boolean default false not null;
alter table classroom_membership add column host_active boolean;
create index ix_classroom_membership_manual on classroom_membership (district_id, manual);
