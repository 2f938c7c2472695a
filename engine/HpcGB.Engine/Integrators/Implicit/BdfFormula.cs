namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The variable-coefficient BDF of order q (1 … <see cref="MaxOrder"/>) on the actual past times, as in DASSL's
/// and Brenan–Campbell–Petzold's variable-step formulation: the polynomial through x_{n+1} and the q newest
/// accepted points has derivative f(x_{n+1}) at t_{n+1}. With the Lagrange weights ℓ_j of those q + 1 nodes this
/// is x_{n+1} − Σ_j a_j x_{n+1−j} = γ f(x_{n+1}), a_j = −ℓ_j'/ℓ_0', γ = 1/ℓ_0' (ℓ_0' = Σ_j 1/(t_{n+1} − t_{n+1−j})):
/// one minimising movement of step γ from x̃ = Σ a_j x_{n+1−j}, as for backward Euler.
/// <para>
/// Predictor: the polynomial through the q + 1 newest points, at t_{n+1}. Local error (Milne's device): with
/// Y = x^{(q+1)}/(q+1)! and A = Π_{j=1..q}(t_{n+1} − t_{n+1−j}), the corrector's error is d ≈ γ·A·Y and the
/// predictor's x(t_{n+1}) − P ≈ A·(t_{n+1} − t_{n−q})·Y, so x_{n+1} − P ≈ A·Y·(t_{n+1} − t_{n−q} + γ) and
/// d ≈ C·(x_{n+1} − P) with C = γ/(t_{n+1} − t_{n−q} + γ) (2/11 for BDF2 at a constant step, 1/3 for backward
/// Euler after a constant step).
/// </para>
/// <para>
/// The error the other orders m = q ± 1 would have made on this step, for the order choice: γ_m·A_m·Y_m with Y_m
/// the divided difference of order m + 1 through x_{n+1} and the m + 1 newest points (CVODE compares the same
/// three estimates). All times are scaled by τ = t_{n+1} − t_n, so the weights are O(1) at any step size.
/// </para>
/// </summary>
internal static class BdfFormula
{
    public const int MaxOrder = 5;

    /// <summary>
    /// The corrector's weights a_1 … a_q into <paramref name="weights"/> and γ/τ as the return value, for the nodes
    /// <paramref name="u"/>: u_0 = 0 (t_{n+1}), u_j = (t_{n+1−j} − t_{n+1})/τ (u_1 = −1).
    /// </summary>
    public static double Corrector(ReadOnlySpan<double> u, int q, Span<double> weights)
    {
        double lead = 0; // ℓ_0'(u_0)
        for (int m = 1; m <= q; m++)
        {
            lead += 1.0 / (u[0] - u[m]);
        }
        for (int j = 1; j <= q; j++)
        {
            // ℓ_j'(u_0) = Π_{m ≠ 0, j}(u_0 − u_m) / Π_{m ≠ j}(u_j − u_m).
            double numerator = 1, denominator = 1;
            for (int m = 0; m <= q; m++)
            {
                if (m != j)
                {
                    denominator *= u[j] - u[m];
                    if (m != 0)
                    {
                        numerator *= u[0] - u[m];
                    }
                }
            }
            weights[j - 1] = -(numerator / denominator) / lead;
        }
        return 1.0 / lead;
    }

    /// <summary>The predictor's weights on the q + 1 newest points x_n … x_{n−q} (nodes u_1 … u_{q+1}) at u_0.</summary>
    public static void Predictor(ReadOnlySpan<double> u, int q, Span<double> weights)
    {
        for (int j = 1; j <= q + 1; j++)
        {
            double w = 1;
            for (int m = 1; m <= q + 1; m++)
            {
                if (m != j)
                {
                    w *= (u[0] - u[m]) / (u[j] - u[m]);
                }
            }
            weights[j - 1] = w;
        }
    }

    /// <summary>Milne's constant C = γ/(t_{n+1} − t_{n−q} + γ) in scaled times (γ/τ from <see cref="Corrector"/>).</summary>
    public static double ErrorConstant(ReadOnlySpan<double> u, int q, double gammaOverTau) =>
        gammaOverTau / (u[0] - u[q + 1] + gammaOverTau);

    /// <summary>
    /// The factor F_m with which order m's local error on this step is F_m·D_{m+1}, D_{m+1} the divided difference
    /// (in scaled times) of order m + 1 through the m + 2 nodes u_0 … u_{m+1}: F_m = (γ_m/τ)·Π_{j=1..m}(u_0 − u_j).
    /// </summary>
    public static double DifferenceFactor(ReadOnlySpan<double> u, int m)
    {
        double lead = 0, product = 1;
        for (int j = 1; j <= m; j++)
        {
            lead += 1.0 / (u[0] - u[j]);
            product *= u[0] - u[j];
        }
        return product / lead;
    }

    /// <summary>
    /// Weights c_j with D_k = Σ_{j=0..k} c_j x_j for the divided difference of order k through the nodes u_0 … u_k:
    /// c_j = 1/Π_{m ≠ j}(u_j − u_m).
    /// </summary>
    public static void DividedDifference(ReadOnlySpan<double> u, int k, Span<double> weights)
    {
        for (int j = 0; j <= k; j++)
        {
            double product = 1;
            for (int m = 0; m <= k; m++)
            {
                if (m != j)
                {
                    product *= u[j] - u[m];
                }
            }
            weights[j] = 1.0 / product;
        }
    }
}
