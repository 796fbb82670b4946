namespace AttendanceSystem.Data.Entities;

/// <summary>A public holiday: nobody scheduled is expected at work that day.</summary>
public sealed class Holiday
{
    public DateOnly Date { get; set; }

    public required string Name { get; set; }
}
