-- Issue 10 item 4: custom groups, made by teachers beside Clever's sections. They are teacher data, not Clever's: a
-- sync, a revert and a MANUAL approval never write these tables; a person creates, edits and deletes them
-- (SyncEngine.groups()). A member's active or inactive state is not stored: it is read from the member's account
-- (account.active) each time, so a deactivated student stays in the group as inactive and comes back active with the
-- account. Under users.reissued_id = LINK a member (or owner) follows the account to its new Clever id.

create table custom_group (
    group_id            varchar(64)   not null,
    district_id         varchar(64)   not null,
    -- the Clever id of the teacher who owns the group
    owner_id            varchar(64)   not null,
    name                varchar(1000) not null,
    -- EMPTY, COPIED_FROM_SECTION, PICKED, or SUB_GROUP (one part of a split section)
    origin              varchar(24)   not null,
    -- the Clever id of the section a COPIED_FROM_SECTION or SUB_GROUP group came from; null otherwise
    source_section_id   varchar(64),
    created_at          timestamp     not null,
    edited_at           timestamp     not null,
    constraint pk_custom_group primary key (group_id)
);
create index ix_custom_group_owner on custom_group (district_id, owner_id);

create table custom_group_member (
    group_id            varchar(64)   not null,
    district_id         varchar(64)   not null,
    -- the member's Clever id
    user_id             varchar(64)   not null,
    -- COPIED (from the section), PICKED, SPLIT (a sub-group's share of its section) or ADDED (by hand, later)
    added_how           varchar(16)   not null,
    added_at            timestamp     not null,
    constraint pk_custom_group_member primary key (group_id, user_id),
    constraint fk_custom_group_member_group foreign key (group_id) references custom_group (group_id)
);
create index ix_custom_group_member_user on custom_group_member (district_id, user_id);
