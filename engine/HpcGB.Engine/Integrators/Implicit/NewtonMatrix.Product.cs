namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The links' part of the CG product, y = (I + X)x + Σ_links ±K(x_i − x_j) in physical coordinates: in one pass over
/// the links in link order, or, where the forces' helper is lent, in two passes split over it bit for bit: each
/// link's K(x_i − x_j) once, then at each particle its links' terms gathered in link order (the order the single
/// pass adds them in).
/// </summary>
internal sealed partial class NewtonMatrix
{
    // Each particle's links in link order (k where it is the link's first, ~k where its second): particle i's at
    // [_linksAtStart[i], _linksAtStart[i + 1]). Built at the first split product after the links.
    private int[] _linksAtStart = [], _linksAt = [];
    private bool _linksGathered;
    private double[] _f1 = [], _f2 = []; // each link's K(x_i − x_j)
    private double[] _productX1 = [], _productX2 = [], _productY1 = [], _productY2 = []; // the split product's vectors
    private Action<int, int, int>? _linkTerms, _gatherTerms;

    /// <summary>y = (I + X)x + the links' terms (one component: the first entries alone).</summary>
    private void MultiplyLinks(double[] x1, double[] x2, double[] y1, double[] y2)
    {
        if (_passes.LentChunks(_links) > 1)
        {
            if (!_linksGathered)
            {
                GatherLinks();
                _linksGathered = true;
            }
            (_productX1, _productX2, _productY1, _productY2) = (x1, x2, y1, y2);
            _passes.RunLent(_links, _linkTerms ??= (_, start, end) => LinkTerms(start, end));
            _passes.RunLent(_n, _gatherTerms ??= (_, start, end) => GatherTerms(start, end));
            return;
        }
        MultiplySelf(x1, x2, y1, y2);
        if (Components == 2)
        {
            for (int k = 0; k < _links; k++)
            {
                int i = _linkFirst[k], j = _linkSecond[k];
                var (f1, f2) = _linkBlock[k].Times(x1[i] - x1[j], x2[i] - x2[j]);
                y1[i] += f1;
                y2[i] += f2;
                y1[j] -= f1;
                y2[j] -= f2;
            }
            return;
        }
        for (int k = 0; k < _links; k++)
        {
            int i = _linkFirst[k], j = _linkSecond[k];
            double f = _linkWeight[k] * (x1[i] - x1[j]);
            y1[i] += f;
            y1[j] -= f;
        }
    }

    /// <summary>K(x_i − x_j) of links [<paramref name="start"/>, <paramref name="end"/>).</summary>
    private void LinkTerms(int start, int end)
    {
        double[] x1 = _productX1, x2 = _productX2;
        if (Components == 2)
        {
            for (int k = start; k < end; k++)
            {
                int i = _linkFirst[k], j = _linkSecond[k];
                (_f1[k], _f2[k]) = _linkBlock[k].Times(x1[i] - x1[j], x2[i] - x2[j]);
            }
            return;
        }
        for (int k = start; k < end; k++)
        {
            _f1[k] = _linkWeight[k] * (x1[_linkFirst[k]] - x1[_linkSecond[k]]);
        }
    }

    /// <summary>y at particles [<paramref name="start"/>, <paramref name="end"/>): (I + X)x, then their links' terms
    /// in link order (<see cref="MultiplySelf"/>'s and the single pass's operations).</summary>
    private void GatherTerms(int start, int end)
    {
        double[] x1 = _productX1, x2 = _productX2, y1 = _productY1, y2 = _productY2;
        int[] at = _linksAt;
        if (Components == 2)
        {
            for (int i = start; i < end; i++)
            {
                double v1 = x1[i], v2 = x2[i];
                double s1 = _selfA[i] * v1 + _selfB[i] * v2, s2 = _selfB[i] * v1 + _selfC[i] * v2;
                for (int e = _linksAtStart[i]; e < _linksAtStart[i + 1]; e++)
                {
                    // +f at the link's first, −f at its second: s + (−f) is s − f to the bit, without a branch that
                    // random order mispredicts.
                    int k = at[e], sign = k >> 31, link = k ^ sign;
                    double side = sign | 1;
                    s1 += side * _f1[link];
                    s2 += side * _f2[link];
                }
                y1[i] = s1;
                y2[i] = s2;
            }
            return;
        }
        for (int i = start; i < end; i++)
        {
            double s = _selfA[i] * x1[i];
            for (int e = _linksAtStart[i]; e < _linksAtStart[i + 1]; e++)
            {
                int k = at[e], sign = k >> 31;
                s += (sign | 1) * _f1[k ^ sign];
            }
            y1[i] = s;
        }
    }

    /// <summary>Each particle's links in link order, for the split product.</summary>
    private void GatherLinks()
    {
        if (_linksAtStart.Length < _n + 1 || _linksAtStart.Length > 2 * _n + 64)
        {
            _linksAtStart = new int[_n + 1];
        }
        if (_linksAt.Length < 2 * _links)
        {
            _linksAt = new int[2 * _linkFirst.Length];
            _f1 = new double[_linkFirst.Length];
            _f2 = new double[_linkFirst.Length];
        }
        var start = _linksAtStart.AsSpan(0, _n + 1);
        start.Clear();
        for (int k = 0; k < _links; k++)
        {
            start[_linkFirst[k] + 1]++;
            start[_linkSecond[k] + 1]++;
        }
        for (int i = 0; i < _n; i++)
        {
            start[i + 1] += start[i];
        }
        // Filled in link order, each particle's next slot counted up from its start (then moved back by one).
        for (int k = 0; k < _links; k++)
        {
            _linksAt[start[_linkFirst[k]]++] = k;
            _linksAt[start[_linkSecond[k]]++] = ~k;
        }
        for (int i = _n; i > 0; i--)
        {
            start[i] = start[i - 1];
        }
        start[0] = 0;
    }
}
