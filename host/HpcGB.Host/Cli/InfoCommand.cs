using System.CommandLine;
using System.Text;
using System.Text.Json;
using HpcGB.Host.Output;
using HpcGB.Interop;
using HpcGB.Interop.Mpi;
using HpcGB.Interop.OpenCl;
using Capabilities = HpcGB.Interop.Capabilities;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary><c>hpcgb info [--json]</c>: SIMD support, runtime, OS, cores, optional native libraries and fonts; started
/// under <c>mpiexec</c>, also a check that MPI works across the job's ranks (rank 0 prints, the others stay quiet).</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print the capabilities as JSON" };
        var command = new Command("info", "Show what this machine offers HpcGB (SIMD, runtime, native libraries)") { json };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, _ =>
        {
            string? mpi = MpiLaunch.IsUnderLauncher ? CheckMpi() : null;
            if (MpiLaunch.LauncherRank is > 0)
            {
                return ExitCodes.Success;
            }
            var capabilities = Capabilities.Detect();
            var fonts = FontStatus.Detect();
            if (parseResult.GetValue(json))
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Indented))
                {
                    JsonOutput.WriteCapabilities(writer, capabilities, fonts);
                }
                console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                var table = BuildTable(capabilities, fonts);
                if (mpi is not null)
                {
                    table.AddRow("MPI", Markup.Escape(mpi));
                }
                Tables.Write(console, table);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Table BuildTable(Capabilities capabilities, FontStatus fonts)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("capability").AddColumn("status");
        table.AddRow("HpcGB engine", Markup.Escape(EngineInfo.Version));
        table.AddRow("AVX2", YesNo(capabilities.Avx2));
        table.AddRow("FMA", YesNo(capabilities.Fma));
        table.AddRow("AVX-512F", YesNo(capabilities.Avx512F));
        table.AddRow("Vector256 accelerated", YesNo(capabilities.Vector256Accelerated));
        table.AddRow("Vector512 accelerated", YesNo(capabilities.Vector512Accelerated));
        table.AddRow(".NET runtime", Markup.Escape(capabilities.Runtime));
        table.AddRow("OS", Markup.Escape($"{capabilities.OperatingSystem} ({capabilities.Architecture})"));
        table.AddRow("cores", capabilities.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var library in capabilities.NativeLibraries)
        {
            string status = library.Found
                ? $"found ({library.LibraryName})"
                : $"not found ({library.LibraryName}): apt-get install {library.DebianPackages}";
            table.AddRow(Markup.Escape(library.Feature), Markup.Escape(status));
        }
        AddOpenCl(table, capabilities.OpenCl);
        table.AddRow(
            "plot fonts",
            fonts.Found
                ? $"{fonts.FamilyCount} families"
                : Markup.Escape($"none (plots without text): apt-get install {FontStatus.DebianPackage}"));
        return table;
    }

    private static void AddOpenCl(Table table, OpenClReport openCl)
    {
        if (openCl.Problem is { } problem)
        {
            table.AddRow("OpenCL", Markup.Escape(problem));
        }
        table.AddRow("OpenCL FFT (VkFFT shim)", Markup.Escape(openCl.FftVersionText is { } v
            ? $"VkFFT {v}"
            : "not built: apt-get install gcc libvkfft-dev opencl-c-headers, then rebuild"));
        foreach (var device in openCl.Devices)
        {
            string text = $"{device.Name} ({device.Type}, {device.Vendor}, driver {device.Driver}); " +
                $"fp64 {YesNo(device.Fp64)}, {device.ComputeUnits} compute units, {device.GlobalMemoryBytes / (double)(1L << 30):F1} GiB";
            table.AddRow($"OpenCL {device.Platform}/{device.Index}", Markup.Escape(text));
        }
    }

    /// <summary>Starts MPI, runs the self-check on every rank and returns rank 0's line.</summary>
    private static string CheckMpi()
    {
        using var session = MpiSession.Start();
        return MpiSelfCheck.Run(session);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
