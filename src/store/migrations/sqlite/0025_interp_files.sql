-- Attachments of interpellations (issue 17, item 2): files of the member's
-- filing and of the office's answer. A row names the bytes by SHA-256 like a
-- meeting document (DATA/files/<sha256>; on PostgreSQL also file_blobs),
-- so the blob sweep and migrate-store count these rows too.
CREATE TABLE interp_files (
    id TEXT PRIMARY KEY,
    interp_id TEXT NOT NULL REFERENCES interpellations(id),
    part TEXT NOT NULL,               -- filing | answer
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    added_ms BIGINT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE INDEX interp_files_interp ON interp_files (interp_id, added_ms);
CREATE INDEX interp_files_sha256 ON interp_files (sha256);
