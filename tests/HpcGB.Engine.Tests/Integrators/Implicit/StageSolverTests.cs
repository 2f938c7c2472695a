using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>One implicit stage, solved from a chosen start.</summary>
public sealed class StageSolverTests(ITestOutputHelper output)
{
    /// <summary>
    /// A start that is a critical point of Φ (x̃ = x − γẋ(x)) with Φ concave along an attracting pair's approach
    /// (γ·2/(n r²) ≈ 100): Newton has nothing to correct there, and the solve must go on to the minimiser, with
    /// the pair in its core, instead of stopping at the saddle.
    /// </summary>
    [Theory]
    [InlineData(MobilityType.Isotropic)]
    [InlineData(MobilityType.Glide)]
    public void SaddleOfThePairApproachIsEscapedIntoTheCore(MobilityType mobility)
    {
        const double delta = 1e-3, gamma = 0.05;
        var model = TestSpecs.Model(mobility: mobility, delta: delta);
        var start = new ParticleState([[0.30, 0.315, 0.7, 0.8], [0.4, 0.4, 0.2, 0.75]], [1, -1, 1, -1]);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var (solver, stage, matrix) = AtSaddle(model, evaluator, start, gamma, out var target);

        Assert.True(solver.Solve(target, gamma, gamma, 1e6), solver.Failure);

        double separation = Math.Abs(Torus.Nearest(stage.Positions[0][0] - stage.Positions[0][1]));
        output.WriteLine($"{solver.Iterations} Newton steps, {solver.Escapes} escapes, separation {separation / delta:G3} δ, E {solver.Energy:G6}");
        Assert.True(separation < delta, $"separation {separation / delta:G3} δ");
        Assert.True(matrix.UnstablePair.Rate <= 1);
    }

    /// <summary>
    /// Two like-sign particles 0.3δ apart inside a Gaussian core, started at a critical point of Φ: the pair energy
    /// has its maximum at separation 0, so Φ is concave along their separation (γ/(nδ²) = 5 and 25) although they
    /// repel. That point is backward Euler's spurious solution, on the far side of w = 0 from the target's
    /// separation w̃; the minimiser lies beyond w̃. The escape moves the pair to w = 0, and Newton then crosses the
    /// concave core with growing steps (which must not count as a stall) and comes out of it with undershooting ones.
    /// </summary>
    [Theory]
    [InlineData(MobilityType.Isotropic, 2e-5)]
    [InlineData(MobilityType.Glide, 2e-5)]
    [InlineData(MobilityType.Isotropic, 1e-4)]
    [InlineData(MobilityType.Glide, 1e-4)]
    public void SaddleOfALikeSignPairInsideItsCoreIsLeftForTheMinimiserBeyondTheTarget(MobilityType mobility, double gamma)
    {
        const double delta = 1e-3;
        var model = TestSpecs.Model(mobility: mobility, delta: delta);
        var start = new ParticleState([[0.30, 0.30 + 0.3 * delta, 0.7, 0.8], [0.4, 0.4, 0.2, 0.75]], [1, 1, -1, -1]);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var (solver, stage, matrix) = AtSaddle(model, evaluator, start, gamma, out var target);

        Assert.True(solver.Solve(target, gamma, gamma, 1e6), solver.Failure);

        double w = Torus.Nearest(stage.Positions[0][0] - stage.Positions[0][1]);
        double wTarget = target[0][0] - target[0][1];
        output.WriteLine($"{solver.Iterations} Newton steps, {solver.Escapes} escapes, separation {w / delta:G3} δ, target's {wTarget / delta:G3} δ");
        Assert.True(solver.Escapes >= 1);
        Assert.True(w / wTarget > 1, $"separation {w / delta:G3} δ, the target's {wTarget / delta:G3} δ");
        Assert.True(matrix.UnstablePair.Rate <= 1);
    }

    /// <summary>
    /// A line search whose first trial collides and whose next one is taken: the solve succeeds, and the
    /// collision of the discarded trial is not reported as its failure.
    /// </summary>
    [Fact]
    public void ACollidedTrialDoesNotOutliveASuccessfulSolve()
    {
        const double gamma = 0.01;
        var model = TestSpecs.Model(delta: 1e-3);
        var start = new ParticleState([[0.30, 0.33, 0.7, 0.8], [0.4, 0.4, 0.2, 0.75]], [1, -1, 1, -1]);
        var evaluator = new CollidingEvaluator(new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)), collideAtCall: 2);
        var stage = StagePositions.State(start, 2);
        for (int a = 0; a < 2; a++)
        {
            Array.Copy(start.Positions[a], stage.Positions[a], start.Count);
        }
        // x̃ = x: the pair attracts, so the first Newton step moves and its first trial is call 2.
        var target = start.Positions.Select(axis => (double[])axis.Clone()).ToArray();
        var solver = new StageSolver(evaluator, stage, new NewtonMatrix(model, start.Count, 2), 2, 0.25);

        Assert.True(solver.Solve(target, gamma, gamma, 1e6), solver.Failure);

        Assert.True(evaluator.Collided);
        Assert.Null(solver.Failure);
    }

    /// <summary>
    /// Newton started from the last solution with its ẋ and E_n known (as the integrator keeps them from the
    /// accepted solve) takes them instead of evaluating there: one evaluation fewer, the same solution bit for bit
    /// as the start evaluated; here the start is a saddle of Φ, so the solve also runs its escape.
    /// </summary>
    [Theory]
    [InlineData(MobilityType.Isotropic)]
    [InlineData(MobilityType.Glide)]
    public void AKnownStartIsNotEvaluatedAgain(MobilityType mobility)
    {
        const double delta = 1e-3, gamma = 0.05;
        var model = TestSpecs.Model(mobility: mobility, delta: delta);
        var start = new ParticleState([[0.30, 0.315, 0.7, 0.8], [0.4, 0.4, 0.2, 0.75]], [1, -1, 1, -1]);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var velocity = start.NewVectors();
        double energy = evaluator.Evaluate(start, velocity, withEnergy: true);
        var last = start.Positions.Select(axis => (double[])axis.Clone()).ToArray();
        var solutions = new List<double[][]>();
        var evaluations = new List<long>();
        foreach (var known in new[] { null, velocity })
        {
            var (solver, stage, _) = AtSaddle(model, evaluator, start, gamma, out var target);
            for (int a = 0; a < (mobility == MobilityType.Glide ? 1 : 2); a++)
            {
                Array.Fill(stage.Positions[a], 0.5); // the moving axes: not where Newton starts
            }

            Assert.True(solver.Solve(target, gamma, gamma, 1e6, new KnownPoint(last, known, energy), fromFallback: true), solver.Failure);

            Assert.True(solver.Escapes >= 1);
            solutions.Add(stage.Positions.Select(axis => (double[])axis.Clone()).ToArray());
            evaluations.Add(solver.Evaluations);
        }
        Assert.Equal(evaluations[0] - 1, evaluations[1]);
        Assert.Equal(solutions[0], solutions[1]);
    }

    /// <summary>
    /// An opposite pair r₀ = 0.01 apart that the flow captures within the step (its capture time n r₀²/4 from the
    /// last solution is 0.9γ): backward Euler's equations have no solution with the pair apart (|w̃|² = r₀² &lt; 8γ/n,
    /// the two-body fold), and Newton creeps towards the core with flipped curvature. With the last solution's ẋ
    /// known the pair's own stage shows the fold at Newton's first step, which moves it into its core
    /// (<see cref="NewtonMatrix.FoldStep"/>: 2 Newton steps); without it Newton carries it there step by step (7).
    /// Under glide (an opposite pair on two slip planes goes to its 45° well, not to w = 0) there is no such escape.
    /// </summary>
    [Theory]
    [InlineData(MobilityType.Isotropic)]
    [InlineData(MobilityType.Glide)]
    public void APairPastItsFoldThatTheFlowCapturesWithinTheStepGoesIntoItsCoreAtNewtonsFirstStep(MobilityType mobility)
    {
        var iterations = new List<int>();
        foreach (bool known in new[] { false, true })
        {
            var (solver, stage, solved) = PastTheFold(mobility, known ? 1.0 : null);

            Assert.True(solved, solver.Failure);

            double separation = Math.Abs(Torus.Nearest(stage.Positions[0][0] - stage.Positions[0][1]));
            output.WriteLine($"ẋ known {known}: {solver.Iterations} Newton steps, separation {separation / FoldDelta:G3} δ; {solver.Tally}");
            Assert.True(separation < FoldDelta, $"separation {separation / FoldDelta:G3} δ");
            Assert.Equal(known && mobility == MobilityType.Isotropic ? 1 : 0, solver.Tally.FoldEscapes);
            iterations.Add(solver.Iterations);
        }
        if (mobility == MobilityType.Isotropic)
        {
            Assert.True(iterations[1] <= 2, $"{iterations[1]} Newton steps with the escape at the fold, {iterations[0]} without");
        }
    }

    /// <summary>
    /// The pair of <see cref="APairPastItsFoldThatTheFlowCapturesWithinTheStepGoesIntoItsCoreAtNewtonsFirstStep"/>
    /// past its fold, with the last solution's ẋ at a quarter of its own (as where the rest of the system holds the
    /// pair back): its two-body flow (own attraction, the rest of the relative ẋ frozen) captures it after 2.0γ,
    /// after the step (backward Euler: τ = γ). The stage is solved (main: it failed after Newton's whole budget, or
    /// at once at the fold) with the pair held at the flow's separation at the step's end: within 10⁻⁶ of it as an
    /// independent fine midpoint-rule run has it, and, as placed by <see cref="TwoBodyFlow"/>, not moved by the Newton steps
    /// after (10⁻¹³).
    /// </summary>
    [Fact]
    public void APairPastItsFoldThatTheFlowCapturesAfterTheStepIsHeldAtItsTwoBodySeparation()
    {
        const double scale = 0.25;
        var (solver, stage, solved) = PastTheFold(MobilityType.Isotropic, scale);

        output.WriteLine($"{solver.Failure}; {solver.Iterations} Newton steps; {solver.Tally}");
        Assert.True(solved, solver.Failure);
        Assert.Equal(1, solver.Tally.FoldHolds);
        Assert.Equal(0, solver.Tally.FoldEscapes);
        var (l1, l2, dv1, dv2, n) = PastTheFoldPair(scale);
        double span = solver.Gamma;
        var (r1, r2) = (l1, l2);
        const int steps = 200_000; // the explicit midpoint rule: error ~ (step / capture time)² ≈ 10⁻¹¹
        double h = span / steps;
        for (int k = 0; k < steps; k++)
        {
            var (a1, a2) = Flow(r1, r2);
            var (b1, b2) = Flow(r1 + 0.5 * h * a1, r2 + 0.5 * h * a2);
            r1 += h * b1;
            r2 += h * b2;
        }
        double w1 = Torus.Nearest(stage.Positions[0][0] - stage.Positions[0][1]), w2 = Torus.Nearest(stage.Positions[1][0] - stage.Positions[1][1]);
        double size = Math.Sqrt(r1 * r1 + r2 * r2), off = Math.Sqrt((w1 - r1) * (w1 - r1) + (w2 - r2) * (w2 - r2));
        var (captured, p1, p2) = TwoBodyFlow.Run(l1, l2, dv1, dv2, 2.0 / n, 2 * 746 * FoldDelta * FoldDelta, span);
        double placed = Math.Sqrt((w1 - p1) * (w1 - p1) + (w2 - p2) * (w2 - p2));
        output.WriteLine($"held at |w| = {Math.Sqrt(w1 * w1 + w2 * w2):G6} (from {Math.Sqrt(l1 * l1 + l2 * l2):G6}); off the fine midpoint run by {off / size:G3}, off the placement by {placed / size:G3}");
        Assert.False(captured);
        Assert.True(off <= 1e-6 * size, $"off the two-body flow by {off / size:G3} of |w|");
        Assert.True(placed <= 1e-13 * size, $"moved from where it was held by {placed / size:G3} of |w|");

        (double, double) Flow(double u1, double u2)
        {
            double pull = 2.0 / n / (u1 * u1 + u2 * u2);
            return (dv1 - pull * u1, dv2 - pull * u2);
        }
    }

    /// <summary>
    /// The held pair of <see cref="APairPastItsFoldThatTheFlowCapturesAfterTheStepIsHeldAtItsTwoBodySeparation"/> is
    /// placed by the evaluation of Newton's step for the rest, one evaluation where main took two (the placement
    /// alone, then Newton's next trial): at the solve's first evaluation the pair is at the flow's separation and
    /// the other four particles have taken Newton's step (main: they had not moved). Where that evaluation collides,
    /// the pair alone is placed (the others where they were) and the stage is still solved with it held.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ANewlyHeldPairIsPlacedWithNewtonsStepForTheRest(bool collides)
    {
        const double scale = 0.25;
        var recorded = new List<double[][]>();
        var (solver, _, solved) = PastTheFold(
            MobilityType.Isotropic, scale, around: inner => new RecordingEvaluator(new CollidingEvaluator(inner, collides ? 1 : 0), recorded));

        output.WriteLine($"{solver.Failure}; {solver.Iterations} Newton steps; {solver.Tally}");
        Assert.True(solved, solver.Failure);
        Assert.Equal(1, solver.Tally.FoldHolds);
        var (l1, l2, dv1, dv2, n) = PastTheFoldPair(scale);
        var (_, p1, p2) = TwoBodyFlow.Run(l1, l2, dv1, dv2, 2.0 / n, 2 * 746 * FoldDelta * FoldDelta, solver.Gamma);
        var start = FoldStart().Positions;
        var placed = recorded[collides ? 1 : 0];
        double w1 = Torus.Nearest(placed[0][0] - placed[0][1]), w2 = Torus.Nearest(placed[1][0] - placed[1][1]);
        double off = Math.Sqrt((w1 - p1) * (w1 - p1) + (w2 - p2) * (w2 - p2)), moved = 0;
        for (int i = 2; i < start[0].Length; i++)
        {
            moved = Math.Max(moved, Math.Abs(placed[0][i] - start[0][i]) + Math.Abs(placed[1][i] - start[1][i]));
        }
        output.WriteLine($"placed {off / Math.Sqrt(p1 * p1 + p2 * p2):G3} (relative) off the flow's separation; the rest moved by up to {moved:G3}");
        Assert.True(off <= 1e-13 * Math.Sqrt(p1 * p1 + p2 * p2), $"placed {off:G3} off the flow's separation");
        if (collides)
        {
            Assert.Equal(0.0, moved);
        }
        else
        {
            Assert.True(moved > 1e-6, $"the rest moved by {moved:G3} at the placement");
        }
    }

    /// <summary>
    /// The held pair of <see cref="APairPastItsFoldThatTheFlowCapturesAfterTheStepIsHeldAtItsTwoBodySeparation"/> with
    /// a seventh particle, of the first's sign, a fifth of the pair's separation from the second: the second is nearer
    /// it than the first (a dipole, bound or forming, with a particle approaching). Those are not two bodies, so the
    /// two-body flow does not decide the pair: it is left to Newton (main: held). In the free gas from T = 0.3 on,
    /// such held pairs failed the error test and halved the line search (docs/implicit.md, "Late phase").
    /// </summary>
    [Fact]
    public void APairPastItsFoldWithAMemberNearerAnotherOppositeParticleIsNotHeld()
    {
        var six = FoldStart();
        double[] x = [.. six.Positions[0], six.Positions[0][1]], y = [.. six.Positions[1], six.Positions[1][1] + 0.2 * FoldSeparation];
        var (solver, _, solved) = PastTheFold(MobilityType.Isotropic, 0.25, new ParticleState([x, y], [.. six.Signs, 1]));

        output.WriteLine($"{solver.Failure}; {solver.Iterations} Newton steps; {solver.Tally}");
        Assert.Equal(0, solver.Tally.FoldHolds);
    }

    private const double FoldDelta = 1e-6;

    private const double FoldSeparation = 0.01;

    private static ParticleState FoldStart() =>
        new([[0.30, 0.30 + FoldSeparation, 0.7, 0.8, 0.1, 0.55], [0.4, 0.4, 0.2, 0.75, 0.9, 0.6]], [1, -1, 1, -1, 1, -1]);

    /// <summary><see cref="PastTheFold"/>'s last solution, its ẋ (isotropic) and n.</summary>
    private static (double[][] Positions, double[][] Velocity, int Count) PastTheFoldStart()
    {
        var model = TestSpecs.Model(delta: FoldDelta);
        var start = FoldStart();
        var velocity = start.NewVectors();
        new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)).Evaluate(start, velocity, withEnergy: false);
        return (start.Positions, velocity, start.Count);
    }

    /// <summary>
    /// The pair of <see cref="PastTheFold"/> at the last solution: its separation w and the background Δv its flow
    /// freezes (the pair's relative ẋ, scaled by <paramref name="scale"/> as the solve's last ẋ is, less its own
    /// attraction), and n.
    /// </summary>
    private static (double W1, double W2, double Dv1, double Dv2, int Count) PastTheFoldPair(double scale)
    {
        var (start, velocity, n) = PastTheFoldStart();
        double l1 = start[0][0] - start[0][1], l2 = start[1][0] - start[1][1], own = 2.0 / n / (l1 * l1 + l2 * l2);
        return (l1, l2, scale * (velocity[0][0] - velocity[0][1]) + own * l1, scale * (velocity[1][0] - velocity[1][1]) + own * l2, n);
    }

    /// <summary>
    /// Backward Euler from the last solution (x̃ = x_n), with Newton started there, for six particles with an opposite
    /// pair r₀ = 0.01 apart at γ = n r₀²/(4·0.9) (its two-body capture time 0.9γ); the last solution's ẋ known
    /// scaled by <paramref name="lastVelocity"/> (null: unknown).
    /// </summary>
    private static (StageSolver Solver, ParticleState Stage, bool Solved) PastTheFold(
        MobilityType mobility, double? lastVelocity, ParticleState? from = null, Func<IForceEvaluator, IForceEvaluator>? around = null)
    {
        var model = TestSpecs.Model(mobility: mobility, delta: FoldDelta);
        var start = from ?? FoldStart();
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var velocity = start.NewVectors();
        double energy = evaluator.Evaluate(start, velocity, withEnergy: true);
        double gamma = start.Count * FoldSeparation * FoldSeparation / 4 / 0.9;
        int moving = mobility == MobilityType.Glide ? 1 : 2;
        var last = start.Positions.Take(moving).Select(axis => (double[])axis.Clone()).ToArray();
        double[][]? known = lastVelocity is { } scale ? [.. velocity.Select(axis => axis.Select(v => scale * v).ToArray())] : null;
        var stage = StagePositions.State(start, moving);
        var solver = new StageSolver(around?.Invoke(evaluator) ?? evaluator, stage, new NewtonMatrix(model, start.Count, moving), moving, 0.25);
        bool solved = solver.Solve(last, gamma, gamma, 1e6, new KnownPoint(last, known, energy), fromFallback: true);
        return (solver, stage, solved);
    }

    /// <summary>
    /// A backward-Euler stage from the last solution (its ẋ and E_n known) started at explicit Euler's point, close
    /// to the solution: every Newton step moves each pair by a small fraction of its separation, so the line search
    /// reads Φ's decrease from ∇Φ at both ends and the start is compared with the last solution the same way. E_n is
    /// asked for once, by the last evaluation (the solution, whose E_n the energy check reads); the solution is bit
    /// for bit the one of an evaluator that computes E_n at every call, and its E_n is the evaluator's there.
    /// </summary>
    [Theory]
    [InlineData(KernelType.Log, MobilityType.Isotropic, RegularizationType.Gaussian)]
    [InlineData(KernelType.Edge, MobilityType.Glide, RegularizationType.None)]
    public void ALocalSolveAsksForTheEnergyOnlyAtItsSolution(KernelType kernel, MobilityType mobility, RegularizationType regularization)
    {
        const double gamma = 2e-5;
        var model = TestSpecs.Model(kernel: kernel, mobility: mobility, regularization: regularization, delta: 1e-3);
        int moving = mobility == MobilityType.Glide ? 1 : 2;
        var last = TestSpecs.Uniform(model, 64);
        var exact = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var velocity = last.NewVectors();
        double energy = exact.Evaluate(last, velocity, withEnergy: true);
        var solutions = new List<double[][]>();
        foreach (bool always in new[] { false, true })
        {
            var evaluator = new EnergyRequests(exact, always);
            var stage = StagePositions.State(last, moving);
            for (int a = 0; a < moving; a++)
            {
                for (int i = 0; i < last.Count; i++)
                {
                    stage.Positions[a][i] = last.Positions[a][i] + gamma * velocity[a][i];
                }
            }
            var target = last.Positions.Take(moving).Select(axis => (double[])axis.Clone()).ToArray();
            var solver = new StageSolver(evaluator, stage, new NewtonMatrix(model, last.Count, moving), moving, 0.125);

            Assert.True(solver.Solve(target, gamma, gamma, 1e8, new KnownPoint(target, velocity, energy)), solver.Failure);

            output.WriteLine($"{kernel}, always {always}: {solver.Iterations} Newton steps, E_n asked at calls {string.Join(' ', evaluator.Asked)} of {evaluator.Calls}");
            Assert.True(evaluator.Calls >= 2);
            if (!always)
            {
                Assert.Equal([evaluator.Calls], evaluator.Asked);
            }
            Assert.Equal(exact.Evaluate(stage, stage.NewVectors(), withEnergy: true), solver.Energy);
            solutions.Add(stage.Positions.Take(moving).Select(axis => (double[])axis.Clone()).ToArray());
        }
        for (int a = 0; a < moving; a++)
        {
            Assert.Equal(solutions[1][a].Select(BitConverter.DoubleToInt64Bits), solutions[0][a].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>
    /// A solve whose Newton steps and escapes move a pair far (an opposite pair 0.01 apart captured into its Gaussian
    /// core of δ = 10⁻⁶ within the step, since the fold step at Newton's first step): the line search and the escapes read Φ's change from ∇Φ and the pairs' cores,
    /// so E_n is asked for once, by the last evaluation (the solution, whose E_n the energy check reads); the solution
    /// is bit for bit the one of an evaluator that computes E_n at every call, and its E_n is the evaluator's there.
    /// </summary>
    [Fact]
    public void AFarMovingSolveAsksForTheEnergyOnlyAtItsSolution()
    {
        const double delta = 1e-6, r0 = 0.01;
        var model = TestSpecs.Model(delta: delta);
        var start = new ParticleState([[0.30, 0.30 + r0, 0.7, 0.8, 0.1, 0.55], [0.4, 0.4, 0.2, 0.75, 0.9, 0.6]], [1, -1, 1, -1, 1, -1]);
        var exact = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var velocity = start.NewVectors();
        double energy = exact.Evaluate(start, velocity, withEnergy: true);
        double gamma = start.Count * r0 * r0 / 4 / 0.9;
        var last = start.Positions.Select(axis => (double[])axis.Clone()).ToArray();
        var solutions = new List<double[][]>();
        foreach (bool always in new[] { false, true })
        {
            var evaluator = new EnergyRequests(exact, always);
            var stage = StagePositions.State(start, 2);
            var solver = new StageSolver(evaluator, stage, new NewtonMatrix(model, start.Count, 2), 2, 0.25);

            Assert.True(solver.Solve(last, gamma, gamma, 1e6, new KnownPoint(last, velocity, energy), fromFallback: true), solver.Failure);

            output.WriteLine($"always {always}: {solver.Iterations} Newton steps, E_n asked at calls {string.Join(' ', evaluator.Asked)} of {evaluator.Calls}; {solver.Tally}");
            Assert.True(solver.Tally[EvaluationCause.EarlyEscape] + solver.Tally[EvaluationCause.Escape] + solver.Tally.FoldEscapes >= 1, "the pair was escaped into its core");
            if (!always)
            {
                Assert.Equal([evaluator.Calls], evaluator.Asked);
            }
            Assert.Equal(exact.Evaluate(stage, stage.NewVectors(), withEnergy: true), solver.Energy);
            solutions.Add(stage.Positions.Select(axis => (double[])axis.Clone()).ToArray());
        }
        for (int a = 0; a < 2; a++)
        {
            Assert.Equal(solutions[1][a].Select(BitConverter.DoubleToInt64Bits), solutions[0][a].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>
    /// The solver evaluates without E_n where no decision reads it and again with it where one does, taking ẋ from
    /// either: ẋ must not depend on whether E_n was asked for, bit for bit, for the exact sum and PME.
    /// </summary>
    [Theory]
    [InlineData(KernelType.Log, MobilityType.Isotropic, RegularizationType.Gaussian, false)]
    [InlineData(KernelType.Edge, MobilityType.Glide, RegularizationType.None, false)]
    [InlineData(KernelType.Log, MobilityType.Isotropic, RegularizationType.Gaussian, true)]
    [InlineData(KernelType.Edge, MobilityType.Glide, RegularizationType.None, true)]
    public void TheVelocityDoesNotDependOnWhetherTheEnergyIsAskedFor(KernelType kernel, MobilityType mobility, RegularizationType regularization, bool pme)
    {
        var model = TestSpecs.Model(kernel: kernel, mobility: mobility, regularization: regularization, delta: 1e-3);
        var state = TestSpecs.Uniform(model, 500);
        var evaluator = pme
            ? ForceEvaluatorFactory.Create(model, new Engine.Spec.ForcesSpec(Engine.Spec.ForceMethod.Pme, 1e-6), state.Count)
            : new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        using var owned = evaluator as IDisposable;
        var with = state.NewVectors();
        var without = state.NewVectors();
        Assert.True(double.IsFinite(evaluator.Evaluate(state, with, withEnergy: true)));
        evaluator.Evaluate(state, without, withEnergy: false);
        for (int a = 0; a < state.Dimension; a++)
        {
            Assert.Equal(with[a].Select(BitConverter.DoubleToInt64Bits), without[a].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>Evaluates with E_n where asked (or always), recording the calls (1-based) that asked.</summary>
    private sealed class EnergyRequests(IForceEvaluator inner, bool always) : IForceEvaluator
    {
        public int Calls { get; private set; }

        public List<int> Asked { get; } = [];

        public string Name => "energy-requests-test";

        public SystemModel Model => inner.Model;

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
        {
            Calls++;
            if (withEnergy)
            {
                Asked.Add(Calls);
            }
            double energy = inner.Evaluate(state, velocity, withEnergy || always);
            return withEnergy ? energy : double.NaN;
        }
    }

    /// <summary>A solver whose stage starts at <paramref name="start"/> with x̃ = x − γẋ(x): a critical point of Φ.</summary>
    private static (StageSolver Solver, ParticleState Stage, NewtonMatrix Matrix) AtSaddle(
        SystemModel model, IForceEvaluator evaluator, ParticleState start, double gamma, out double[][] target)
    {
        int moving = model.Mobility == MobilityType.Glide ? 1 : 2;
        var velocity = start.NewVectors();
        evaluator.Evaluate(start, velocity, withEnergy: false);
        target = new double[moving][];
        for (int a = 0; a < moving; a++)
        {
            target[a] = start.Positions[a].Select((x, i) => x - gamma * velocity[a][i]).ToArray();
        }
        var stage = StagePositions.State(start, moving);
        for (int a = 0; a < moving; a++)
        {
            Array.Copy(start.Positions[a], stage.Positions[a], start.Count);
        }
        var matrix = new NewtonMatrix(model, start.Count, moving);
        return (new StageSolver(evaluator, stage, matrix, moving, 0.25), stage, matrix);
    }

    /// <summary>Records the positions of every call, then evaluates.</summary>
    private sealed class RecordingEvaluator(IForceEvaluator inner, List<double[][]> recorded) : IForceEvaluator
    {
        public string Name => "recording-test";

        public SystemModel Model => inner.Model;

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
        {
            recorded.Add([.. state.Positions.Select(axis => (double[])axis.Clone())]);
            return inner.Evaluate(state, velocity, withEnergy);
        }
    }

    /// <summary>Throws a collision of particles 0 and 1 at the given call, else evaluates.</summary>
    private sealed class CollidingEvaluator(IForceEvaluator inner, int collideAtCall) : IForceEvaluator
    {
        private int _calls;

        public bool Collided { get; private set; }

        public string Name => "colliding-test";

        public SystemModel Model => inner.Model;

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
        {
            if (++_calls == collideAtCall)
            {
                Collided = true;
                throw new CollisionException(0, 1, 0.0);
            }
            return inner.Evaluate(state, velocity, withEnergy);
        }
    }
}
