namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// A symmetric 2 × 2 matrix [[A, B], [B, C]]. One-component blocks (1D, glide) use A alone with B = 0 and
/// C = 1, and vectors whose second component is 0, so the same code solves them exactly.
/// </summary>
internal readonly record struct Sym2(double A, double B, double C)
{
    public static Sym2 Identity { get; } = new(1, 0, 1);

    public static Sym2 operator +(Sym2 x, Sym2 y) => new(x.A + y.A, x.B + y.B, x.C + y.C);

    public static Sym2 operator -(Sym2 x, Sym2 y) => new(x.A - y.A, x.B - y.B, x.C - y.C);

    public static Sym2 operator *(double s, Sym2 x) => new(s * x.A, s * x.B, s * x.C);

    public double Trace => A + C;

    /// <summary>The smaller eigenvalue.</summary>
    public double SmallerEigenvalue
    {
        get
        {
            double half = 0.5 * (A - C);
            return 0.5 * (A + C) - Math.Sqrt(half * half + B * B);
        }
    }

    /// <summary>vᵀ M v.</summary>
    public double Quadratic(double v1, double v2) => A * v1 * v1 + 2 * B * v1 * v2 + C * v2 * v2;

    /// <summary>(A v1 + B v2, B v1 + C v2).</summary>
    public (double, double) Times(double v1, double v2) => (A * v1 + B * v2, B * v1 + C * v2);

    /// <summary>Solves this · x = (v1, v2) by Cramer's rule (the matrix must be non-singular).</summary>
    public (double, double) Solve(double v1, double v2)
    {
        double det = A * C - B * B;
        return ((C * v1 - B * v2) / det, (A * v2 - B * v1) / det);
    }

    /// <summary>Q G⁻¹ Q with Q = this and G = <paramref name="inner"/> (both symmetric).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Sym2 Sandwich(Sym2 inner)
    {
        // Columns of inner⁻¹ Q, then Q times them; the result is symmetric up to rounding, symmetrised.
        var (p11, p21) = inner.Solve(A, B);
        var (p12, p22) = inner.Solve(B, C);
        double r11 = A * p11 + B * p21;
        double r12 = 0.5 * (A * p12 + B * p22 + B * p11 + C * p21);
        double r22 = B * p12 + C * p22;
        return new Sym2(r11, r12, r22);
    }

    /// <summary>|M| = Σ |λ_k| P_k (saddle-free Newton): <see cref="Flip"/> with floor 0.</summary>
    public Sym2 Abs() => Flip(0.0);

    /// <summary>M₊ = Σ max(λ_k, 0) P_k.</summary>
    public Sym2 Positive()
    {
        double mean = 0.5 * (A + C);
        double half = 0.5 * (A - C);
        double q = Math.Sqrt(half * half + B * B);
        double l1 = mean + q, l2 = mean - q;
        if (l2 >= 0)
        {
            return this;
        }
        if (l1 <= 0)
        {
            return default;
        }
        // l1 · P1 with P1 = (M − λ2 I)/(λ1 − λ2).
        double f = l1 / (l1 - l2);
        return new Sym2(f * (A - l2), f * B, f * (C - l2));
    }

    /// <summary>
    /// Σ f(λ_k) P_k over the eigendecomposition with f(λ) = λ for λ ≥ −floor and |λ| below: mild negative
    /// curvature is kept (Newton stays quadratic there), strong negative curvature flips sign (saddle-free
    /// Newton), so that I + Σ blocks stays positive definite.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Sym2 Flip(double floor)
    {
        double mean = 0.5 * (A + C);
        double half = 0.5 * (A - C);
        double q = Math.Sqrt(half * half + B * B);
        double l1 = mean + q, l2 = mean - q;
        if (l2 >= -floor)
        {
            return this;
        }
        if (l1 < -floor)
        {
            return -1.0 * this;
        }
        // M' = (f1(M − λ2 I) − f2(M − λ1 I)) / (λ1 − λ2) with f1 = λ1 kept and f2 = |λ2|.
        double f1 = l1, f2 = -l2, span = l1 - l2;
        return new Sym2(
            (f1 * (A - l2) - f2 * (A - l1)) / span,
            (f1 - f2) * B / span,
            (f1 * (C - l2) - f2 * (C - l1)) / span);
    }
}
