-- The punch rules, version 3: version 2 (punch_rules.v2.sql) with a fast path for live punches.
-- The rules are the same. A live punch (punch, kiosk, offline, auto) that keeps them all is decided,
-- stamped and applied to the employee's state by one UPDATE whose WHERE clause is those rules; only
-- when it matches nothing (a rule says no, or the employee does not exist) does the step-by-step
-- check of version 2 run, to refuse with the rule's own error. Version 2 ran four statements per
-- punch (lock, closed-month check, rule checks, update); each is a round through the executor.
--
-- The time a punch without one gets is read just before that UPDATE and kept strictly after the
-- employee's last punch, so an employee's punches are still stamped in the order they are decided.

CREATE OR REPLACE FUNCTION attendance_records_enforce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state record;
  previous record;
  target attendance_records;
  before_it attendance_records;
  after_it attendance_records;
  stamped timestamptz;
  now_ms timestamptz;
BEGIN
  -- A replay of a punch already recorded under this Idempotency-Key writes nothing (checked first,
  -- as in version 2; two requests racing with one key meet at the employee's row lock below).
  IF NEW.kind = 'record' AND NEW.source <> 'correction' THEN
    IF NEW.idempotency_key IS NOT NULL AND EXISTS (
        SELECT 1 FROM attendance_records WHERE employee_id = NEW.employee_id AND idempotency_key = NEW.idempotency_key) THEN
      NULL; -- the step-by-step path below answers (replay, or the key's misuse)
    ELSE
      now_ms := date_trunc('milliseconds', clock_timestamp());
      UPDATE employees e SET last_action = NEW.action,
        last_punch_at = coalesce(NEW.timestamp, greatest(now_ms, e.last_punch_at + interval '1 millisecond'))
      WHERE e.id = NEW.employee_id
        AND (e.active OR NEW.source = 'auto')
        AND e.last_action IS DISTINCT FROM NEW.action
        AND (e.last_action IS NOT NULL OR NEW.action = 'in')
        AND (NEW.timestamp IS NULL OR e.last_punch_at IS NULL OR NEW.timestamp >= e.last_punch_at)
        AND NOT EXISTS (
          SELECT 1 FROM closed_periods c
          WHERE coalesce(NEW.timestamp, greatest(now_ms, e.last_punch_at + interval '1 millisecond')) >= c.starts_at
            AND coalesce(NEW.timestamp, greatest(now_ms, e.last_punch_at + interval '1 millisecond')) < c.ends_at)
      RETURNING e.last_punch_at INTO stamped;
      IF FOUND THEN
        NEW.timestamp := stamped;
        RETURN NEW;
      END IF;
    END IF;
  END IF;

  -- The employee row is locked first, so simultaneous writes for one employee queue up and each
  -- sees the state the previous one left.
  SELECT active, last_action, last_punch_at INTO state
  FROM employees WHERE id = NEW.employee_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'There is no employee with id %.', NEW.employee_id USING ERRCODE = 'foreign_key_violation';
  END IF;

  IF NEW.kind = 'void' THEN
    SELECT * INTO target FROM attendance_records WHERE id = NEW.voids_record_id;
    IF NOT FOUND OR target.employee_id <> NEW.employee_id OR target.kind <> 'record' THEN
      RAISE EXCEPTION 'Employee % has no record %.', NEW.employee_id, NEW.voids_record_id USING ERRCODE = :'record_not_found';
    END IF;
    IF EXISTS (SELECT 1 FROM attendance_records WHERE voids_record_id = target.id) THEN
      RAISE EXCEPTION 'Record % is already voided.', target.id USING ERRCODE = :'record_already_voided';
    END IF;

    -- A void repeats what it withdraws, so the feed can say which record left the timeline.
    NEW.action := target.action;
    NEW.timestamp := target.timestamp;
    PERFORM attendance_refuse_closed_period(NEW.timestamp, 'Record ' || target.id);
    before_it := attendance_effective_before(NEW.employee_id, target.timestamp, target.id);
    after_it := attendance_effective_after(NEW.employee_id, target.timestamp, target.id);
    IF after_it.id IS NOT NULL AND after_it.action = coalesce(before_it.action, 'out') THEN
      RAISE EXCEPTION 'Voiding record % would leave % %: in and out must alternate.', target.id, attendance_describe(after_it),
        CASE WHEN before_it.id IS NULL THEN 'as the first record, which must be "in"'
             ELSE 'right after ' || attendance_describe(before_it) END
        USING ERRCODE = :'in_and_out_must_alternate';
    END IF;
    IF after_it.id IS NULL THEN
      UPDATE employees SET last_action = before_it.action, last_punch_at = before_it.timestamp WHERE id = NEW.employee_id;
    END IF;
    RETURN NEW;
  END IF;

  IF NEW.source = 'correction' THEN
    IF NEW.timestamp IS NULL THEN
      RAISE EXCEPTION 'An added record needs its time.' USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM attendance_refuse_closed_period(NEW.timestamp, 'The time ' || attendance_iso(NEW.timestamp));
    before_it := attendance_effective_before(NEW.employee_id, NEW.timestamp, NEW.id);
    after_it := attendance_effective_after(NEW.employee_id, NEW.timestamp, NEW.id);
    IF before_it.id IS NULL AND NEW.action <> 'in' THEN
      RAISE EXCEPTION 'Adding "%" at % would make it the first record, which must be "in"%.', NEW.action,
        attendance_iso(NEW.timestamp),
        coalesce(' (before ' || attendance_describe(after_it) || ')', '')
        USING ERRCODE = :'in_and_out_must_alternate';
    END IF;
    IF before_it.action = NEW.action THEN
      RAISE EXCEPTION 'Adding "%" at % would follow %: in and out must alternate.', NEW.action,
        attendance_iso(NEW.timestamp), attendance_describe(before_it)
        USING ERRCODE = :'in_and_out_must_alternate';
    END IF;
    IF after_it.action = NEW.action THEN
      RAISE EXCEPTION 'Adding "%" at % would come right before %: in and out must alternate.', NEW.action,
        attendance_iso(NEW.timestamp), attendance_describe(after_it)
        USING ERRCODE = :'in_and_out_must_alternate';
    END IF;
    IF after_it.id IS NULL THEN
      UPDATE employees SET last_action = NEW.action, last_punch_at = NEW.timestamp WHERE id = NEW.employee_id;
    END IF;
    RETURN NEW;
  END IF;

  -- A live punch: checked against the state the effective timeline left.
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

  PERFORM attendance_refuse_closed_period(NEW.timestamp, 'The time ' || attendance_iso(NEW.timestamp));

  -- A deactivated account punches no more; closing its forgotten check-out is still the system's job.
  IF NOT state.active AND NEW.source <> 'auto' THEN
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
      attendance_iso(NEW.timestamp),
      attendance_iso(state.last_punch_at) USING ERRCODE = :'not_before_last_punch';
  END IF;

  UPDATE employees SET last_action = NEW.action, last_punch_at = NEW.timestamp WHERE id = NEW.employee_id;
  RETURN NEW;
END $$;
