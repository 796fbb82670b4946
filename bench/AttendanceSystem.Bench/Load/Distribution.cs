namespace AttendanceSystem.Bench.Load;

/// <summary>A set of measured durations in milliseconds, summarised the way the targets are stated.</summary>
public sealed class Distribution
{
    private readonly double[] _sorted;

    public Distribution(IEnumerable<double> milliseconds)
    {
        _sorted = milliseconds.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P50 => Percentile(50);

    public double P90 => Percentile(90);

    public double P99 => Percentile(99);

    public double P999 => Percentile(99.9);

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>Nearest-rank percentile; NaN when nothing was measured.</summary>
    public double Percentile(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>Share of samples at or below each bound (the CDF sampled at those points), for the plot.</summary>
    public IReadOnlyList<double[]> Cdf(IReadOnlyList<double> bounds) =>
        bounds.Select(bound => new[] { bound, _sorted.Length == 0 ? 0 : (double)CountAtOrBelow(bound) / _sorted.Length }).ToList();

    private int CountAtOrBelow(double bound)
    {
        int low = 0, high = _sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_sorted[middle] <= bound)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
