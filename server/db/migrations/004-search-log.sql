-- Text search index support (server/db/search-store.ts). The index itself lives in a separate,
-- derived database file beside this one, written by its own connection off the ingest's path; new
-- devices reach it by id order, and this log names the existing devices whose search text changed
-- since (written in the ingest's transaction, pruned once indexed). AUTOINCREMENT: a sequence
-- number is never reused after pruning, so an index ahead of this database (a restored backup)
-- is recognised and rebuilt.
CREATE TABLE search_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id INTEGER NOT NULL
) STRICT;

-- Names this store, so that a search index made for another one is never used.
INSERT INTO meta (key, value) VALUES ('store.id', lower(hex(randomblob(16))));
