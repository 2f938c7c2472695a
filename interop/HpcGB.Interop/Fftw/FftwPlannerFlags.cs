namespace HpcGB.Interop.Fftw;

/// <summary>How hard FFTW's planner searches for a fast algorithm (FFTW's planner-rigor flags).</summary>
public enum FftwPlannerFlags
{
    /// <summary>
    /// <c>FFTW_ESTIMATE</c>: plan at once by heuristics; execution may be slower. The only rigor whose plan, and so
    /// whose rounding, is the same in every run: the default, and what the engine uses.
    /// </summary>
    Estimate,

    /// <summary>
    /// <c>FFTW_MEASURE</c>: time candidate algorithms (seconds for large meshes, once per shape). The winner depends
    /// on the timings, so two identical runs may get different plans and results that differ in the last bits.
    /// </summary>
    Measure,

    /// <summary><c>FFTW_PATIENT</c>: a wider search than Measure (as timing-dependent); planning can take minutes.</summary>
    Patient,

    /// <summary>
    /// The plan that the loaded wisdom (<see cref="FftwLibrary.ImportWisdom"/>) holds for this shape, direction and thread
    /// count from an earlier Measure or Patient planning (<c>FFTW_MEASURE | FFTW_WISDOM_ONLY</c>: nothing is timed), else
    /// the Estimate plan. As repeatable as Estimate for a given wisdom file: wisdom measured once and stored fixes
    /// the faster plan for every later run (<see cref="FftwPlan.FromWisdom"/> says which one a plan is).
    /// </summary>
    Wisdom,
}

/// <summary>The direction of a real transform.</summary>
public enum FftwDirection
{
    /// <summary>Forward, real to half-spectrum (<c>fftw_plan_dft_r2c</c>, sign −1).</summary>
    RealToComplex,

    /// <summary>Inverse, half-spectrum to real (<c>fftw_plan_dft_c2r</c>, sign +1, unnormalised).</summary>
    ComplexToReal,
}
