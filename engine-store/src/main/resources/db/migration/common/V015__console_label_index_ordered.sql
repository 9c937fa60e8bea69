-- Issue 12 (admin console): a name search lists records by label, then Clever id. With the index on (district, kind,
-- label) alone, a common last name at 1,000,000 students (20,409 users named "Jones…") was read whole and sorted before
-- the first 50 were kept (515 ms); with the Clever id in the index the range is read in the listed order and stops at
-- the page's end.
drop index ix_clever_record_label;
create index ix_clever_record_label on clever_record (district_id, kind, label, clever_id);
