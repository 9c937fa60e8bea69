-- P19 courses.per_school and P13 students.multi_class = SELF_COURSE (docs/POLICIES.md).
-- A course row is now keyed by its Clever id and a school: '' for the one district-wide row of a Clever course;
-- the school's id for a copy of it per school with a section of it (courses.per_school = true). A class points at
-- its school's copy through the (course_id, school_id) it carries already.
alter table course add column school_id varchar(64) default '' not null;
alter table course drop constraint pk_course;
alter table course add constraint pk_course primary key (district_id, clever_id, school_id);
-- A self-generated course (P13 SELF_COURSE) is keyed 'self:<student Clever id>', marked self_generated, and lists
-- the student's classes (their Clever section ids, sorted, comma-separated) in section_ids. Null for Clever's courses.
alter table course add column self_generated boolean default false not null;
alter table course add column section_ids text;
-- a kept course row's second key column is a school's Clever id (up to 64 characters, like every id column)
alter table provisioned_prior alter column role set data type varchar(64);
-- P14 users.multi_school = PER_SCHOOL_ACCOUNTS: an account is keyed by its Clever id, role and school: '' for the
-- one account of a role (every other policy), a school's id for the account a user has at that school.
alter table account add column account_school varchar(64) default '' not null;
alter table account drop constraint pk_account;
alter table account add constraint pk_account primary key (district_id, clever_id, account_role, account_school);
