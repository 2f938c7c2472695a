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

switch ($Target) {
    'restore' { Invoke-Dotnet restore HpcGB.sln }
    'build' { Invoke-Dotnet build HpcGB.sln -c $Configuration }
    'test' {
        Invoke-Dotnet build HpcGB.sln -c $Configuration
        Invoke-Dotnet test HpcGB.sln -c $Configuration --no-build --logger 'console;verbosity=normal' @Rest
    }
    'bench' {
        Invoke-Dotnet run --project bench/HpcGB.Bench -c Release -- @Rest
    }
    'demo' {
        Invoke-Dotnet run --project host/HpcGB.Host -c $Configuration -- demo @Rest
    }
}
