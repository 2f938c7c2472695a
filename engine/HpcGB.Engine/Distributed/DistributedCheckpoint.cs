using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// A distributed run at an output frame as a checkpoint file holds it, on rank 0: the serial run's
/// <see cref="SimulationCheckpoint"/> (positions and the integrator's cached velocity in the serial particle order), the
/// signs, and the slab boundaries it ran with. <see cref="DistributedRunner.GatherCheckpoint"/> takes it;
/// <see cref="DistributedSystem.Create"/> resumes from it on any number of ranks, and a serial
/// <see cref="SimulationRunner.Resume"/> from its <see cref="Run"/>. The slabs matter only to a resume on as many ranks:
/// with them it continues bit for bit; without them (a serial checkpoint, or another K) the slabs are balanced anew and
/// the run equals the uninterrupted one up to rounding.
/// </summary>
/// <param name="Run">Time, next frame, unwrapped positions [axis][i] and the integrator state, in the serial order.</param>
/// <param name="Signs">Every particle's sign, in the serial order.</param>
/// <param name="Slabs">The slab boundaries in mesh rows (K + 1 values), or null.</param>
public sealed record DistributedCheckpoint(SimulationCheckpoint Run, sbyte[] Signs, IReadOnlyList<int>? Slabs);
