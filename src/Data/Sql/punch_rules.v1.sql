-- The punch rules, enforced by PostgreSQL in the transaction that writes a record, so no code path
-- (and no read-then-write race) can store a record that breaks them. Version 1.
--
-- Each rule raises its own SQLSTATE, written here by name (:'first_punch_must_be_in'): the codes are
-- named once, in src/Data/Rules/PunchRule.cs, and SqlScripts fills them in when a migration applies
-- this file. To change a rule, copy this file to the next version and apply that from a new
-- migration: the review is a diff of SQL, and the migrations that ran before stay as they were.

-- The employee row is locked first, so simultaneous punches by one employee queue up and each sees
-- the state the previous one left.
CREATE FUNCTION attendance_records_enforce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state record;
  previous record;
BEGIN
  SELECT active, last_action, last_punch_at INTO state
  FROM employees WHERE id = NEW.employee_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'There is no employee with id %.', NEW.employee_id USING ERRCODE = 'foreign_key_violation';
  END IF;

  IF NEW.idempotency_key IS NOT NULL THEN
    SELECT action INTO previous FROM attendance_records
    WHERE employee_id = NEW.employee_id AND idempotency_key = NEW.idempotency_key;
    IF FOUND THEN
      IF previous.action <> NEW.action THEN
        RAISE EXCEPTION 'This Idempotency-Key was already used for a punch "%"; use a new key for a new punch.', previous.action
          USING ERRCODE = :'idempotency_key_reused';
      END IF;
      RETURN NULL; -- a replay: write nothing, the caller answers with the first record
    END IF;
  END IF;

  -- No time given: now, taken after the lock so times follow the order punches are
  -- decided in, and strictly after the last punch so that order is never ambiguous.
  IF NEW.timestamp IS NULL THEN
    NEW.timestamp := greatest(date_trunc('milliseconds', clock_timestamp()),
                              state.last_punch_at + interval '1 millisecond');
  END IF;

  IF NOT state.active THEN
    RAISE EXCEPTION 'This account has been deactivated.' USING ERRCODE = :'account_deactivated';
  END IF;
  IF state.last_action IS NULL AND NEW.action <> 'in' THEN
    RAISE EXCEPTION 'The first punch must be "in".' USING ERRCODE = :'first_punch_must_be_in';
  END IF;
  IF state.last_action = NEW.action THEN
    RAISE EXCEPTION 'Already punched "%"; the next punch must be "%".',
      NEW.action, CASE NEW.action WHEN 'in' THEN 'out' ELSE 'in' END USING ERRCODE = :'no_same_action_twice';
  END IF;
  IF NEW.timestamp < state.last_punch_at THEN
    RAISE EXCEPTION 'The time % is before the last punch at %.',
      to_char(NEW.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      to_char(state.last_punch_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') USING ERRCODE = :'not_before_last_punch';
  END IF;

  UPDATE employees SET last_action = NEW.action, last_punch_at = NEW.timestamp WHERE id = NEW.employee_id;
  RETURN NEW;
END $$;

CREATE TRIGGER attendance_records_enforce_rules BEFORE INSERT ON attendance_records
  FOR EACH ROW EXECUTE FUNCTION attendance_records_enforce_rules();

-- History is append-only: a changed or removed record would break the state above
-- and what live readers already delivered.
CREATE FUNCTION attendance_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Attendance records are append-only.' USING ERRCODE = :'records_are_append_only';
END $$;

CREATE TRIGGER attendance_records_append_only BEFORE UPDATE OR DELETE ON attendance_records
  FOR EACH ROW EXECUTE FUNCTION attendance_records_append_only();

-- Wakes the live readers when records commit; the table stays the source of truth.
CREATE FUNCTION attendance_records_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attendance_records', '');
  RETURN NULL;
END $$;

CREATE TRIGGER attendance_records_notify AFTER INSERT ON attendance_records
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_records_notify();
