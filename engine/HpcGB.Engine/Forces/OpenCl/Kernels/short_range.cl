// The short-range functions s of the Ewald split, one per KIND (the values of ShortRangeKind), as in the scalar
// overloads of the CPU operators (LogShort, GaussianLogShort, EdgeShort, GaussianEdgeShort, GaussianLogShort1D,
// PoissonLogShort1D): the gradient and the potential at the minimum-image difference (x1, x2), r2 = x1^2 + x2^2,
// for 0 < r2 < r_c^2 (the caller tests the cut-off and skips i = j). In 1D x2 = 0. The 2D kinds work on `real`
// lanes (lanes.cl), branch-free; the 1D kinds are compiled with VEC = 1 only.

#define KIND_LOG 0
#define KIND_GAUSSIAN_LOG 1
#define KIND_EDGE 2
#define KIND_GAUSSIAN_EDGE 3
#define KIND_GAUSSIAN_LOG_1D 4
#define KIND_POISSON_LOG_1D 5

#if (KIND == KIND_GAUSSIAN_LOG_1D || KIND == KIND_POISSON_LOG_1D) && VEC != 1
#error "the 1D kinds are scalar (VEC = 1)"
#endif

// The unregularised kinds diverge at r = 0: a pair closer than the collision distance is reported, not summed.
#define SINGULAR (KIND == KIND_LOG || KIND == KIND_EDGE)

// Constants of one kind, derived once per work-item from sigma and delta as the CPU operators' constructors do.
typedef struct
{
    double halfInvS2;  // 1/2S^2 (S = sigma, or sqrt(sigma^2 + delta^2) for the 2D Gaussian log)
    double halfInvD2;  // 1/2delta^2
    double invS2;      // 1/sigma^2
    double invD2;      // 1/delta^2
    double kappa;      // 1/2delta^2 - 1/2S^2
    double logRatio;   // ln(S/delta)
    double c1;         // 1D: (ln 2sigma^2 - gamma)/2 (gaussian); delta^2 (poisson)
    double c2;         // 1D gaussian: c1 - ln delta
} ShortConstants;

ShortConstants short_constants(double sigma, double delta)
{
    ShortConstants k = { 0, 0, 0, 0, 0, 0, 0, 0 };
#if KIND == KIND_LOG
    k.halfInvS2 = 0.5 / (sigma * sigma);
#elif KIND == KIND_GAUSSIAN_LOG
    double s2 = sigma * sigma + delta * delta;
    k.halfInvS2 = 0.5 / s2;
    k.halfInvD2 = 0.5 / (delta * delta);
    k.kappa = sigma * sigma / (2 * delta * delta * s2);
    k.logRatio = 0.5 * log(s2 / (delta * delta));
#elif KIND == KIND_EDGE
    k.invS2 = 1.0 / (sigma * sigma);
    k.halfInvS2 = 0.5 * k.invS2;
#elif KIND == KIND_GAUSSIAN_EDGE
    k.invS2 = 1.0 / (sigma * sigma);
    k.invD2 = 1.0 / (delta * delta);
    k.halfInvS2 = 0.5 * k.invS2;
    k.halfInvD2 = 0.5 * k.invD2;
    k.kappa = (sigma - delta) * (sigma + delta) / (2 * sigma * sigma * delta * delta);
    k.logRatio = log(sigma / delta);
#elif KIND == KIND_GAUSSIAN_LOG_1D
    k.halfInvS2 = 0.5 / (sigma * sigma);
    k.invD2 = 1.0 / (delta * delta);
    k.c1 = 0.5 * (log(2 * sigma * sigma) - EULER_GAMMA);
    k.c2 = k.c1 - log(delta);
#elif KIND == KIND_POISSON_LOG_1D
    k.halfInvS2 = 0.5 / (sigma * sigma);
    k.c1 = delta * delta;
#endif
    return k;
}

// grad s(x).
void short_gradient(const ShortConstants* k, real x1, real x2, real r2, real* g1, real* g2)
{
#if KIND == KIND_LOG
    real coefficient = -vexp(-r2 * k->halfInvS2) / r2;
    *g1 = coefficient * x1;
    *g2 = coefficient * x2;
#elif KIND == KIND_GAUSSIAN_LOG
    real ignored;
    real coefficient = -vexp(-r2 * k->halfInvS2) * k->kappa * phi(r2 * k->kappa, &ignored);
    *g1 = coefficient * x1;
    *g2 = coefficient * x2;
#elif KIND == KIND_EDGE
    real w = 1.0 / r2;
    real ew = vexp(-r2 * k->halfInvS2) * w;
    real p = x2 * x2;
    real common = p * k->invS2;
    *g1 = x1 * ew * (common + (p - x1 * x1) * w);
    *g2 = x2 * ew * (common + 2 * p * w - 3);
#elif KIND == KIND_GAUSSIAN_EDGE
    real eSigma = vexp(-r2 * k->halfInvS2);
    real expMinusU;
    real ph = phi(r2 * k->kappa, &expMinusU);
    real d = eSigma * k->kappa * ph;
    real h = eSigma * (k->invS2 - expMinusU * k->invD2);
    real w = 1.0 / fmax(r2, GAUSSIAN_EDGE_TINY_R2);
    real sin2 = x2 * x2 * w;
    real cos2 = (x1 * x1 - x2 * x2) * w;
    real hs = h * sin2;
    *g1 = x1 * (hs - d * cos2);
    *g2 = x2 * (hs + d * (2 * sin2 - 3));
#elif KIND == KIND_GAUSSIAN_LOG_1D
    real u2 = r2 * k->invD2;
    real ignored;
    real phiTerm = phi(r2 * k->halfInvS2, &ignored) * k->halfInvS2;
    real coefficient = u2 < GAUSSIAN_LOG_1D_ASYMPTOTIC_FROM_SQUARED
        ? phiTerm - gaussian_log_derivative_over_argument(sqrt(u2)) * k->invD2
        : phiTerm - horner(GAUSSIAN_LOG_1D_SLOPE_SERIES, GAUSSIAN_LOG_1D_SLOPE_SERIES_TERMS, 1.0 / u2) / r2;
    *g1 = coefficient * x1;
    *g2 = coefficient * x2;
#elif KIND == KIND_POISSON_LOG_1D
    real ignored;
    real coefficient = phi(r2 * k->halfInvS2, &ignored) * k->halfInvS2 - 1.0 / (r2 + k->c1);
    *g1 = coefficient * x1;
    *g2 = coefficient * x2;
#endif
}

// s(x).
real short_potential(const ShortConstants* k, real x1, real x2, real r2)
{
#if KIND == KIND_LOG
    return 0.5 * e1(r2 * k->halfInvS2);
#elif KIND == KIND_GAUSSIAN_LOG
    return half_e1_difference(r2 * k->halfInvS2, r2 * k->halfInvD2, k->logRatio);
#elif KIND == KIND_EDGE
    real t = r2 * k->halfInvS2;
    return 0.5 * e1(t) - vexp(-t) * (x2 * x2 / r2);
#elif KIND == KIND_GAUSSIAN_EDGE
    real eSigma = vexp(-r2 * k->halfInvS2);
    real ignored;
    real d = eSigma * k->kappa * phi(r2 * k->kappa, &ignored);
    return half_e1_difference(r2 * k->halfInvS2, r2 * k->halfInvD2, k->logRatio) - d * (x2 * x2);
#elif KIND == KIND_GAUSSIAN_LOG_1D
    real u2 = r2 * k->invD2;
    real t = r2 * k->halfInvS2;
    if (u2 < GAUSSIAN_LOG_1D_ASYMPTOTIC_FROM_SQUARED)
    {
        real u = sqrt(u2);
        return t <= 1.0
            ? 0.5 * ein(t) + k->c2 - gaussian_log_value(u)
            : 0.5 * e1(t) + (log(u) - gaussian_log_value(u));
    }
    real w = 1.0 / u2;
    real h = w * horner(GAUSSIAN_LOG_1D_VALUE_SERIES, GAUSSIAN_LOG_1D_VALUE_SERIES_TERMS, w);
    return t <= 1.0
        ? 0.5 * (ein(t) - log(r2)) + k->c1 + h
        : 0.5 * e1(t) + h;
#elif KIND == KIND_POISSON_LOG_1D
    real t = r2 * k->halfInvS2;
    return t <= 1.0
        ? 0.5 * (ein(t) - EULER_GAMMA - log((r2 + k->c1) * k->halfInvS2))
        : 0.5 * (e1(t) - log_one_plus(k->c1 / r2));
#endif
}

#if VEC == 1

// Test entry: s and grad s at given differences (compared with the CPU's scalar operators).
__kernel void short_range_values(__global const double* x1, __global const double* x2, int count,
                                 double sigma, double delta, __global double* out)
{
    int i = get_global_id(0);
    if (i >= count)
    {
        return;
    }
    ShortConstants k = short_constants(sigma, delta);
    real a = x1[i], b = x2[i], r2 = a * a + b * b, g1, g2;
    short_gradient(&k, a, b, r2, &g1, &g2);
    out[3 * i] = g1;
    out[3 * i + 1] = g2;
    out[3 * i + 2] = short_potential(&k, a, b, r2);
}

#endif
