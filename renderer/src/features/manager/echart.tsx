// One Apache ECharts chart in a div. Only the pieces the manager's screens draw are
// registered (bar charts on a grid, tooltip, legend), and the SVG renderer is used so
// charts stay crisp on a printed page and scale with the window. A click on a bar hands
// its series and data index to the caller, which opens the cases behind that bar.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { FONT_STACK } from '../../app/theme';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** Describes the chart for screen readers (the numbers are on the page as text too). */
  label: string;
  onBarClick?: (click: ChartClick) => void;
  testId?: string;
}

export function EChart({ option, height, label, onBarClick, testId }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickHandler = useRef(onBarClick);
  useEffect(() => {
    clickHandler.current = onBarClick;
  }, [onBarClick]);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const instance = echarts.init(el, null, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => {
      if (params.componentType !== 'series') return;
      clickHandler.current?.({ seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex });
    });
    // A hidden page (a case opened over it) measures 0 wide; the next resize redraws it.
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0) instance.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      { textStyle: { fontFamily: FONT_STACK }, animationDuration: 300, ...option },
      { notMerge: true },
    );
  }, [option]);

  return (
    <div
      ref={container}
      className="fb-mgr-chart"
      style={{ height }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
