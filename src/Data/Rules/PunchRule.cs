namespace AttendanceSystem.Data.Rules;

/// <summary>How the API answers a refusal: most are conflicts with the history.</summary>
public enum RuleRefusal
{
    Conflict,
    Forbidden,
    NotFound,
}

/// <summary>
/// A rule the database enforces, and the SQLSTATE its trigger raises when a write breaks it.
/// Named here once: <c>Sql/*.sql</c> refers to each by <see cref="Name"/>, and the API turns a
/// refusal back into its rule with <see cref="FromSqlState"/>.
/// </summary>
public sealed record PunchRule(string Name, string SqlState, RuleRefusal Refusal = RuleRefusal.Conflict)
{
    public static readonly PunchRule FirstPunchMustBeIn = new("first_punch_must_be_in", "AT001");
    public static readonly PunchRule NoSameActionTwice = new("no_same_action_twice", "AT002");
    public static readonly PunchRule NotBeforeLastPunch = new("not_before_last_punch", "AT003");
    public static readonly PunchRule IdempotencyKeyReused = new("idempotency_key_reused", "AT004");

    /// <summary>Not a conflict with the history but a refusal of the caller: 403.</summary>
    public static readonly PunchRule AccountDeactivated = new("account_deactivated", "AT005", RuleRefusal.Forbidden);

    public static readonly PunchRule RecordsAreAppendOnly = new("records_are_append_only", "AT006");

    /// <summary>A correction would leave two equal actions next to each other on the effective timeline.</summary>
    public static readonly PunchRule InAndOutMustAlternate = new("in_and_out_must_alternate", "AT007");

    public static readonly PunchRule RecordNotFound = new("record_not_found", "AT008", RuleRefusal.NotFound);
    public static readonly PunchRule RecordAlreadyVoided = new("record_already_voided", "AT009");
    public static readonly PunchRule AuditLogIsAppendOnly = new("audit_log_is_append_only", "AT010");

    /// <summary>Nothing dated in a closed month changes.</summary>
    public static readonly PunchRule PeriodClosed = new("period_closed", "AT011");

    public static IReadOnlyList<PunchRule> All { get; } =
    [
        FirstPunchMustBeIn, NoSameActionTwice, NotBeforeLastPunch, IdempotencyKeyReused, AccountDeactivated, RecordsAreAppendOnly,
        InAndOutMustAlternate, RecordNotFound, RecordAlreadyVoided, AuditLogIsAppendOnly, PeriodClosed,
    ];

    public static PunchRule? FromSqlState(string sqlState) => All.FirstOrDefault(rule => rule.SqlState == sqlState);
}
