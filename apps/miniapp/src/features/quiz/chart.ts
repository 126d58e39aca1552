/** One bar of a chart: a label and a value (0-100 for percentages). */
export interface Bar { label: string; value: number; max: number }

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * A horizontal bar chart as an SVG document (a string), shown as an image data URI so the same chart
 * works in WeChat and in browsers. Labels are escaped; bars scale to their own max.
 */
export function barChartSvg(bars: readonly Bar[], opts: { width?: number; color?: string; suffix?: string } = {}): string {
  const width = opts.width ?? 640
  const row = 44
  const labelW = Math.round(width * 0.42)
  const barW = width - labelW - 80
  const height = Math.max(row, bars.length * row) + 8
  const items = bars.map((b, i) => {
    const y = i * row + 8
    const w = b.max > 0 ? Math.max(0, Math.min(1, b.value / b.max)) * barW : 0
    const label = b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label
    return `<text x="0" y="${y + 24}" font-size="22" fill="#333">${esc(label)}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${barW}" height="26" rx="6" fill="#f0f1f3"/>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="26" rx="6" fill="${opts.color ?? '#c62828'}"/>` +
      `<text x="${labelW + barW + 10}" y="${y + 24}" font-size="22" fill="#333">${b.value}${esc(opts.suffix ?? '')}</text>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${items.join('')}</svg>`
}

/** The chart as a data URI for an <Image>. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
