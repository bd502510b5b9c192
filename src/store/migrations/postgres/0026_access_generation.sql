-- Twin of sqlite/0026 (issue 16): the access generation, bumped by triggers
-- in the writing transaction of every change to who may do what — a session
-- ended, expired, put back or re-keyed (a touch moving last_seen_ms forward
-- is not), a user, a staff role, a membership, a participant, a body, a
-- meeting — so each node's in-memory sessions, roles and meetings
-- (api/principal_cache.c) notice a logout or a role change made through any
-- node on their very next request.
INSERT INTO store_generations (name, value) VALUES ('access', 1);

CREATE FUNCTION obrady_bump_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'access';
    RETURN NULL;
END
$$;
CREATE TRIGGER sessions_access_delete AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER sessions_access_update AFTER UPDATE ON sessions FOR EACH ROW
    WHEN (NEW.last_seen_ms < OLD.last_seen_ms OR NEW.expires_ms <> OLD.expires_ms
          OR NEW.is_totp_pending <> OLD.is_totp_pending OR NEW.token_hash <> OLD.token_hash
          OR NEW.user_id <> OLD.user_id OR NEW.id <> OLD.id OR NEW.created_ms <> OLD.created_ms)
    EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER users_access AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER org_staff_access AFTER INSERT OR UPDATE OR DELETE ON org_staff
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER members_access AFTER INSERT OR UPDATE OR DELETE ON members
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER participants_access AFTER INSERT OR UPDATE OR DELETE ON meeting_participants
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER bodies_access AFTER UPDATE OR DELETE ON bodies
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
CREATE TRIGGER meetings_access AFTER UPDATE OR DELETE ON meetings
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_access();
