/** One series of the fleet-scale chart: a value per cluster count (missing counts are not drawn). */
export interface ChartSeries {
  readonly label: string;
  readonly colour: string;
  /** Dashed line (the baseline). @default false */
  readonly dashed?: boolean;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface ChartPanel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  /** A horizontal target line. @default - none */
  readonly target?: { readonly y: number; readonly label: string };
}

const WIDTH = 440;
const HEIGHT = 300;
const MARGIN = { left: 58, right: 16, top: 36, bottom: 46 };

/**
 * Two side-by-side line charts (e.g. wall time and peak memory against cluster count) as a
 * self-contained SVG: no fonts, scripts or external references, so GitHub renders it inline.
 * Deterministic for the same figures.
 */
export function renderChartSvg(panels: readonly ChartPanel[], caption: string): string {
  const width = WIDTH * panels.length;
  const body = panels.map((panel, i) => `<g transform="translate(${i * WIDTH},0)">${renderPanel(panel)}</g>`).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 24}" viewBox="0 0 ${width} ${HEIGHT + 24}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#ffffff"/>
${body}
<text x="${width / 2}" y="${HEIGHT + 16}" text-anchor="middle" fill="#555">${escape(caption)}</text>
</svg>
`;
}

function renderPanel(panel: ChartPanel): string {
  const xs = panel.series.flatMap((series) => series.points.map((point) => point.x));
  const ys = [...panel.series.flatMap((series) => series.points.map((point) => point.y)), panel.target?.y ?? 0];
  const xMax = Math.max(...xs, 1);
  const yMax = niceCeiling(Math.max(...ys, 1) * 1.08);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [`<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escape(panel.title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${fmt(py(y))}" y2="${fmt(py(y))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${fmt(py(y) + 4)}" text-anchor="end" fill="#555">${fmtNumber(y)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${fmt(px(x))}" x2="${fmt(px(x))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#555"/>`);
    parts.push(`<text x="${fmt(px(x))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#555">${x}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#555"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#555"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle" fill="#333">clusters (× 100 apps)</text>`);
  parts.push(`<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escape(panel.unit)}</text>`);
  if (panel.target) {
    const y = fmt(py(panel.target.y));
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#c0392b" stroke-dasharray="2 3"/>`);
    parts.push(`<text x="${MARGIN.left + plotW - 2}" y="${fmt(py(panel.target.y) - 4)}" text-anchor="end" fill="#c0392b">${escape(panel.target.label)}</text>`);
  }
  panel.series.forEach((series, i) => {
    const points = [...series.points].sort((a, b) => a.x - b.x);
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    if (points.length > 1) {
      parts.push(`<polyline fill="none" stroke="${series.colour}" stroke-width="2"${dash} points="${points.map((p) => `${fmt(px(p.x))},${fmt(py(p.y))}`).join(' ')}"/>`);
    }
    for (const p of points) {
      parts.push(`<circle cx="${fmt(px(p.x))}" cy="${fmt(py(p.y))}" r="3.5" fill="${series.colour}"/>`);
      parts.push(`<text x="${fmt(px(p.x) - 6)}" y="${fmt(py(p.y) - 7)}" text-anchor="end" fill="${series.colour}">${fmtNumber(p.y)}</text>`);
    }
    const ly = MARGIN.top + 4 + i * 15;
    parts.push(`<line x1="${MARGIN.left + 10}" x2="${MARGIN.left + 30}" y1="${ly}" y2="${ly}" stroke="${series.colour}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${MARGIN.left + 35}" y="${ly + 4}" fill="#333">${escape(series.label)}</text>`);
  });
  return parts.join('\n');
}

/** 1, 2, 2.5 or 5 × a power of ten at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

const fmt = (value: number) => value.toFixed(1);
const fmtNumber = (value: number) => (value >= 100 ? String(Math.round(value)) : value >= 10 ? value.toFixed(0) : value.toFixed(1));
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
