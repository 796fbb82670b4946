namespace AttendanceSystem.Data.Rules;

/// <summary>
/// A punch rule the database enforces, and the SQLSTATE its trigger raises when a punch breaks it.
/// Named here once: <c>Sql/punch_rules.v*.sql</c> refers to each by <see cref="Name"/>, and the
/// API turns a refusal back into its rule with <see cref="FromSqlState"/>.
/// </summary>
public sealed record PunchRule(string Name, string SqlState, bool Forbidden = false)
{
    public static readonly PunchRule FirstPunchMustBeIn = new("first_punch_must_be_in", "AT001");
    public static readonly PunchRule NoSameActionTwice = new("no_same_action_twice", "AT002");
    public static readonly PunchRule NotBeforeLastPunch = new("not_before_last_punch", "AT003");
    public static readonly PunchRule IdempotencyKeyReused = new("idempotency_key_reused", "AT004");

    /// <summary>Not a conflict with the history but a refusal of the caller: 403.</summary>
    public static readonly PunchRule AccountDeactivated = new("account_deactivated", "AT005", Forbidden: true);

    public static readonly PunchRule RecordsAreAppendOnly = new("records_are_append_only", "AT006");

    public static IReadOnlyList<PunchRule> All { get; } =
    [
        FirstPunchMustBeIn, NoSameActionTwice, NotBeforeLastPunch, IdempotencyKeyReused, AccountDeactivated, RecordsAreAppendOnly,
    ];

    public static PunchRule? FromSqlState(string sqlState) => All.FirstOrDefault(rule => rule.SqlState == sqlState);
}
