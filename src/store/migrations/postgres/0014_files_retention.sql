-- Files in the database (issue 12, item 6): on PostgreSQL every node serves
-- uploaded documents and cached report PDFs from here, so no shared file
-- system is needed. A blob is named by its SHA-256 and kept as chunks of at
-- most 256 KiB, read and written one chunk at a time. A blob counts only once
-- its file_blobs row exists (written last, in the chunks' transaction).
-- touched_ms protects a blob about to be referenced from the sweep of
-- unreferenced ones (store/files_repo.c). report_files names the cached PDF
-- of a report at the log head it was rendered from.
CREATE TABLE file_blobs (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    n_chunks BIGINT NOT NULL,
    touched_ms BIGINT NOT NULL
);
CREATE TABLE file_chunks (
    sha256 TEXT NOT NULL,
    n BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (sha256, n)
);
CREATE TABLE report_files (
    report_id TEXT PRIMARY KEY,
    head TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX report_files_sha256 ON report_files(sha256);

-- Retention in calendar months (issue 13; the university regulation archives
-- after 3 months): a closed meeting is archived once retention_months have
-- passed since it closed. retention_days stays for clients that send it; an
-- existing organisation keeps its period, rounded up to whole months.
ALTER TABLE orgs ADD COLUMN retention_months BIGINT NOT NULL DEFAULT 3;
UPDATE orgs SET retention_months = CASE WHEN retention_days <= 31 THEN 1
                                        ELSE (retention_days + 30) / 31 END;
