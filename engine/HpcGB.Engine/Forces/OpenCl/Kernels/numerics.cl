// Special functions of the short-range operators in double precision: the same formulas (and, through the generated
// constants header, the same coefficient tables) as the scalar reference overloads of the CPU path:
// VectorE1 (E1, Ein), ShortRangeMath (phi, ln(1 + y), the E1 difference) and GaussianLog (the smoothed 1D logarithm).

// Sum of c[0] x^(count-1) + ... + c[count-1] by Horner's rule, highest power first.
double horner(__constant const double* c, int count, double x)
{
    double p = c[0];
    for (int k = 1; k < count; k++)
    {
        p = fma(p, x, c[k]);
    }
    return p;
}

// Ein(t) by its series, 0 <= t <= 1.
double ein_series(double t)
{
    return horner(EIN_SERIES, EIN_SERIES_TERMS, t) * t;
}

// E1(t) for t > 1: e^-t f(1/t)/t with f the rational fit around x = 1/2.
double e1_large(double t)
{
    double x = 1.0 / t;
    double f = fma(x - 0.5, horner(E1_NUMERATOR, E1_RATIONAL_TERMS, x) / horner(E1_DENOMINATOR, E1_RATIONAL_TERMS, x), E1_C0);
    return exp(-t) * f / t;
}

// E1(t) for t > 0.
double e1(double t)
{
    return t <= 1.0 ? -log(t) + fma(horner(EIN_SERIES, EIN_SERIES_TERMS, t), t, -EULER_GAMMA) : e1_large(t);
}

// Ein(t) = E1(t) + gamma + ln t for t >= 0.
double ein(double t)
{
    return t <= 1.0 ? ein_series(t) : e1_large(t) + EULER_GAMMA + log(t);
}

// phi(u) = (1 - e^-u)/u (phi(0) = 1) and e^-u, accurate for every u >= 0.
double phi(double u, double* expMinusU)
{
    if (u < PHI_SERIES_LIMIT)
    {
        double p = horner(PHI_SERIES, PHI_SERIES_TERMS, u);
        *expMinusU = 1.0 - u * p;
        return p;
    }
    double q = exp(-u);
    *expMinusU = q;
    return (1.0 - q) / u;
}

// ln(1 + y) for y >= 0, accurate for tiny y (Goldberg).
double log_one_plus(double y)
{
    double u = 1.0 + y;
    return u == 1.0 ? y : log(u) * (y / (u - 1.0));
}

// (E1(a) - E1(b))/2 for 0 <= a < b, halfLogRatio = ln(b/a)/2: cancellation-free for b <= 1.
double half_e1_difference(double a, double b, double halfLogRatio)
{
    return b <= 1.0 ? 0.5 * (ein_series(a) - ein_series(b)) + halfLogRatio : 0.5 * (e1(a) - e1(b));
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
