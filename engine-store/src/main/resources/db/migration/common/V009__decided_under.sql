-- Homeroom store, version 9: a full run that changes little decides little.
--
-- decided_under is the rules hash (rule files, policies, school year, plugins, engine) under which every record of the
-- district was last decided. A full run whose own hash equals it decides only the records whose Clever data, or the
-- facts they draw from neighbouring records, changed, and the records people edited; any other run leaves it alone
-- or, when it decided every record, sets it. Null: decide every record.
alter table district add column decided_under varchar(64);

-- How many warnings each record's current decision holds: a run that does not decide a record again still counts its
-- standing warnings in its report. The decisions of earlier stores are written again by their next run to fill it.
alter table record_state add column warnings integer;
update record_state set decision_hash = '';
