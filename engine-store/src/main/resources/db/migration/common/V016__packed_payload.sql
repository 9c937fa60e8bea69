-- Issue 7 (store size): a record's JSON is kept deflated by the engine (PackedText: a first byte saying how, then raw
-- deflate with a preset dictionary of Clever's field names), about a quarter of its text. PostgreSQL compresses only
-- values of rows over about 2 KB, which a record's row never reaches. V017 (a Java migration, PackPayloads) packs the
-- rows already stored; V018 drops the text column.
alter table clever_record add column body bytea;
-- A section's subject and grade, which the console filters by, were matched inside the JSON text with LIKE.
alter table clever_record add column section_subject varchar(200);
alter table clever_record add column section_grade varchar(200);
