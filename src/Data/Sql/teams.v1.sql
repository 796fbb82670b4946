-- Every process keeps who-manages-whom in memory (TeamDirectory); this tells them when it changed.
-- Statement-level and without a payload: pg_notify folds repeats within a transaction into one,
-- and listeners read the small mapping again rather than apply deltas.
CREATE OR REPLACE FUNCTION attendance_teams_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('attendance_teams', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER teams_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams
    FOR EACH STATEMENT EXECUTE FUNCTION attendance_teams_changed();

-- Punches update employees all the time (last_action); only a change of team matters here.
CREATE TRIGGER employees_team_changed
    AFTER UPDATE OF team_id ON employees
    FOR EACH STATEMENT EXECUTE FUNCTION attendance_teams_changed();

-- A new person matters only when they join a team at once: bulk imports and registrations
-- without a team wake nobody (every process would otherwise re-read the mapping per statement).
CREATE OR REPLACE FUNCTION attendance_team_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added WHERE team_id IS NOT NULL) THEN
        PERFORM pg_notify('attendance_teams', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER employees_added
    AFTER INSERT ON employees
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION attendance_team_members_added();
