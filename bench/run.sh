#!/usr/bin/env bash
# One command for the side-by-side benchmarks: builds the harness and every server in Release, then starts each
# server as its own process on a free 127.0.0.1 port, runs the scenarios against it, stops it, and prints the table.
#   bench/run.sh                      # every scenario, every server, default sizes (a few minutes)
#   bench/run.sh --quick              # a smoke-sized run
#   bench/run.sh --help               # all options
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Run/Run.csproj -c Release -v quiet -nologo -clp:ErrorsOnly >&2
exec dotnet bench/Run/bin/Release/net10.0/Switchboard.Bench.Run.dll "$@"
