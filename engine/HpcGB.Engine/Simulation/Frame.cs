using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Simulation;

/// <summary>One output: frame <paramref name="Index"/> is at <see cref="Spec.TimeSpec.OutputTime"/>(Index)
/// (frame 0 at t = 0). <paramref name="State"/> is a snapshot the receiver may keep; so is
/// <paramref name="Velocity"/>, ẋ_i [axis][i] at the frame's time, present when the spec's <c>outputs.velocities</c> is set.</summary>
public sealed record Frame(int Index, Observables Observables, ParticleState State, double[][]? Velocity = null);
