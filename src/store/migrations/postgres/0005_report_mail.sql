-- Whether the protocol of each closed meeting and the report of each secret
-- vote are e-mailed to the members and the scrutiny committee (the
-- university regulation requires it; a body may turn it off).
ALTER TABLE bodies ADD COLUMN report_mail BIGINT NOT NULL DEFAULT 1;
