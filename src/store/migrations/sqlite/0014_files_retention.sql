-- Files in the database (issue 12, item 6). SQLite keeps files on disk
-- (DATA/files/<sha256>, DATA/reports/); these tables stay empty here and
-- exist so both backends share one schema (migrate-store copies the files
-- of DATA/files into them on PostgreSQL; see the PostgreSQL twin).
CREATE TABLE file_blobs (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    n_chunks BIGINT NOT NULL,
    touched_ms BIGINT NOT NULL
);
CREATE TABLE file_chunks (
    sha256 TEXT NOT NULL,
    n BIGINT NOT NULL,
    data BLOB NOT NULL,
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

-- Retention in calendar months (issue 13): see the PostgreSQL twin.
ALTER TABLE orgs ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 3;
UPDATE orgs SET retention_months = CASE WHEN retention_days <= 31 THEN 1
                                        ELSE (retention_days + 30) / 31 END;
