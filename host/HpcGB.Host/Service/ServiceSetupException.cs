namespace HpcGB.Host.Service;

/// <summary>A setting that passed validation but cannot be acted on (a socket path that names a regular file);
/// <c>hpcgb serve</c> prints the message and exits with code 2.</summary>
internal sealed class ServiceSetupException(string message) : Exception(message);
