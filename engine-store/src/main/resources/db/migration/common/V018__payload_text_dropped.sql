-- Issue 7 (store size): after V017 packed every record's JSON into body, the text column goes.
alter table clever_record drop column payload;
alter table clever_record alter column body set not null;
