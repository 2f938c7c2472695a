using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>
/// One case per rejected field or rule: the spec must fail with exactly this JSON path and a reason containing the
/// fragment. In the JSON, single quotes stand for double quotes, <c>$P2</c> for a valid 2D explicit particles
/// block and <c>$P1</c> for a valid 1D one.
/// </summary>
public sealed class SpecRejectionTests
{
    private const string P2 = "{'positions': [[0.1, 0.2]], 'signs': [1]}";
    private const string P1 = "{'positions': [0.1], 'signs': [1]}";

    [Theory]
    // Document structure.
    [InlineData("[1, 2]", "$", "expected an object, got an array")]
    [InlineData("null", "$", "expected an object, got null")]
    [InlineData("{'particles': $P2}", "$.dimension", "required")]
    [InlineData("{'dimension': 2}", "$.particles", "required")]
    [InlineData("{'dimension': 3, 'particles': $P2}", "$.dimension", "must be 1 or 2, got 3")]
    [InlineData("{'dimension': 0, 'particles': $P1}", "$.dimension", "must be 1 or 2, got 0")]
    [InlineData("{'dimension': '2', 'particles': $P2}", "$.dimension", "expected an integer, got string \"2\"")]
    [InlineData("{'dimension': 1.5, 'particles': $P1}", "$.dimension", "must be an integer, got 1.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'foo': 1}", "$.foo", "unknown key; allowed: dimension, kernel, mobility, regularization, external, particles, time, forces, seed")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'Kernel': 'log'}", "$.Kernel", "unknown key")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'a b': 1}", "$['a b']", "unknown key")]
    [InlineData("{'dimension': 2, 'dimension': 2, 'particles': $P2}", "$.dimension", "duplicate key")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'end': 1, 'end': 2}}", "$.time.end", "duplicate key")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': [1], 'signs': [1]}}", "$.particles.signs", "duplicate key")]
    // Malformed JSON.
    [InlineData("{'dimension': 2,", "$", "malformed JSON at line 1, byte 16")]
    [InlineData("", "$", "malformed JSON")]
    [InlineData("{'dimension': 2, 'particles': $P2,}", "$", "malformed JSON")]
    [InlineData("{'dimension': 2, /* c */ 'particles': $P2}", "$", "malformed JSON")]
    [InlineData("{'dimension': 2,\n'particles': $P2,\n'time': {'end': NaN}}", "$.time.end", "malformed JSON at line 3, byte 17: NaN is not a JSON number")]
    [InlineData("{'dimension': 2, 'particles': $P2} {}", "$", "malformed JSON")]
    // kernel and mobility.
    [InlineData("{'dimension': 2, 'kernel': 'gauss', 'particles': $P2}", "$.kernel", "unknown value \"gauss\"; allowed: log, edge")]
    [InlineData("{'dimension': 2, 'kernel': 'Log', 'particles': $P2}", "$.kernel", "allowed: log, edge")]
    [InlineData("{'dimension': 2, 'kernel': 1, 'particles': $P2}", "$.kernel", "expected a string, got number 1")]
    [InlineData("{'dimension': 1, 'kernel': 'edge', 'particles': $P1}", "$.kernel", "kernel \"edge\" requires dimension 2")]
    [InlineData("{'dimension': 1, 'mobility': 'glide', 'particles': $P1}", "$.mobility", "mobility \"glide\" requires dimension 2")]
    [InlineData("{'dimension': 2, 'mobility': 'climb', 'particles': $P2}", "$.mobility", "allowed: isotropic, glide")]
    // regularization.
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 0}}", "$.regularization.delta", "must be in [1E-100, 0.25], got 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': -1e-3}}", "$.regularization.delta", "must be in [1E-100, 0.25]")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 0.3}}", "$.regularization.delta", "must be in [1E-100, 0.25], got 0.3")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 5e-324}}", "$.regularization.delta", "must be in [1E-100, 0.25], got 5E-324")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 'NaN'}}", "$.regularization.delta", "expected a finite number, got string \"NaN\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 'Infinity'}}", "$.regularization.delta", "expected a finite number")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': 1e400}}", "$.regularization.delta", "must be a finite number, got 1e400")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'delta': null}}", "$.regularization.delta", "expected a finite number, got null")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'type': 'lorentz'}}", "$.regularization.type", "allowed: gaussian, poisson, none")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'width': 0.1}}", "$.regularization.width", "unknown key; allowed: type, delta")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': 0.01}", "$.regularization", "expected an object, got number 0.01")]
    // external.
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1]}]}}", "$.external.modes[0].k", "must have length 2 (the dimension), got 1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 0, 0]}]}}", "$.external.modes[0].k", "must have length 2")]
    [InlineData("{'dimension': 1, 'particles': $P1, 'external': {'modes': [{'k': [1, 0]}]}}", "$.external.modes[0].k", "must have length 1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': 1}]}}", "$.external.modes[0].k", "expected an array of length 2, got number 1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [0, 0]}]}}", "$.external.modes[0].k", "must not be all zero")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 0]}, {'k': [0, 0]}]}}", "$.external.modes[1].k", "must not be all zero")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1.5, 0]}]}}", "$.external.modes[0].k[0]", "must be an integer, got 1.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 3000000000]}]}}", "$.external.modes[0].k[1]", "must be an integer in -2147483648..2147483647")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'cos': 1}]}}", "$.external.modes[0].k", "required")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 0], 'cos': 'x'}]}}", "$.external.modes[0].cos", "expected a finite number")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 0], 'sin': 1e999}]}}", "$.external.modes[0].sin", "must be a finite number")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [{'k': [1, 0], 'amp': 1}]}}", "$.external.modes[0].amp", "unknown key; allowed: k, cos, sin")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': {'k': [1, 0]}}}", "$.external.modes", "expected an array, got an object")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'modes': [[1, 0]]}}", "$.external.modes[0]", "expected an object, got an array")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'force': [1]}}", "$.external.force", "must have length 2")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'force': [0, 'a']}}", "$.external.force[1]", "expected a finite number")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'force': 0.5}}", "$.external.force", "expected an array of length 2")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'external': {'stress': 1}}", "$.external.stress", "unknown key; allowed: modes, force")]
    // particles: explicit.
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': [0]}}", "$.particles.signs[0]", "must be 1 or -1, got 0")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': [2]}}", "$.particles.signs[0]", "must be 1 or -1, got 2")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': ['a']}}", "$.particles.signs[0]", "expected an integer, got string \"a\"")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': [true]}}", "$.particles.signs[0]", "expected an integer, got true")]
    [InlineData("{'dimension': 1, 'particles': {'positions': [0, 0.2, 0.4], 'signs': [1, -1, 0.5]}}", "$.particles.signs[2]", "must be an integer, got 0.5")]
    [InlineData("{'dimension': 1, 'particles': {'positions': [0, 0.2], 'signs': [1, -1.5]}}", "$.particles.signs[1]", "must be an integer, got -1.5")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 1e400]], 'signs': [1]}}", "$.particles.positions[0][1]", "must be a finite number")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2], ['NaN', 0.2]], 'signs': [1, 1]}}", "$.particles.positions[1][0]", "expected a finite number, got string \"NaN\"")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2], [0.3]], 'signs': [1, -1]}}", "$.particles.positions[1]", "must have length 2 (the dimension), got 1")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2, 0.3]], 'signs': [1]}}", "$.particles.positions[0]", "must have length 2")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [0.1, 0.2], 'signs': [1, -1]}}", "$.particles.positions[0]", "expected an array of length 2, got number 0.1")]
    [InlineData("{'dimension': 1, 'particles': {'positions': [[0.1, 0.2]], 'signs': [1]}}", "$.particles.positions[0]", "must have length 1 (the dimension), got 2")]
    [InlineData("{'dimension': 1, 'particles': {'positions': [0.1, 'x'], 'signs': [1, 1]}}", "$.particles.positions[1]", "expected a number or an array of length 1")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2], [0.3, 0.4]], 'signs': [1]}}", "$.particles.signs", "has 1 entries but positions has 2")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [], 'signs': []}}", "$.particles.positions", "must hold 1..50000000 particles, got 0")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]]}}", "$.particles.signs", "required")]
    [InlineData("{'dimension': 2, 'particles': {'signs': [1]}}", "$.particles.positions", "required")]
    [InlineData("{'dimension': 2, 'particles': {'positions': {'x': 1}, 'signs': [1]}}", "$.particles.positions", "expected an array, got an object")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': 1}}", "$.particles.signs", "expected an array, got number 1")]
    [InlineData("{'dimension': 2, 'particles': {'positions': [[0.1, 0.2]], 'signs': [1], 'weights': [1]}}", "$.particles.weights", "unknown key; allowed: positions, signs")]
    [InlineData("{'dimension': 2, 'particles': {}}", "$.particles", "expected explicit \"positions\" and \"signs\", or \"init\" (one of uniform, density, dipoles)")]
    [InlineData("{'dimension': 2, 'particles': [[0.1, 0.2]]}", "$.particles", "expected an object, got an array")]
    // particles: init.
    [InlineData("{'dimension': 2, 'particles': {'init': 'lattice', 'n': 4}}", "$.particles.init", "unknown value \"lattice\"; allowed: uniform, density, dipoles")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform'}}", "$.particles.n", "required")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': -5}}", "$.particles.n", "must be an integer in 1..50000000, got -5")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 0}}", "$.particles.n", "must be an integer in 1..50000000")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 50000001}}", "$.particles.n", "must be an integer in 1..50000000, got 50000001")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 1e12}}", "$.particles.n", "must be an integer in 1..50000000, got 1e12")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 10.5}}", "$.particles.n", "must be an integer, got 10.5")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 10, 'positive_fraction': 1.5}}", "$.particles.positive_fraction", "must be in [0, 1], got 1.5")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 10, 'positive_fraction': -0.1}}", "$.particles.positive_fraction", "must be in [0, 1]")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 10, 'positions': [[0, 0]]}}", "$.particles.positions", "unknown key; allowed: init, n, positive_fraction")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'uniform', 'count': 10}}", "$.particles.count", "unknown key; allowed: init, n, positive_fraction")]
    [InlineData("{'dimension': 2, 'particles': {'init': 2, 'n': 10}}", "$.particles.init", "expected a string, got number 2")]
    // particles: density grids.
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1, 2], [3]], 'negative': [[1]]}}", "$.particles.positive[1]", "has 1 values but row 0 has 2; rows must have equal length")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1, -2]], 'negative': [[1]]}}", "$.particles.positive[0][1]", "must be non-negative, got -2")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [1], 'negative': [0, -1e-300]}}", "$.particles.negative[1]", "must be non-negative")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[0, 0]], 'negative': [[0]]}}", "$.particles", "positive and negative both have zero total mass")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [1, 2], 'negative': [[1]]}}", "$.particles.positive", "expected a 2D grid")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [[1, 2]], 'negative': [1]}}", "$.particles.positive", "is a 2D grid (a list of rows) but dimension is 1")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [1, [2]], 'negative': [1]}}", "$.particles.positive[1]", "expected a finite number, got an array")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1], [[2]]], 'negative': [[1]]}}", "$.particles.positive[1][0]", "expected a finite number, got an array")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1]], 'negative': []}}", "$.particles.negative", "must not be empty")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[]], 'negative': [[1]]}}", "$.particles.positive[0]", "a row must not be empty")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1], 2], 'negative': [[1]]}}", "$.particles.positive[1]", "expected an array, got number 2")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [['1']], 'negative': [[1]]}}", "$.particles.positive[0][0]", "expected a finite number, got string \"1\"")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': {'a': 1}, 'negative': [[1]]}}", "$.particles.positive", "expected an array, got an object")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [1e308, 1e308], 'negative': [1]}}", "$.particles", "overflows")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1]]}}", "$.particles.negative", "required")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'positive': [[1]], 'negative': [[1]]}}", "$.particles.n", "required")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'density', 'n': 10, 'positive': [[1]], 'negative': [[1]], 'grid': 4}}", "$.particles.grid", "unknown key; allowed: init, n, positive, negative")]
    // particles: dipoles.
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 0, 'half_width': [1e-3, 0]}}", "$.particles.count", "must be an integer in 1..25000000 (two particles per dipole), got 0")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 25000001, 'half_width': [1e-3, 0]}}", "$.particles.count", "1..25000000")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 2.5, 'half_width': [1e-3, 0]}}", "$.particles.count", "must be an integer, got 2.5")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [0, 0]}}", "$.particles.half_width", "must not be all zero")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': 0}}", "$.particles.half_width", "must not be all zero")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e-3]}}", "$.particles.half_width", "must have length 2")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e999, 0]}}", "$.particles.half_width[0]", "must be a finite number")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5}}", "$.particles.half_width", "required")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'half_width': [1e-3, 0]}}", "$.particles.count", "required")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e-3, 0], 'random_orientation': 'yes'}}", "$.particles.random_orientation", "expected true or false, got string \"yes\"")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e-3, 0], 'random_orientation': 1}}", "$.particles.random_orientation", "expected true or false")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': 1e-3, 'centre_density': [0, 0]}}", "$.particles.centre_density", "total mass is zero")]
    [InlineData("{'dimension': 1, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': 1e-3, 'centre_density': [1, -1]}}", "$.particles.centre_density[1]", "must be non-negative")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e-3, 0], 'centre_density': [1, 2]}}", "$.particles.centre_density", "expected a 2D grid")]
    [InlineData("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 5, 'half_width': [1e-3, 0], 'n': 10}}", "$.particles.n", "unknown key; allowed: init, count, half_width, random_orientation, centre_density")]
    // time.
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'outputs': 1}}", "$.time.outputs", "must be an integer in 2..100000, got 1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'outputs': 100001}}", "$.time.outputs", "must be an integer in 2..100000")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'outputs': 2.5}}", "$.time.outputs", "must be an integer, got 2.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'end': 0}}", "$.time.end", "must be > 0, got 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'end': -1}}", "$.time.end", "must be > 0, got -1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'end': 1e400}}", "$.time.end", "must be a finite number")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'end': '1'}}", "$.time.end", "expected a finite number, got string \"1\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'rtol': 0}}", "$.time.rtol", "must be > 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'atol': -1e-9}}", "$.time.atol", "must be > 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'step': 0}}", "$.time.step", "must be > 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'rk4'}}", "$.time.integrator", "unknown value \"rk4\"; allowed: dp45, euler, implicit, auto")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'Implicit'}}", "$.time.integrator", "unknown value \"Implicit\"; allowed: dp45, euler, implicit, auto")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'bdf2'}}", "$.time.integrator", "unknown value \"bdf2\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 1}}", "$.time.integrator", "expected")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'foo': 1}}", "$.time.foo", "unknown key; allowed: end, integrator, rtol, atol, outputs, step, max_order, error")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'implicit', 'max_order': 0}}", "$.time.max_order", "must be an integer in 1..5, got 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'implicit', 'max_order': 6}}", "$.time.max_order", "must be an integer in 1..5, got 6")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'implicit', 'max_order': 2.5}}", "$.time.max_order", "must be an integer, got 2.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'implicit', 'error': 'per_second'}}", "$.time.error", "unknown value \"per_second\"; allowed: per_step, per_unit_time")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'max_order': 5}}", "$.time.max_order", "applies only to integrator \"implicit\" (or \"auto\"), not \"dp45\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': {'integrator': 'euler', 'error': 'per_step'}}", "$.time.error", "applies only to integrator \"implicit\" (or \"auto\"), not \"euler\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'time': 1}", "$.time", "expected an object")]
    // forces.
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'tolerance': 0}}", "$.forces.tolerance", "must be in (0, 0.1], got 0")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'tolerance': 0.2}}", "$.forces.tolerance", "must be in (0, 0.1], got 0.2")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'method': 'fmm'}}", "$.forces.method", "unknown value \"fmm\"; allowed: auto, reference, pme")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'type': 'poisson'}, 'forces': {'method': 'pme'}}", "$.forces.method", "\"pme\" is not available for 2D log poisson: ")]
    [InlineData("{'dimension': 2, 'kernel': 'edge', 'particles': $P2, 'regularization': {'type': 'poisson'}, 'forces': {'method': 'pme'}}", "$.forces.method", "\"pme\" is not available for 2D edge poisson: ")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'cutoff': 0.2}}", "$.forces.cutoff", "unknown key; allowed: method, tolerance, simd, threads")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'simd': 'sse'}}", "$.forces.simd", "unknown value \"sse\"; allowed: auto, avx512, avx2, scalar")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'threads': -1}}", "$.forces.threads", "0 … 1024")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'regularization': {'type': 'poisson'}, 'forces': {'device': 'opencl'}}", "$.forces.device", "\"opencl\" is not available for 2D log poisson: the OpenCL backend runs the fast path only")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'device': 'gpu'}}", "$.forces.device", "unknown value \"gpu\"; allowed: cpu, opencl, auto")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'method': 'reference', 'device': 'opencl'}}", "$.forces.device", "device \"opencl\" runs method \"pme\" only")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'opencl': {'platform': 0}}}", "$.forces.opencl", "only with device \"opencl\" or \"auto\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'device': 'opencl', 'opencl': {'platform': -1}}}", "$.forces.opencl.platform", "0 … 255")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'device': 'opencl', 'opencl': {'device': 1.5}}}", "$.forces.opencl.device", "must be an integer, got 1.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'device': 'auto', 'opencl': {'gpu': 0}}}", "$.forces.opencl.gpu", "unknown key; allowed: platform, device")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'forces': {'threads': 2.5}}", "$.forces.threads", "must be an integer")]
    // seed.
    [InlineData("{'dimension': 2, 'particles': $P2, 'seed': -1}", "$.seed", "must be a non-negative integer below 2^64, got -1")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'seed': 1.5}", "$.seed", "must be an integer, got 1.5")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'seed': '1'}", "$.seed", "expected an integer, got string \"1\"")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'seed': 18446744073709551616}", "$.seed", "below 2^64")]
    [InlineData("{'dimension': 2, 'particles': $P2, 'seed': null}", "$.seed", "expected an integer, got null")]
    public void RejectsWithPathAndReason(string json, string path, string reasonFragment)
    {
        string text = SpecReaderTests.Json(json.Replace("$P2", P2).Replace("$P1", P1));

        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse(text));

        Assert.Equal(path, ex.Path);
        Assert.Contains(reasonFragment, ex.Reason);
    }

    [Fact]
    public void RejectsDocumentsNestedDeeperThanTheReaderLimit()
    {
        string json = "{\"dimension\": 1, \"particles\": " + new string('[', 100) + new string(']', 100) + "}";

        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse(json));

        Assert.Equal("$.particles", ex.Path);
        Assert.Contains("malformed JSON", ex.Reason);
        Assert.Contains("nested too deeply", ex.Reason);
    }
}
