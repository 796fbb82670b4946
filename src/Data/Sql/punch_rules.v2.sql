-- The punch rules, version 2: version 1 (punch_rules.v1.sql) plus corrections and closed periods.
-- The record log stays append-only; a correction adds a record (source 'correction') or a void row
-- that withdraws one. The effective timeline is an employee's records that no void names, ordered
-- by (timestamp, id); the rules hold on it, and employees.last_action/last_punch_at always describe
-- its last record.
--
-- Live punches (punch, kiosk, offline, auto) are checked against that state, as in version 1.
-- A correction may land anywhere in the past, so it is checked against its neighbours there.
--
-- Once a month is closed (closed_periods, written by POST /periods/{month}/close), nothing dated in
-- it changes: no punch, no correction (add or void), no automatic check-out. The check runs after
-- the employee row is locked, on the time the row will have; closing a month locks the record log
-- against inserts while it commits, so no write slips in between the check and the close.

-- The effective record just before / just after a position (timestamp, id), or a row of nulls.
CREATE OR REPLACE FUNCTION attendance_effective_before(employee int, at timestamptz, at_id bigint) RETURNS attendance_records
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM attendance_records r
  WHERE r.employee_id = employee AND r.kind = 'record' AND (r.timestamp, r.id) < (at, at_id)
    AND NOT EXISTS (SELECT 1 FROM attendance_records v WHERE v.voids_record_id = r.id)
  ORDER BY r.timestamp DESC, r.id DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION attendance_effective_after(employee int, at timestamptz, at_id bigint) RETURNS attendance_records
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM attendance_records r
  WHERE r.employee_id = employee AND r.kind = 'record' AND (r.timestamp, r.id) > (at, at_id)
    AND NOT EXISTS (SELECT 1 FROM attendance_records v WHERE v.voids_record_id = r.id)
  ORDER BY r.timestamp, r.id LIMIT 1
$$;

-- A time as the API writes it (2026-11-23T08:59:12.345Z), and how a refusal names a record:
-- record 17 ("in" at 2026-11-23T08:59:12.345Z).
CREATE OR REPLACE FUNCTION attendance_iso(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE OR REPLACE FUNCTION attendance_describe(r attendance_records) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('record %s ("%s" at %s)', r.id, r.action, attendance_iso(r.timestamp))
$$;

-- The closed month a time falls in (null: none); the API asks it too, to refuse a request early.
CREATE OR REPLACE FUNCTION attendance_closed_period(at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT month FROM closed_periods WHERE at >= starts_at AND at < ends_at
$$;

-- Refuses a write dated in a closed month, saying which.
CREATE OR REPLACE FUNCTION attendance_refuse_closed_period(at timestamptz, what text) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
  closed date := attendance_closed_period(at);
BEGIN
  IF closed IS NOT NULL THEN
    RAISE EXCEPTION '% is dated in %, a closed period: nothing dated in it changes.', what, to_char(closed, 'YYYY-MM')
      USING ERRCODE = :'period_closed';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION attendance_records_enforce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state record;
  previous record;
  target attendance_records;
  before_it attendance_records;
  after_it attendance_records;
BEGIN
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
