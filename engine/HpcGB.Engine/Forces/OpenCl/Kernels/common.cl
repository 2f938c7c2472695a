// Coordinates to cells, mesh points and tiles: the one definition every program of the OpenCL path shares.

// x - floor(x) in [0, 1) (a tiny negative x would round to 1: it goes to 0), as Torus.Wrap.
double wrap_unit(double x)
{
    double w = x - floor(x);
    return w < 1.0 ? w : 0.0;
}

// Near-field cell of a wrapped coordinate on m cells per axis, as CellList.CellIndex.
int cell_index(double wrapped, int m)
{
    return min((int)(wrapped * m), m - 1);
}

// floor(M x) reduced to 0 ... M-1 for x in [0, 1], as ParticleMeshEwald.Point.
int mesh_point(double x, int mesh, double* frac)
{
    double u = x * mesh;
    double fl = floor(u);
    *frac = u - fl;
    int m = (int)fl;
    return m >= mesh ? m - mesh : m < 0 ? m + mesh : m;
}

// The PME tile of mesh row (or column) r: tiles are the rows with floor(r T / M) = a, each at least ORDER rows.
int tile_of(int r, int tiles, int mesh)
{
    return (int)(((long)r * tiles) / mesh);
}
