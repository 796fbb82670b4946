namespace AttendanceSystem.Bench.Load;

/// <summary>Constants every scenario agrees on.</summary>
public static class Workload
{
    /// <summary>Auth's default work factor; given to auth explicitly so the login baseline hashes at the same cost.</summary>
    public const int BcryptWorkFactor = 12;
}
