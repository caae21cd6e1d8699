// One ECharts chart drawn as SVG at a fixed size, without animation: what is on screen is
// exactly what the printer (or printToPDF) captures, sharp at any zoom. Tells the page
// when it has finished drawing, so "Save as PDF" and the e2e test wait for every chart.
import { useEffect, useRef } from 'react';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  type GridComponentOption,
  type LegendComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, SVGRenderer]);

export type ReportChartOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption
>;

export const CHART_FONT =
  "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', system-ui, sans-serif";

export interface ReportChartProps {
  option: ReportChartOption;
  /** CSS pixels; the sheet is 186 mm (≈ 703 px) wide between the print margins. */
  width: number;
  height: number;
  testId: string;
  onDrawn: (testId: string) => void;
}

export function ReportChart({ option, width, height, testId, onDrawn }: ReportChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg', width, height });
    let reported = false;
    chart.on('finished', () => {
      if (reported) return;
      reported = true;
      el.dataset['drawn'] = 'true';
      onDrawn(testId);
    });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: CHART_FONT, fontSize: 11, color: '#374151' },
      ...option,
    });
    return () => chart.dispose();
  }, [option, width, height, testId, onDrawn]);
  return (
    <div
      ref={host}
      className="fb-report-chart"
      style={{ width, height }}
      data-testid={testId}
      role="img"
    />
  );
}
