using System.Runtime.CompilerServices;

// The FFTW tests reach the planner-failure and missing-library paths through internal hooks.
[assembly: InternalsVisibleTo("HpcGB.Interop.Tests")]
