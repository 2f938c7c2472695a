namespace HpcGB.Interop.Mpi;

/// <summary>
/// Whether this process was started by an MPI launcher, decided from the environment alone so that a plain run
/// never loads MPI. MPICH's Hydra (<c>mpiexec</c>) sets <c>PMI_RANK</c>, <c>PMI_SIZE</c>, <c>PMI_FD</c>,
/// <c>MPI_LOCALNRANKS</c> and <c>MPI_LOCALRANKID</c>; Slurm's <c>srun --mpi=pmi2</c> sets <c>PMI_RANK</c> and
/// <c>PMI_SIZE</c>, <c>srun --mpi=pmix</c> sets <c>PMIX_RANK</c>.
/// </summary>
public static class MpiLaunch
{
    private static readonly string[] LauncherVariables = ["PMI_RANK", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"];

    /// <summary>True when any launcher variable is set: the process is one rank of an MPI job.</summary>
    public static bool IsUnderLauncher => LauncherVariables.Any(name => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(name)));

    /// <summary>This rank's number as the launcher announced it (<c>PMI_RANK</c> / <c>PMIX_RANK</c>), before MPI
    /// starts; null outside a launcher.</summary>
    public static int? LauncherRank => Integer("PMI_RANK") ?? Integer("PMIX_RANK");

    /// <summary>How many ranks the job has as the launcher announced it (<c>PMI_SIZE</c>), before MPI starts; null
    /// outside a launcher or when it does not say.</summary>
    public static int? LauncherSize => Integer("PMI_SIZE");

    /// <summary>How many ranks share this node (<c>MPI_LOCALNRANKS</c>), null when the launcher does not say.</summary>
    public static int? LocalRanks => Integer("MPI_LOCALNRANKS");

    private static int? Integer(string name) =>
        int.TryParse(System.Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
