-- Issue 7 (scale): the outbox holds only what no host has acknowledged yet. An acknowledged change was kept for ever
-- with its consumed_at set, and nothing read it again: a 1,000,000-student district's first sync leaves 3.2 million
-- entries (765 MB on PostgreSQL), and every read of the pending changes scanned and sorted all of them, consumed or
-- not (0.5 s a page at 100,000 students, so draining a large district took hours). Acknowledging now deletes.
delete from outbox where consumed_at is not null;
alter table outbox drop column consumed_at;
