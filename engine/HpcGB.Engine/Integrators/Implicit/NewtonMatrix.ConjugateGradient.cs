using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The preconditioned conjugate-gradient solve of M s = r.</summary>
internal sealed partial class NewtonMatrix
{
    private double[] _r1 = [], _r2 = [], _z1 = [], _z2 = [], _p1 = [], _p2 = [], _q1 = [], _q2 = [], _s1 = [], _s2 = [];

    /// <summary>
    /// Solves M s = r (physical coordinates, <paramref name="r"/>[axis][i] for the moving axes) by CG on TᵀMT
    /// with the block preconditioner, from s = 0, until the preconditioned residual norm has dropped by
    /// <paramref name="tolerance"/> or after <paramref name="maxIterations"/>. Every iterate is a descent
    /// direction for a merit function whose gradient is −r. Returns the iterations used.
    /// </summary>
    public int Solve(double[][] r, double[][] s, double tolerance, int maxIterations)
    {
        EnsureBuffers();
        bool two = Components == 2;
        if (_extension.HasGhosts || Halo.Distributed)
        {
            // Across ranks: r on the held particles and their ghosts (a matched pair's partner may be a ghost).
            ToLocal(r[0], _a1);
            ToLocal(two ? r[1] : null, _a2);
            ToTransformed(_a1, _a2, _r1, _r2);
        }
        else
        {
            ToTransformed(r[0], two ? r[1] : _zeros, _r1, _r2);
        }
        Array.Clear(_s1);
        Array.Clear(_s2);
        Precondition(_r1, _r2, _z1, _z2);
        Array.Copy(_z1, _p1, _n);
        Array.Copy(_z2, _p2, _n);
        double rz = Dot(_r1, _r2, _z1, _z2);
        double stop = tolerance * tolerance * rz;
        int iteration = 0;
        while (iteration < maxIterations && rz > stop && rz > 0)
        {
            iteration++;
            Apply(_p1, _p2, _q1, _q2);
            double pq = Dot(_p1, _p2, _q1, _q2);
            if (!(pq > 0))
            {
                break;
            }
            double alpha = rz / pq;
            Update(alpha, _p1, _q1, _s1, _r1);
            if (two)
            {
                Update(alpha, _p2, _q2, _s2, _r2);
            }
            Precondition(_r1, _r2, _z1, _z2);
            double next = Dot(_r1, _r2, _z1, _z2);
            double beta = next / rz;
            rz = next;
            Direction(beta, _z1, _p1);
            if (two)
            {
                Direction(beta, _z2, _p2);
            }
        }
        if (_extension.HasGhosts || Halo.Distributed)
        {
            ToPhysical(_s1, _s2, _a1, _a2);
            var held = _extension.LocalOfHeld;
            for (int k = 0; k < held.Length; k++)
            {
                s[0][k] = _a1[held[k]];
                if (two)
                {
                    s[1][k] = _a2[held[k]];
                }
            }
        }
        else
        {
            ToPhysical(_s1, _s2, s[0], two ? s[1] : _q2);
        }
        return iteration;
    }

    private double[] _zeros = [], _a1 = [], _a2 = [];

    /// <summary>A held vector (or 0 for null) on the local particles, the ghosts' entries from their holders.</summary>
    private void ToLocal(double[]? held, double[] local)
    {
        Array.Clear(local, 0, _n);
        if (held is null)
        {
            return;
        }
        var at = _extension.LocalOfHeld;
        for (int k = 0; k < at.Length; k++)
        {
            local[at[k]] = held[k];
        }
        Halo.Refresh(local);
    }

    /// <summary>s += αp, r −= αq (the first n entries).</summary>
    private void Update(double alpha, double[] p, double[] q, double[] s, double[] r)
    {
        TensorPrimitives.MultiplyAdd(p.AsSpan(0, _n), alpha, s.AsSpan(0, _n), s.AsSpan(0, _n));
        TensorPrimitives.MultiplyAdd(q.AsSpan(0, _n), -alpha, r.AsSpan(0, _n), r.AsSpan(0, _n));
    }

    /// <summary>p = z + βp (the first n entries).</summary>
    private void Direction(double beta, double[] z, double[] p) =>
        TensorPrimitives.MultiplyAdd(p.AsSpan(0, _n), beta, z.AsSpan(0, _n), p.AsSpan(0, _n));

    /// <summary>z = P⁻¹ r: the d × d diagonal block of every unmatched particle, the exact 2d × 2d block of every
    /// matched pair in (c, w): [[P, Q/2], [Q/2, P/4 + K]] with P = S_i + S_j, Q = S_i − S_j (factored once per
    /// matrix, <see cref="PrepareSolve"/>). One component: the first entries alone.</summary>
    private void Precondition(double[] r1, double[] r2, double[] z1, double[] z2)
    {
        var dipoles = CollectionsMarshal.AsSpan(_dipoles);
        var factors = _dipoleFactors.AsSpan(0, dipoles.Length);
        if (Components == 1)
        {
            TensorPrimitives.Divide(r1.AsSpan(0, _n), _diagA.AsSpan(0, _n), z1.AsSpan(0, _n));
            for (int d = 0; d < dipoles.Length; d++)
            {
                int i = dipoles[d].First, j = dipoles[d].Second;
                ref readonly var f = ref factors[d];
                double q = f.Q.A, g = f.G.A;
                // The scalar form of the elimination below.
                double c = (r1[i] - 0.5 * q * r1[j] / g) / f.Schur.A;
                z1[i] = c;
                z1[j] = (r1[j] - 0.5 * q * c) / g;
            }
            return;
        }
        SolveDiagonal(r1, r2, z1, z2);
        for (int d = 0; d < dipoles.Length; d++)
        {
            int i = dipoles[d].First, j = dipoles[d].Second;
            ref readonly var f = ref factors[d];
            var q = f.Q;
            var g = f.G;
            // Eliminate w: G w = r_w − (Q/2) c, then (P − ¼ Q G⁻¹ Q) c = r_c − (Q/2) G⁻¹ r_w.
            var (gw1, gw2) = g.Solve(r1[j], r2[j]);
            var (h1, h2) = q.Times(gw1, gw2);
            var (c1, c2) = f.Schur.Solve(r1[i] - 0.5 * h1, r2[i] - 0.5 * h2);
            var (qc1, qc2) = q.Times(c1, c2);
            var (w1, w2) = g.Solve(r1[j] - 0.5 * qc1, r2[j] - 0.5 * qc2);
            z1[i] = c1;
            z2[i] = c2;
            z1[j] = w1;
            z2[j] = w2;
        }
    }

    /// <summary>A matched pair's preconditioner block in factors: Q = S_i − S_j, G = P/4 + K and the Schur
    /// complement P − ¼QG⁻¹Q (one component: their A alone).</summary>
    private readonly record struct DipoleFactor(Sym2 Q, Sym2 G, Sym2 Schur);

    private DipoleFactor[] _dipoleFactors = [];

    // The per-particle blocks as plain arrays, so that their loops vectorise: I + external (the product) and the
    // diagonal blocks with their determinants (the preconditioner).
    private double[] _selfA = [], _selfB = [], _selfC = [], _diagA = [], _diagB = [], _diagC = [], _diagDet = [];

    /// <summary>z = D⁻¹r for the 2 × 2 diagonal blocks D (<see cref="Sym2.Solve"/>'s operations, lane by lane).</summary>
    private void SolveDiagonal(double[] r1, double[] r2, double[] z1, double[] z2)
    {
        int i = 0;
        for (int w = Vector<double>.Count; i <= _n - w; i += w)
        {
            var a = new Vector<double>(_diagA, i);
            var b = new Vector<double>(_diagB, i);
            var c = new Vector<double>(_diagC, i);
            var det = new Vector<double>(_diagDet, i);
            var v1 = new Vector<double>(r1, i);
            var v2 = new Vector<double>(r2, i);
            ((c * v1 - b * v2) / det).CopyTo(z1, i);
            ((a * v2 - b * v1) / det).CopyTo(z2, i);
        }
        for (; i < _n; i++)
        {
            double det = _diagDet[i];
            z1[i] = (_diagC[i] * r1[i] - _diagB[i] * r2[i]) / det;
            z2[i] = (_diagA[i] * r2[i] - _diagB[i] * r1[i]) / det;
        }
    }

    /// <summary>y = (I + X) x per particle (<see cref="Sym2.Times"/>'s operations, lane by lane; one component: the first).</summary>
    private void MultiplySelf(double[] x1, double[] x2, double[] y1, double[] y2)
    {
        if (Components == 1)
        {
            TensorPrimitives.Multiply(_selfA.AsSpan(0, _n), x1.AsSpan(0, _n), y1.AsSpan(0, _n));
            return;
        }
        int i = 0;
        for (int w = Vector<double>.Count; i <= _n - w; i += w)
        {
            var a = new Vector<double>(_selfA, i);
            var b = new Vector<double>(_selfB, i);
            var c = new Vector<double>(_selfC, i);
            var v1 = new Vector<double>(x1, i);
            var v2 = new Vector<double>(x2, i);
            (a * v1 + b * v2).CopyTo(y1, i);
            (b * v1 + c * v2).CopyTo(y2, i);
        }
        for (; i < _n; i++)
        {
            y1[i] = _selfA[i] * x1[i] + _selfB[i] * x2[i];
            y2[i] = _selfB[i] * x1[i] + _selfC[i] * x2[i];
        }
    }

    /// <summary>
    /// The preconditioner and the product from the matrix just made: the per-particle blocks as arrays and the matched
    /// pairs' factors.
    /// </summary>
    private void PrepareSolve()
    {
        if (_selfA.Length < _n || _selfA.Length > 2 * _n + 64)
        {
            _selfA = new double[_n];
            _selfB = new double[_n];
            _selfC = new double[_n];
            _diagA = new double[_n];
            _diagB = new double[_n];
            _diagC = new double[_n];
            _diagDet = new double[_n];
        }
        for (int i = 0; i < _n; i++)
        {
            var self = Components == 1 ? new Sym2(1 + _external[i].A, 0, 0) : Sym2.Identity + _external[i];
            var diagonal = _diagonal[i];
            _selfA[i] = self.A;
            _selfB[i] = self.B;
            _selfC[i] = self.C;
            _diagA[i] = diagonal.A;
            _diagB[i] = diagonal.B;
            _diagC[i] = diagonal.C;
            _diagDet[i] = diagonal.A * diagonal.C - diagonal.B * diagonal.B;
        }
        if (_dipoleFactors.Length < _dipoles.Count)
        {
            _dipoleFactors = new DipoleFactor[Math.Max(_dipoles.Count, 2 * _dipoleFactors.Length)];
        }
        for (int d = 0; d < _dipoles.Count; d++)
        {
            var (i, j, k) = _dipoles[d];
            if (Components == 1)
            {
                double si = _diagonal[i].A, sj = _diagonal[j].A;
                double p = si + sj, q = si - sj, g = 0.25 * p + k.A;
                _dipoleFactors[d] = new DipoleFactor(new Sym2(q, 0, 0), new Sym2(g, 0, 0), new Sym2(p - 0.25 * q * q / g, 0, 0));
            }
            else
            {
                var p = _diagonal[i] + _diagonal[j];
                var q = _diagonal[i] - _diagonal[j];
                var g = 0.25 * p + k;
                _dipoleFactors[d] = new DipoleFactor(q, g, p - 0.25 * q.Sandwich(g));
            }
        }
    }

    private double Dot(double[] a1, double[] a2, double[] b1, double[] b2)
    {
        double sum = 0;
        if (!_extension.HasGhosts)
        {
            sum = TensorPrimitives.Dot(a1.AsSpan(0, _n), b1.AsSpan(0, _n));
            return Halo.Sum(Components == 1 ? sum : sum + TensorPrimitives.Dot(a2.AsSpan(0, _n), b2.AsSpan(0, _n)));
        }
        int[] held = _extension.HeldIndex;
        for (int i = 0; i < _n; i++)
        {
            if (held[i] >= 0)
            {
                sum += a1[i] * b1[i] + a2[i] * b2[i];
            }
        }
        return Halo.Sum(sum);
    }

    private void EnsureBuffers()
    {
        if (_r1.Length >= _n && _r1.Length <= 2 * _n + 64)
        {
            return;
        }
        _r1 = new double[_n];
        _r2 = new double[_n];
        _z1 = new double[_n];
        _z2 = new double[_n];
        _p1 = new double[_n];
        _p2 = new double[_n];
        _q1 = new double[_n];
        _q2 = new double[_n];
        _s1 = new double[_n];
        _s2 = new double[_n];
        _zeros = new double[_n];
        _a1 = new double[_n];
        _a2 = new double[_n];
    }
}
