namespace TopicKit.Reduction;

/// <summary>
/// Fits the low-dimensional similarity curve <c>1 / (1 + a d^(2b))</c> to the target
/// <c>1 for d &lt; min_dist, exp(-(d - min_dist) / spread) beyond</c> on 300 points of [0, 3 spread],
/// by Levenberg-Marquardt least squares from (a, b) = (1, 1), as umap-learn's find_ab_params does with scipy's curve_fit.
/// </summary>
internal static class UmapCurve
{
    public static (double A, double B) FitAB(double spread, double minDist)
    {
        const int Points = 300;
        var x = new double[Points];
        var y = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            x[i] = spread * 3 * i / (Points - 1);
            y[i] = x[i] < minDist ? 1.0 : Math.Exp(-(x[i] - minDist) / spread);
        }

        double a = 1, b = 1, lambda = 1e-3;
        var cost = Cost(x, y, a, b);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations of the Gauss-Newton step, damped on the diagonal (Marquardt scaling).
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (var i = 0; i < Points; i++)
            {
                var u = x[i] > 0 ? Math.Pow(x[i], 2 * b) : 0;
                var denominator = 1 + (a * u);
                var residual = (1 / denominator) - y[i];
                var da = -u / (denominator * denominator);
                var db = x[i] > 0 ? -a * 2 * Math.Log(x[i]) * u / (denominator * denominator) : 0;
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * residual;
                gb += db * residual;
            }

            var improved = false;
            while (lambda < 1e12)
            {
                var maa = jaa * (1 + lambda);
                var mbb = jbb * (1 + lambda);
                var det = (maa * mbb) - (jab * jab);
                var stepA = -((mbb * ga) - (jab * gb)) / det;
                var stepB = -((maa * gb) - (jab * ga)) / det;
                var newCost = Cost(x, y, a + stepA, b + stepB);
                if (newCost < cost)
                {
                    var converged = Math.Abs(stepA) <= 1e-12 * (1 + Math.Abs(a)) && Math.Abs(stepB) <= 1e-12 * (1 + Math.Abs(b));
                    a += stepA;
                    b += stepB;
                    var relativeDrop = (cost - newCost) / Math.Max(cost, 1e-300);
                    cost = newCost;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = !converged && relativeDrop > 1e-15;
                    break;
                }

                lambda *= 10;
            }

            if (!improved)
            {
                break;
            }
        }

        return (a, b);
    }

    private static double Cost(double[] x, double[] y, double a, double b)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var u = x[i] > 0 ? Math.Pow(x[i], 2 * b) : 0;
            var r = (1 / (1 + (a * u))) - y[i];
            sum += r * r;
        }

        return sum;
    }
}
