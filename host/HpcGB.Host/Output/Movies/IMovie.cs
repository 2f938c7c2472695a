namespace HpcGB.Host.Output.Movies;

/// <summary>
/// An animation as a sequence of rendered frames of one size, produced lazily: each frame is read from its file and
/// drawn only when the encoder asks for it, so memory holds one frame's data at a time.
/// </summary>
internal interface IMovie
{
    int Width { get; }

    int Height { get; }

    int FrameCount { get; }

    /// <summary>The frames in order, each as tightly packed RGBA bytes (Width × Height × 4, rows from the top).</summary>
    IEnumerable<byte[]> RenderFrames(CancellationToken cancellationToken);
}
