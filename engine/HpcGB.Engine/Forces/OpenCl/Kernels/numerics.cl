// Special functions of the short-range operators in double precision: the same formulas (and, through the generated
// constants header, the same coefficient tables) as the scalar reference overloads of the CPU path:
// VectorE1 (E1, Ein), ShortRangeMath (phi, ln(1 + y), the E1 difference) and GaussianLog (the smoothed 1D logarithm).
// The functions of the 2D kinds take `real` (lanes.cl); the 1D ones, compiled only with VEC = 1, take double.

// Sum of c[0] x^(count-1) + ... + c[count-1] by Horner's rule, highest power first.
real horner(__constant const double* c, int count, real x)
{
    real p = (real)c[0];
    for (int k = 1; k < count; k++)
    {
        p = fma(p, x, (real)c[k]);
    }
    return p;
}

// Ein(t) by its series, 0 <= t <= 1.
real ein_series(real t)
{
    return horner(EIN_SERIES, EIN_SERIES_TERMS, t) * t;
}

#if VEC == 1
#define vexp exp
#else
// e^x per lane as the CPU's VectorExp computes it (Cody-Waite reduction, a degree-9 polynomial, 2^n added to the
// exponent bits; x < -708 gives 0): inlined, where the runtime's exp is a call per lane on CPU devices.
real vexp(real x)
{
    real clamped = fmin(fmax(x, (real)EXP_LOWEST), (real)EXP_HIGHEST);
    real shifted = fma(clamped, (real)EXP_LOG2E, (real)EXP_MAGIC);
    real n = shifted - EXP_MAGIC;
    real r = fma(n, (real)-EXP_LN2_HI, clamped);
    r = fma(n, (real)-EXP_LN2_LO, r);
    real r2 = r * r, r4 = r2 * r2;
    real p03 = fma(fma((real)EXP_POLYNOMIAL_3, r, (real)EXP_POLYNOMIAL_2), r2, fma((real)EXP_POLYNOMIAL_1, r, (real)EXP_POLYNOMIAL_0));
    real p47 = fma(fma((real)EXP_POLYNOMIAL_7, r, (real)EXP_POLYNOMIAL_6), r2, fma((real)EXP_POLYNOMIAL_5, r, (real)EXP_POLYNOMIAL_4));
    real p = fma(fma(fma((real)EXP_POLYNOMIAL_9, r, (real)EXP_POLYNOMIAL_8), r4, p47), r4, p03);
    real er = fma(r2, p, r) + 1.0;
    real result = XPASTE(as_double, VEC)(XPASTE(as_long, VEC)(er) + (XPASTE(as_long, VEC)(shifted) << 52));
    return WHERE(CMP(x < EXP_LOWEST), (real)0.0, result);
}
#endif

// E1(t) for t > 1: e^-t f(1/t)/t with f the rational fit around x = 1/2.
real e1_large(real t)
{
    real x = 1.0 / t;
    real f = fma(x - 0.5, horner(E1_NUMERATOR, E1_RATIONAL_TERMS, x) / horner(E1_DENOMINATOR, E1_RATIONAL_TERMS, x), (real)E1_C0);
    return vexp(-t) * f / t;
}

// The regime choices below compute both sides and select (as the CPU's vector overloads do), so that a pair loop
// stays free of branches; the selected value is the scalar reference formula's.

// E1(t) for t > 0.
real e1(real t)
{
    real below = fmin(t, 1.0), above = fmax(t, 1.0);
    real small = -log(below) + fma(horner(EIN_SERIES, EIN_SERIES_TERMS, below), below, (real)-EULER_GAMMA);
    real large = e1_large(above);
    return WHERE(CMP(t <= 1.0), small, large);
}

// Ein(t) = E1(t) + gamma + ln t for t >= 0.
real ein(real t)
{
    real below = fmin(t, 1.0), above = fmax(t, 1.0);
    real small = ein_series(below);
    real large = e1_large(above) + EULER_GAMMA + log(above);
    return WHERE(CMP(t <= 1.0), small, large);
}

// phi(u) = (1 - e^-u)/u (phi(0) = 1) and e^-u, accurate for every u >= 0.
real phi(real u, real* expMinusU)
{
    real below = fmin(u, PHI_SERIES_LIMIT);
    real p = horner(PHI_SERIES, PHI_SERIES_TERMS, below);
    real q = vexp(-u);
    mask series = CMP(u < PHI_SERIES_LIMIT);
    *expMinusU = WHERE(series, 1.0 - below * p, q);
    return WHERE(series, p, (1.0 - q) / u);
}

// (E1(a) - E1(b))/2 for 0 <= a < b, halfLogRatio = ln(b/a)/2: cancellation-free for b <= 1.
real half_e1_difference(real a, real b, double halfLogRatio)
{
    real near = 0.5 * (ein_series(fmin(a, 1.0)) - ein_series(fmin(b, 1.0))) + halfLogRatio;
    real far = 0.5 * (e1(a) - e1(b));
    return WHERE(CMP(b <= 1.0), near, far);
}

#if VEC == 1

// ln(1 + y) for y >= 0, accurate for tiny y (Goldberg).
double log_one_plus(double y)
{
    double u = 1.0 + y;
    return u == 1.0 ? y : log(u) * (y / (u - 1.0));
}

// l(u) = E[log|u + Z|], u >= 0: asymptotic series beyond 12; below, l(0) + sum_j p_j H_j with p_j the Poisson(u^2/2)
// probabilities and H_j = sum_{m<j} 1/(2m+1) (the CPU's tail sums regrouped into one forward pass).
double gaussian_log_value(double u)
{
    if (u > GAUSSIAN_LOG_ASYMPTOTIC_FROM)
    {
        double inv2 = 1.0 / (u * u), power = 1.0, doubleFactorial = 1.0, sum = 0.0;
        for (int m = 1; m <= 24; m++)
        {
            power *= inv2;
            doubleFactorial *= 2 * m - 1;
            sum += doubleFactorial * power / (2 * m);
        }
        return log(u) - sum;
    }
    double x = u * u / 2.0;
    int top = (int)(x + 12.0 * sqrt(x) + 40.0);
    double p = exp(-x), harmonic = 0.0, sum = 0.0;
    for (int j = 1; j <= top; j++)
    {
        p = p * x / j;
        harmonic += 1.0 / (2 * j - 1);
        sum += p * harmonic;
    }
    return GAUSSIAN_LOG_AT_ZERO + sum;
}

// l'(u)/u, u >= 0, finite at 0 (= 1).
double gaussian_log_derivative_over_argument(double u)
{
    if (u > GAUSSIAN_LOG_ASYMPTOTIC_FROM)
    {
        double inv2 = 1.0 / (u * u), power = 1.0 / u, doubleFactorial = 1.0, sum = power;
        for (int m = 1; m <= 24; m++)
        {
            power *= inv2;
            doubleFactorial *= 2 * m - 1;
            sum += doubleFactorial * power;
        }
        return sum / u;
    }
    double x = u * u / 2.0;
    int top = (int)(x + 12.0 * sqrt(x) + 40.0);
    double p = exp(-x), sum = p;
    for (int m = 1; m <= top; m++)
    {
        p = p * x / m;
        sum += p / (2 * m + 1);
    }
    return sum;
}

#endif
