package dev.opticalmemory.memory.context;

import java.util.ArrayList;
import java.util.List;

/** The paper's Fox table, and the curves made from it. */
final class FoxTable {
  /** The 64-token column: compression ratio, precision. */
  static final double[][] FOX_64 = {{10.5, 0.965}, {11.8, 0.938}, {13.2, 0.838}, {15.1, 0.859},
      {16.5, 0.793}, {17.7, 0.764}, {19.7, 0.591}};
  /** The 100-token column: compression ratio, precision. */
  static final double[][] FOX_100 = {{6.7, 0.985}, {7.5, 0.973}, {8.5, 0.968}, {9.7, 0.968},
      {10.6, 0.915}, {11.3, 0.898}, {12.6, 0.871}};
  static final double[][] TINY = nonIncreasing(FOX_64);
  static final double[][] SMALL = nonIncreasing(FOX_100);

  private FoxTable() {}

  /** Pool adjacent violators: the closest non-increasing sequence of values (equal weights). */
  static double[][] nonIncreasing(double[][] points) {
    List<double[]> blocks = new ArrayList<>(); // {sum, count}
    for (double[] p : points) {
      blocks.add(new double[] {p[1], 1});
      while (blocks.size() > 1) {
        double[] last = blocks.get(blocks.size() - 1);
        double[] before = blocks.get(blocks.size() - 2);
        if (before[0] / before[1] >= last[0] / last[1]) {
          break;
        }
        before[0] += last[0];
        before[1] += last[1];
        blocks.remove(blocks.size() - 1);
      }
    }
    double[][] out = new double[points.length][];
    int i = 0;
    for (double[] b : blocks) {
      for (int n = 0; n < b[1]; n++, i++) {
        out[i] = new double[] {points[i][0], b[0] / b[1]};
      }
    }
    return out;
  }

  static double interpolate(double[][] curve, double x) {
    if (x <= curve[0][0]) {
      return curve[0][1];
    }
    for (int i = 1; i < curve.length; i++) {
      if (x <= curve[i][0]) {
        return line(curve[i - 1], curve[i], x);
      }
    }
    return Math.max(0, line(curve[curve.length - 2], curve[curve.length - 1], x));
  }

  private static double line(double[] a, double[] b, double x) {
    return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
  }
}
