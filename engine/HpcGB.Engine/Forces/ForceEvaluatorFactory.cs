using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Forces;

/// <summary>The one place that turns a model and a <c>forces</c> block into an evaluator.</summary>
public static class ForceEvaluatorFactory
{
    public static IForceEvaluator Create(SystemModel model, ForcesSpec forces)
    {
        // Only the reference exists so far: "auto" resolves to it for every n.
        _ = forces;
        if (model.Dimension == 2 && model.Regularization.Type == RegularizationType.Poisson)
        {
            return new FourierSeriesEvaluator(model);
        }
        return new PairSumEvaluator(model, PairKernels.Create(model));
    }
}
