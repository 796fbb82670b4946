-- The audit log: append-only and hash-chained. Each row's hash is
--   SHA-256(previous row's hash || canonical text of the row)
-- with 32 zero bytes before the first row, and the canonical text
--   id|at (UTC, microseconds)|actor_id|action|employee_id|details (jsonb's own text form)
-- (AuditChain.Canonical in the attendance service computes the same text to verify the chain).
-- The head row (audit_chain) is locked by every writer, so rows are numbered and chained one at a
-- time in commit order: concurrent writers queue, never fork the chain, and ids have no gaps.

CREATE TABLE audit_chain (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint NOT NULL,
  last_hash bytea  NOT NULL
);
INSERT INTO audit_chain VALUES (true, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
BEGIN
  SELECT last_id, last_hash INTO head FROM audit_chain FOR UPDATE;
  NEW.id := head.last_id + 1;
  NEW.at := clock_timestamp();
  NEW.details := coalesce(NEW.details, '{}'::jsonb);
  NEW.hash := sha256(head.last_hash || convert_to(format('%s|%s|%s|%s|%s|%s',
      NEW.id, to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      coalesce(NEW.actor_id::text, ''), NEW.action, coalesce(NEW.employee_id::text, ''), NEW.details::text), 'UTF8'));
  UPDATE audit_chain SET last_id = NEW.id, last_hash = NEW.hash;
  RETURN NEW;
END $$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The audit log is append-only.' USING ERRCODE = :'audit_log_is_append_only';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Notifications wake the reporter, which pushes each to its recipient's open sockets. The payload
-- is the notification itself (well under NOTIFY's 8000 bytes); a missed one is in GET /notifications.
CREATE FUNCTION notifications_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attendance_notifications', json_build_object(
    'id', NEW.id, 'recipient_id', NEW.recipient_id, 'kind', NEW.kind, 'text', NEW.text,
    'correction_id', NEW.correction_id,
    'created_at', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER notifications_notify AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notifications_notify();
