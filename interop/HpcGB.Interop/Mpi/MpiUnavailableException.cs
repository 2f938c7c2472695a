namespace HpcGB.Interop.Mpi;

/// <summary>The MPI library (MPICH) could not be loaded or started; the message says what to install.</summary>
public sealed class MpiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
