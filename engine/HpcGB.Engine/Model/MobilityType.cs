namespace HpcGB.Engine.Model;

/// <summary>Which velocity components move.</summary>
public enum MobilityType
{
    /// <summary>dx_i/dt = −n ∇_{x_i} E_n: every component moves.</summary>
    Isotropic,

    /// <summary>Slip-plane confined (d = 2): only x1 moves, x2 stays bit-identical.</summary>
    Glide,
}
