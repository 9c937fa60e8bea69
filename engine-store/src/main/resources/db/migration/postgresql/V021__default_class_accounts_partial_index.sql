-- The accounts whose default class (P13) can change: those flagged PRIMARY_CLASS and those holding one. A run that
-- changed some sections looks for them among the sections' members (ProvisioningStore.deriveDefaultClasses); most
-- districts flag no one, and without an index PostgreSQL read every account of the district for each 1,000 sections
-- (83 ms a time at 1,000,000 students, 0.75 s of a 16,000-event run). The predicate is the store's condition as
-- written, so that the planner can prove the query's condition implies it. H2 has no partial indexes.
create index ix_account_default_class on account (district_id)
    where primary_class_id is not null or coalesce(flags, '') like '%PRIMARY_CLASS%';
