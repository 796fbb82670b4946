-- Revocation is decided here, so every way of changing an account (the API, an operator in psql)
-- ends the tokens it should. A deactivation or a new password ends every session; a new role ends
-- the access tokens issued so far (the session lives on: its next refresh carries the new role).
CREATE OR REPLACE FUNCTION attendance_employee_tokens_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    why text := CASE
        WHEN OLD.active AND NOT NEW.active THEN 'account deactivated'
        WHEN OLD.password_hash IS DISTINCT FROM NEW.password_hash THEN 'password changed'
        ELSE 'role changed' END;
BEGIN
    IF why = 'role changed' THEN
        -- Waits for a refresh in flight (it locks its session), so the cutoff below follows any token it issues.
        PERFORM 1 FROM sessions WHERE employee_id = NEW.id AND revoked_at IS NULL FOR UPDATE;
    ELSE
        UPDATE sessions SET revoked_at = clock_timestamp(), revoked_reason = why
        WHERE employee_id = NEW.id AND revoked_at IS NULL;
    END IF;

    INSERT INTO token_revocations (employee_id, session_id, reason, revoked_at)
    VALUES (NEW.id, NULL, why, clock_timestamp());
    RETURN NULL;
END
$$;

CREATE TRIGGER employees_tokens_revoked
    AFTER UPDATE OF active, role, password_hash ON employees
    FOR EACH ROW
    WHEN ((OLD.active AND NOT NEW.active)
        OR OLD.role IS DISTINCT FROM NEW.role
        OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
    EXECUTE FUNCTION attendance_employee_tokens_revoked();

CREATE OR REPLACE FUNCTION attendance_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO token_revocations (employee_id, session_id, reason, revoked_at)
    VALUES (NEW.employee_id, NEW.id, coalesce(NEW.revoked_reason, 'session ended'), NEW.revoked_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_revoked
    AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW
    WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION attendance_session_revoked();

-- Each revocation travels in its notification, so a listener applies it without a query; they
-- arrive in commit order, and a listener that was disconnected reads the table again.
CREATE OR REPLACE FUNCTION attendance_token_revocation_announced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('attendance_revocations', json_build_object(
        'employee_id', NEW.employee_id,
        'session_id', NEW.session_id,
        'reason', NEW.reason,
        'revoked_at_ms', floor(extract(epoch FROM NEW.revoked_at) * 1000))::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER token_revocations_announced
    AFTER INSERT ON token_revocations
    FOR EACH ROW EXECUTE FUNCTION attendance_token_revocation_announced();

-- Emptying the table (a test reset) tells listeners to forget what they hold.
CREATE OR REPLACE FUNCTION attendance_token_revocations_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('attendance_revocations', 'reload');
    RETURN NULL;
END
$$;

CREATE TRIGGER token_revocations_cleared
    AFTER TRUNCATE ON token_revocations
    FOR EACH STATEMENT EXECUTE FUNCTION attendance_token_revocations_cleared();
