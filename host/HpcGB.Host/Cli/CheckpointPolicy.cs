using System.Globalization;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Cli;

/// <summary>
/// When <c>hpcgb run</c> checkpoints between frames: after <see cref="Interval"/> of wall time or after
/// <see cref="Frames"/> frames since the last checkpoint (whichever is set), always at a frame. Interruption
/// (Ctrl+C, SIGTERM) and the end of a run checkpoint regardless.
/// </summary>
internal sealed record CheckpointPolicy(TimeSpan? Interval, int? Frames)
{
    public const string Option = "--checkpoint-every";

    public static CheckpointPolicy Default { get; } = new(TimeSpan.FromMinutes(30), null);

    /// <summary>
    /// <c>30m</c> or <c>0.5min</c> (minutes), <c>2h</c> (hours), <c>10f</c> or <c>10frames</c> (a whole number of
    /// frames); null is <see cref="Default"/>. A bad value is a <see cref="SpecException"/> naming the option.
    /// </summary>
    public static CheckpointPolicy Parse(string? text)
    {
        if (text is null)
        {
            return Default;
        }
        string value = text.Trim().ToLowerInvariant();
        (string number, string unit) = Split(value);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !(amount > 0) || !double.IsFinite(amount))
        {
            throw Invalid(text);
        }
        return unit switch
        {
            "m" or "min" => new CheckpointPolicy(TimeSpan.FromMinutes(amount), null),
            "h" => new CheckpointPolicy(TimeSpan.FromHours(amount), null),
            "f" or "frames" when amount == Math.Floor(amount) && amount <= int.MaxValue => new CheckpointPolicy(null, (int)amount),
            _ => throw Invalid(text),
        };
    }

    /// <summary>Whether a checkpoint is due after <paramref name="frames"/> frames and <paramref name="elapsed"/> wall time
    /// since the last one.</summary>
    public bool IsDue(int frames, TimeSpan elapsed) =>
        (Frames is { } every && frames >= every) || (Interval is { } interval && elapsed >= interval);

    private static (string Number, string Unit) Split(string value)
    {
        int i = value.Length;
        while (i > 0 && char.IsLetter(value[i - 1]))
        {
            i--;
        }
        return (value[..i], value[i..]);
    }

    private static SpecException Invalid(string text) =>
        new(Option, $"expected a positive number of minutes (30m), hours (2h) or frames (10f), got '{text}'");
}
