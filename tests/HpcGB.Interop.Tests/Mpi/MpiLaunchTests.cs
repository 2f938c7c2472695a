using HpcGB.Interop.Mpi;

namespace HpcGB.Interop.Tests.Mpi;

/// <summary>Launcher detection and the missing-MPICH message; MPI itself runs in the host's mpiexec tests.</summary>
public sealed class MpiLaunchTests
{
    [Fact]
    public void A_test_process_is_not_an_mpi_rank()
    {
        Assert.False(MpiLaunch.IsUnderLauncher);
        Assert.Null(MpiLaunch.LauncherRank);
    }

    [Fact]
    public void A_missing_mpich_says_what_to_install()
    {
        var error = Assert.Throws<MpiUnavailableException>(() => MpiLibrary.Load("libmpich-not-here.so.12"));
        Assert.Contains("libmpich-not-here.so.12 not found; install mpich", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install mpich", error.Message, StringComparison.Ordinal);
    }
}
