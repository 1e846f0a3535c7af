/**
 * A stacked bar chart in SVG, drawn here rather than by a library: 30 bars of two or three parts
 * with a scale, a legend and a table is about 100 lines, where the smallest maintained chart
 * libraries (uPlot ~20 KB gzip, Chart.js ~65 KB) draw on a canvas (nothing for a screen reader,
 * and Chart.js sets inline styles the strict CSP refuses). Colours are CSS classes (admin.css),
 * so dark mode is the stylesheet's business. For screen readers the picture is one `img` with a
 * one-sentence summary; the numbers themselves are the table that follows it (`dataTable`).
 */
import { h, svg } from './dom.ts';
import { count, day } from './format.ts';

export interface Series {
  name: string;
  /** `series-code` etc.: the fill, from the stylesheet. */
  className: string;
  values: number[];
}

export interface ChartSpec {
  /** The id prefix of the title and summary elements. */
  id: string;
  title: string;
  /** UTC days, `YYYY-MM-DD`, oldest first. */
  days: string[];
  series: Series[];
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

/** The top of a scale of four whole, round steps (1, 2, 2.5 or 5 × 10ⁿ each) that holds `max`; 4 for an empty month. */
function scaleTop(max: number): number {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough && Number.isInteger(s)) ?? 10 * power;
  return step * 4;
}

export function totalsOf(spec: ChartSpec): number[] {
  return spec.days.map((_, i) => spec.series.reduce((sum, s) => sum + s.values[i]!, 0));
}

/** The summary a screen reader hears for the picture: totals per series and the busiest day. */
export function summaryOf(spec: ChartSpec): string {
  const totals = totalsOf(spec);
  const busiest = totals.indexOf(Math.max(...totals));
  const parts = spec.series.map((s) => `${s.name.toLowerCase()} ${count(s.values.reduce((a, b) => a + b, 0))}`).join(', ');
  const peak = totals[busiest]! > 0 ? `; the busiest day was ${day(spec.days[busiest]!)} with ${count(totals[busiest]!)}` : '; nothing on any day';
  return `${spec.title}, ${day(spec.days[0]!)} to ${day(spec.days.at(-1)!)}: ${parts}${peak}.`;
}

export function stackedBars(spec: ChartSpec): SVGSVGElement {
  const totals = totalsOf(spec);
  const top = scaleTop(Math.max(...totals));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / spec.days.length;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-labelledby': `${spec.id}-summary` });
  // The summary starts with the title: one sentence is the picture's whole name.
  chart.append(svg('desc', { id: `${spec.id}-summary` }, summaryOf(spec)));
  // The scale: four lines, labelled at the left.
  for (let i = 0; i <= 4; i++) {
    const value = (top / 4) * i;
    chart.append(
      svg('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value) }),
      svg('text', { class: 'tick', x: PAD.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, count(value)),
    );
  }
  spec.days.forEach((isoDay, i) => {
    const x = PAD.left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    for (const s of spec.series) {
      const value = s.values[i]!;
      if (value > 0) chart.append(svg('rect', { class: `bar ${s.className}`, x, y: y(base + value), width: barWidth, height: y(base) - y(base + value) }, svg('title', {}, `${day(isoDay)}: ${s.name.toLowerCase()} ${count(value)}`)));
      base += value;
    }
    // A date under every 5th bar and the last (today), so the axis reads without crowding.
    if (i % 5 === 0 || i === spec.days.length - 1) chart.append(svg('text', { class: 'tick', x: x + barWidth / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, day(isoDay)));
  });
  return chart;
}

export function legend(spec: ChartSpec): HTMLUListElement {
  // The picture already says this to screen readers (its summary): the legend is for eyes.
  return h('ul', { class: 'legend', 'aria-hidden': 'true' }, ...spec.series.map((s) => h('li', {}, h('span', { class: `swatch ${s.className}` }), s.name)));
}

/** The chart's numbers as a table, day by day, newest first. */
export function dataTable(spec: ChartSpec, caption: string): HTMLTableElement {
  const totals = totalsOf(spec);
  const rows = spec.days.map((isoDay, i) => h('tr', {}, h('th', { scope: 'row' }, day(isoDay)), ...spec.series.map((s) => h('td', {}, count(s.values[i]!))), h('td', {}, count(totals[i]!)))).reverse();
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), ...spec.series.map((s) => h('th', { scope: 'col' }, s.name)), h('th', { scope: 'col' }, 'Total'))),
    h('tbody', {}, ...rows),
  );
}
