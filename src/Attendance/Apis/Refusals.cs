using AttendanceSystem.Data.Rules;
using AttendanceSystem.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttendanceSystem.Attendance.Apis;

/// <summary>How every endpoint answers a refusal by the rules (the database's or a correction's): one mapping.</summary>
public static class Refusals
{
    public static ProblemHttpResult Problem(RuleRefusal refusal, string detail) => refusal switch
    {
        RuleRefusal.Forbidden => Problems.Forbidden(detail),
        RuleRefusal.NotFound => Problems.NotFound(detail),
        _ => Problems.Conflict(detail),
    };
}
