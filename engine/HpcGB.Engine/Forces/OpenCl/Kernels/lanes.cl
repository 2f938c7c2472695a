// The pair arithmetic is written once for `real`, VEC doubles: VEC = 1 (plain double, a GPU's work-item) or VEC = 8
// (double8, explicit SIMD for CPU devices, where the runtime does not vectorise loops of uneven length across
// work-items). A `mask` holds -1 (true) or 0 per lane for select(): comparisons go through CMP.

#define PASTE(a, b) a##b
#define XPASTE(a, b) PASTE(a, b)

#if VEC == 1
typedef double real;
typedef long mask;
#define CMP(condition) ((condition) ? -1L : 0L)
#define LOAD(p, j) ((p)[j])
#define LANE_OFFSETS 0L
#define HSUM(v) (v)
#define ANY(m) ((m) != 0)
#else
typedef XPASTE(double, VEC) real;
typedef XPASTE(long, VEC) mask;
#define CMP(condition) (condition)
#define LOAD(p, j) XPASTE(vload, VEC)(0, (p) + (j))
#if VEC == 8
#define LANE_OFFSETS ((long8)(0, 1, 2, 3, 4, 5, 6, 7))
// Lanes summed in a fixed tree: the same result for the same input.
#define HSUM(v) ((((v).s0 + (v).s1) + ((v).s2 + (v).s3)) + (((v).s4 + (v).s5) + ((v).s6 + (v).s7)))
#else
#error "VEC must be 1 or 8"
#endif
#define ANY(m) any(m)
#endif

// t where the mask is set, f elsewhere.
#define WHERE(m, t, f) select((f), (t), (m))
