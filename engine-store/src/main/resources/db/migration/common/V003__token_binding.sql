-- Issue 8 item 4: the district each Clever token was seen to belong to, by the token's SHA-256 (never the token).
-- A token that later sees another district is refused unless the host allows it, since syncing it would provision
-- the other district's people as new.
create table token_binding (
    token_sha256    varchar(64)   not null,
    district_id     varchar(64)   not null,
    bound_at        timestamp     not null,
    constraint pk_token_binding primary key (token_sha256)
);
