#!/usr/bin/env pwsh
# HpcGB build script. Without PowerShell installed: `dotnet tool restore` then `dotnet pwsh build.ps1 <target>`.
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('restore', 'build', 'test', 'bench', 'demo')]
    [string] $Target = 'build',

    [string] $Configuration = 'Release',

    # Extra arguments passed through (e.g. a BenchmarkDotNet --filter).
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

# The tests rerun with Vector512 and then all hardware intrinsics switched off.
# (Their OpenCL rows run on the device, which these switches do not touch: left out.)
$FallbackTests = '(FullyQualifiedName~Pme|FullyQualifiedName~FastPath|FullyQualifiedName~NearField)&DisplayName!~opencl'

# Native libraries loaded at run time, with the Debian package that ships each.
$NativePackages = [ordered]@{
    'libfftw3.so.3'     = 'libfftw3-double3'
    'libfftw3_omp.so.3' = 'libfftw3-double3'
    'libmpich.so.12'    = 'mpich'   # hpcgb sweep under mpiexec, and its tests
    'libOpenCL.so.1'    = 'ocl-icd-libopencl1'   # forces.device "opencl", and its tests
    'libpocl.so.2'      = 'pocl-opencl-icd'      # an OpenCL device on the CPU (PoCL)
}

# Files the build needs for the OpenCL backend's VkFFT shim (compiled from interop/ with the system C compiler).
$BuildPackages = [ordered]@{
    '/usr/bin/cc'            = 'gcc'
    '/usr/include/vkFFT.h'   = 'libvkfft-dev'
    '/usr/include/CL/cl.h'   = 'opencl-c-headers'
}

function Test-NativeLibrary([string] $Name) {
    $found = & ldconfig -p 2>$null | Select-String -SimpleMatch $Name
    return [bool]$found
}

# Installs the missing native packages with apt-get when running as root; otherwise says what to install.
function Install-NativeDependencies {
    $missing = @($NativePackages.Keys | Where-Object { -not (Test-NativeLibrary $_) } | ForEach-Object { $NativePackages[$_] } | Select-Object -Unique)
    $missing += @($BuildPackages.Keys | Where-Object { -not (Test-Path $_) } | ForEach-Object { $BuildPackages[$_] })
    # Plot text needs a font; without one the PNGs have no labels.
    if (-not (Test-Path '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf')) { $missing += 'fonts-dejavu-core' }
    if ($missing.Count -eq 0) { return }
    $isRoot = (& id -u) -eq '0'
    if ($isRoot -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Host "Installing $($missing -join ', ') (apt-get)..."
        & apt-get update -qq
        & apt-get install -y -qq @missing
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed" }
    }
    else {
        throw "Missing native libraries; install them with: sudo apt-get install -y $($missing -join ' ')"
    }
}

# Runs one `dotnet test` into its own TRX folder; a failing run is counted, not thrown, so every run happens and the
# totals line comes last.
$script:CrashedRuns = 0
function Invoke-TestRun([string] $Name, [string] $Results, [string[]] $Target, [string[]] $Extra) {
    & dotnet test @Target -c $Configuration --no-build --logger 'console;verbosity=normal' --logger 'trx' `
        --results-directory (Join-Path $Results $Name) @Extra
    if ($LASTEXITCODE -ne 0) {
        $failedHere = (Get-TrxCounters (Join-Path $Results $Name)).Failed
        if ($failedHere -eq 0) {
            Write-Host "test run '$Name' exited with $LASTEXITCODE without a failed test (a crashed test host?)"
            $script:CrashedRuns++
        }
    }
}

function Get-TrxCounters([string] $Folder) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in Get-ChildItem $Folder -Recurse -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.total - [int]$counters.executed
    }
    return [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# Each failed test with its run and the first line of its message, so the last lines of a CI log say what failed.
function Write-FailedTests([string] $Results) {
    foreach ($file in Get-ChildItem $Results -Recurse -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $run = Split-Path -Leaf (Split-Path -Parent $file.FullName)
        $xml = [xml](Get-Content -Raw -LiteralPath $file.FullName)
        foreach ($result in $xml.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -ne 'Passed' -and $_.outcome -ne 'NotExecuted' }) {
            $message = "$($result.Output.ErrorInfo.Message)".Trim() -split "`n" | Select-Object -First 1
            Write-Host "FAILED [$run] $($result.testName): $message"
        }
    }
}

# The last line of a test run: every test of every run, a crashed run counted as one failure.
function Write-TestTotals([string] $Results) {
    $totals = Get-TrxCounters $Results
    $failed = $totals.Failed + $script:CrashedRuns
    if ($totals.Failed -gt 0) { Write-FailedTests $Results }
    if ($totals.Skipped -gt 0) { Write-Host "$($totals.Skipped) skipped" }
    Write-Host "$($totals.Passed) passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

switch ($Target) {
    'restore' { Invoke-Dotnet restore HpcGB.sln }
    'build' { Invoke-Dotnet build HpcGB.sln -c $Configuration }
    'test' {
        Install-NativeDependencies
        Invoke-Dotnet build HpcGB.sln -c $Configuration
        $results = Join-Path $PSScriptRoot 'TestResults'
        Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
        Invoke-TestRun 'all' $results @('HpcGB.sln') $Rest
        # The vector code that follows the hardware (PME stencils, SimdPath.Auto) again as on an AVX2-only and on a
        # scalar machine: the runtime switches turn Vector512, then all intrinsics, off.
        foreach ($switch in 'DOTNET_EnableAVX512', 'DOTNET_EnableHWIntrinsic') {
            Write-Host "Fast-path tests with $switch=0"
            [Environment]::SetEnvironmentVariable($switch, '0')
            try { Invoke-TestRun "$switch=0" $results @('tests/HpcGB.Engine.Tests', '--filter', $FallbackTests) @() }
            finally { [Environment]::SetEnvironmentVariable($switch, $null) }
        }
        Write-TestTotals $results
    }
    'bench' {
        Install-NativeDependencies
        Invoke-Dotnet run --project bench/HpcGB.Bench -c Release -- @Rest
    }
    'demo' {
        Install-NativeDependencies
        Invoke-Dotnet run --project host/HpcGB.Host -c $Configuration -- demo @Rest
    }
}
