using HpcGB.Host.Cli;

// hpcgb: the command-line front end of HpcGB. Exit codes: see HpcGB.Host.Cli.ExitCodes.
return await HpcgbCli.InvokeAsync(args, CliConsole.FromProcess()).ConfigureAwait(false);
