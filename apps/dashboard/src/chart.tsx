import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** A uPlot line chart of one series over time (x in epoch seconds), resized with its container. */
export function TimeChart({ label, xs, ys, format }: { label: string; xs: number[]; ys: number[]; format?: (value: number) => string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: 180,
      series: [
        {},
        { label, stroke: '#2563eb', fill: 'rgba(37,99,235,0.12)', points: { show: true, size: 6 }, value: format && ((_, value) => (value === null ? '—' : format(value))) },
      ],
      axes: [{}, { values: format && ((_, values) => values.map((value) => format(value))), size: 70 }],
      scales: { x: { time: true } },
    };
    const plot = new uPlot(options, [xs, ys], element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: 180 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [label, xs, ys, format]);
  return <div class="chart" ref={host} role="img" aria-label={`${label} over time`} data-chart={label} />;
}
