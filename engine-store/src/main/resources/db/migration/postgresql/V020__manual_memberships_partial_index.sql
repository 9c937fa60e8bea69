-- Manual memberships (V012) are a host's few; the index that finds them held an entry for every membership Clever's
-- enrollments make, and every membership a sync writes paid for keeping it (a first sync's insert of 208,000
-- memberships at 100k students: about a fifth of its time). On PostgreSQL it holds the manual ones alone.
-- H2 has no partial indexes and keeps V012's.
drop index ix_classroom_membership_manual;
create index ix_classroom_membership_manual on classroom_membership (district_id) where manual;
