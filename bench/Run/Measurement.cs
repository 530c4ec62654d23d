using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>What one server measured in one case: the load generator's result and the harness's own memory reading.</summary>
/// <param name="Result">The load generator's figures (its RSS fields are the first node's).</param>
/// <param name="ResidentBytes">Every process of the deployment (nodes and Redis) summed, read after the run.</param>
/// <param name="PeakResidentBytes">Their peak resident sets (VmHWM) summed.</param>
/// <param name="GcPauses">The .NET processes' garbage-collection pauses in the window; null for Daphne, or when not read.</param>
internal sealed record Measurement(ScenarioResult Result, long? ResidentBytes, long? PeakResidentBytes, GcPauseSummary? GcPauses = null);
