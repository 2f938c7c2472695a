using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

public sealed partial class ImplicitIntegrator
{
    /// <summary>Buffers for one state and evaluator.</summary>
    private sealed class Workspace
    {
        public Workspace(IForceEvaluator evaluator, ParticleState owner, int movingAxes, SystemModel model, IStageHalo? halo)
        {
            Evaluator = evaluator;
            Owner = owner;
            MovingAxes = movingAxes;
            Stage = StagePositions.State(owner, movingAxes);
            int n = owner.Count;
            var matrix = new NewtonMatrix(model, n, model.Dimension == 2 && movingAxes == 2 ? 2 : 1, halo);
            Solver = new StageSolver(evaluator, Stage, matrix, movingAxes, PairRadius(model, (int)matrix.Halo.Total));
            History = new StepHistory(movingAxes, n, HistoryCapacity);
            NewestVelocity = owner.NewVectors();
            Target = Moving(movingAxes, n);
            Predictor = Moving(movingAxes, n);
            Estimate = Moving(movingAxes, n);
            Filtered = Moving(movingAxes, n);
        }

        /// <summary>Points kept: order 5 needs 5, its predictor 6, the estimate for order 6 is never made, so 7 covers
        /// the estimate for q + 1 at every q ≤ 5.</summary>
        public const int HistoryCapacity = BdfFormula.MaxOrder + 2;

        public IForceEvaluator Evaluator { get; }

        public ParticleState Owner { get; }

        public int MovingAxes { get; }

        public ParticleState Stage { get; }

        public StageSolver Solver { get; }

        public StepHistory History { get; }

        /// <summary>ẋ at the newest history point (every axis): the first step's predictor, and Newton's start
        /// where it starts from the last solution.</summary>
        public double[][] NewestVelocity { get; }

        /// <summary>Whether <see cref="NewestVelocity"/> holds ẋ at the newest history point (not after a restore).</summary>
        public bool NewestVelocityKnown { get; set; }

        /// <summary>x̃ of the step being solved.</summary>
        public double[][] Target { get; }

        public double[][] Predictor { get; }

        public double[][] Estimate { get; set; }

        public double[][] Filtered { get; set; }

        /// <summary>The step's nodes in units of τ: u_0 = 0 (the new point), u_j = (t_{n+1−j} − t_{n+1})/τ.</summary>
        public double[] Nodes { get; } = new double[HistoryCapacity + 1];

        public long CountedEvaluations { get; set; }

        /// <summary>The RMS of the last attempt's filtered error estimate (absolute).</summary>
        public double LocalError { get; set; }

        /// <summary>Keys of the pairs held (curvature along their separation &gt; 0) at the newest history point:
        /// the only pairs whose curvature filters the next step's error estimate.</summary>
        public PairKeys StableAtStart { get; } = new();

        public bool StableKnown { get; set; }

        private static double[][] Moving(int axes, int n)
        {
            var v = new double[axes][];
            for (int a = 0; a < axes; a++)
            {
                v[a] = new double[n];
            }
            return v;
        }
    }
}
