-- The access generation (issue 16): bumped by triggers in the writing
-- transaction of every change to who may do what — a session ended,
-- expired, put back or re-keyed (a touch moving last_seen_ms forward is
-- not), a user, a staff role, a membership, a participant, a body, a
-- meeting. api/principal_cache.c keeps sessions, roles and meetings in
-- memory and trusts them only while this value is unchanged, so a logout
-- or a role change made by this process, another node, or by hand with
-- sqlite3 counts on the very next request. SQLite has no store_generations
-- table before this one (the directory generation is the process's counter).
CREATE TABLE store_generations (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO store_generations (name, value) VALUES ('access', 1);

CREATE TRIGGER sessions_access_delete AFTER DELETE ON sessions BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER sessions_access_update AFTER UPDATE ON sessions
WHEN NEW.last_seen_ms < OLD.last_seen_ms OR NEW.expires_ms <> OLD.expires_ms
     OR NEW.is_totp_pending <> OLD.is_totp_pending OR NEW.token_hash <> OLD.token_hash
     OR NEW.user_id <> OLD.user_id OR NEW.id <> OLD.id OR NEW.created_ms <> OLD.created_ms BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER users_access_update AFTER UPDATE ON users BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER users_access_delete AFTER DELETE ON users BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER org_staff_access_insert AFTER INSERT ON org_staff BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER org_staff_access_update AFTER UPDATE ON org_staff BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER org_staff_access_delete AFTER DELETE ON org_staff BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER members_access_insert AFTER INSERT ON members BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER members_access_update AFTER UPDATE ON members BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER members_access_delete AFTER DELETE ON members BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER participants_access_insert AFTER INSERT ON meeting_participants BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER participants_access_update AFTER UPDATE ON meeting_participants BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER participants_access_delete AFTER DELETE ON meeting_participants BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER bodies_access_update AFTER UPDATE ON bodies BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER bodies_access_delete AFTER DELETE ON bodies BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER meetings_access_update AFTER UPDATE ON meetings BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
CREATE TRIGGER meetings_access_delete AFTER DELETE ON meetings BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
END;
