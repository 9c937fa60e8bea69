-- Issue 12 (admin console): records are found by name. A user's last name, a section's or school's name is the
-- label column; a name search is a range of this index (district, kind, label prefix), so it reads only what it returns
-- in a district of 1,000,000 students.
create index ix_clever_record_label on clever_record (district_id, kind, label);
