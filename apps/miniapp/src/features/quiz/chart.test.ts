import { describe, expect, it } from 'vitest'
import { barChartSvg, svgDataUri } from './chart'

describe('barChartSvg', () => {
  it('draws one scaled bar per row with its value and escapes labels', () => {
    const svg = barChartSvg([{ label: '<b>村委会</b>', value: 50, max: 100 }, { label: '交警', value: 100, max: 100 }], { width: 600, suffix: '%' })
    expect(svg).toContain('&lt;b&gt;村委会&lt;/b&gt;')
    expect(svg).not.toContain('<b>')
    expect(svg.match(/<rect /g)).toHaveLength(4)
    expect(svg).toContain('50%')
    expect(svgDataUri(svg)).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/)
  })
})
