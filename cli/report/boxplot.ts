/**
 * One-line boxplots on a shared logarithmic axis, so a table of benches shows both each bench's
 * spread (min, p50, p99, max) and how the benches compare; benches routinely differ by orders of
 * magnitude, which a linear axis would flatten into a single column.
 */

export interface Spread {
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface Axis {
  readonly low: number;
  readonly high: number;
  readonly width: number;
}

export function axisFor(spreads: readonly Spread[], width: number): Axis | null {
  const values = spreads.flatMap((s) => [s.min, s.max]).filter((v) => Number.isFinite(v) && v > 0);
  if (values.length === 0 || width < 5) return null;
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high / low < 1.01) {
    // All equal: widen so the marks land in the middle instead of piling on one edge.
    low /= 1.5;
    high *= 1.5;
  }
  return { low, high, width };
}

function position(axis: Axis, value: number): number {
  const clamped = Math.min(Math.max(value, axis.low), axis.high);
  const fraction = (Math.log(clamped) - Math.log(axis.low)) / (Math.log(axis.high) - Math.log(axis.low));
  return Math.round(fraction * (axis.width - 1));
}

/**
 * `  ├──●━━━━━┫····┤  `: whisker from min, ● the median, the heavy bar up to p99, dots to the max.
 * A mark that lands on an occupied cell keeps the more important one (median over p99 over ends).
 */
export function boxplot(axis: Axis, spread: Spread): string {
  const cells: string[] = new Array<string>(axis.width).fill(" ");
  const min = position(axis, spread.min);
  const p50 = position(axis, spread.p50);
  const p99 = position(axis, spread.p99);
  const max = position(axis, spread.max);
  for (let i = min; i <= max; i++) cells[i] = i < p50 ? "─" : i <= p99 ? "━" : "·";
  cells[min] = "├";
  cells[max] = "┤";
  if (p99 > p50) cells[p99] = "┫";
  cells[p50] = "●";
  return cells.join("");
}

/** The axis ends, aligned under a boxplot column. */
export function axisLegend(axis: Axis, format: (value: number) => string): string {
  const left = format(axis.low);
  const right = format(axis.high);
  const gap = Math.max(1, axis.width - left.length - right.length);
  return `${left}${" ".repeat(gap)}${right}`;
}
