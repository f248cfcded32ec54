/**
 * The report's chart: one panel per figure group, a horizontal bar per variant at its median,
 * with a whisker over the runs' range. Plain SVG, rendered to PNG by resvg
 * (https://github.com/thx/resvg-js), so the chart needs no browser.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Summary } from './stats';

export interface Bar {
  label: string;
  summary: Summary;
}

export interface Panel {
  title: string;
  unit: string;
  bars: Bar[];
}

const WIDTH = 900;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 22;
const BAR_GAP = 8;
const PANEL_TITLE = 34;
const PANEL_GAP = 18;
const COLORS = ['#2f6db5', '#e07b39', '#9a9a9a', '#3c9a5f', '#8a5cb8'];

export function chartSvg(title: string, subtitle: string, panels: Panel[]): string {
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  let y = 70;
  const parts: string[] = [
    `<text x="20" y="30" font-size="20" font-weight="bold">${escape(title)}</text>`,
    `<text x="20" y="52" font-size="13" fill="#555">${escape(subtitle)}</text>`,
  ];
  for (const panel of panels) {
    parts.push(
      `<text x="20" y="${y + 20}" font-size="15" font-weight="bold">${escape(panel.title)}</text>`,
    );
    y += PANEL_TITLE;
    const scale =
      plotWidth / Math.max(...panel.bars.map((bar) => bar.summary.max), Number.MIN_VALUE);
    panel.bars.forEach((bar, index) => {
      const { median, min, max } = bar.summary;
      const middle = y + BAR_HEIGHT / 2;
      const x = LABEL_WIDTH;
      parts.push(
        `<text x="${x - 10}" y="${middle + 5}" font-size="13" text-anchor="end">${escape(bar.label)}</text>`,
        `<rect x="${x}" y="${y}" width="${(median * scale).toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[index % COLORS.length]}"/>`,
        `<line x1="${(x + min * scale).toFixed(1)}" x2="${(x + max * scale).toFixed(1)}" y1="${middle}" y2="${middle}" stroke="#222" stroke-width="1.5"/>`,
        `<line x1="${(x + min * scale).toFixed(1)}" x2="${(x + min * scale).toFixed(1)}" y1="${middle - 6}" y2="${middle + 6}" stroke="#222" stroke-width="1.5"/>`,
        `<line x1="${(x + max * scale).toFixed(1)}" x2="${(x + max * scale).toFixed(1)}" y1="${middle - 6}" y2="${middle + 6}" stroke="#222" stroke-width="1.5"/>`,
        `<text x="${x + plotWidth + 15}" y="${middle + 5}" font-size="13">${escape(formatValue(median, panel.unit))}</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    });
    y += PANEL_GAP;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
}

export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
