// The training loss as an SVG polyline (log scale), redrawn on every step.

const SVG = 'http://www.w3.org/2000/svg';
const W = 480;
const H = 180;
const PAD = { left: 52, right: 10, top: 10, bottom: 24 };

export interface LossChart {
  /** Draws `losses` (one per step; non-positive values are drawn at the floor). */
  update(losses: readonly number[]): void;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export function createLossChart(container: HTMLElement): LossChart {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'training loss per step' });
  const axes = el('path', { d: `M${PAD.left},${PAD.top}V${H - PAD.bottom}H${W - PAD.right}`, fill: 'none', stroke: '#888' });
  const line = el('polyline', { fill: 'none', stroke: '#2a7de1', 'stroke-width': 2, points: '' });
  const dots = el('g', { fill: '#2a7de1' });
  const labels = el('g', { 'font-size': 11, fill: '#555', 'font-family': 'system-ui, sans-serif' });
  svg.append(axes, line, dots, labels);
  container.replaceChildren(svg);

  const short = (v: number) => (v >= 1000 ? v.toFixed(0) : v.toPrecision(3));
  const text = (x: number, y: number, s: string, anchor = 'end') => {
    const t = el('text', { x, y, 'text-anchor': anchor });
    t.textContent = s;
    labels.append(t);
  };

  return {
    update(losses) {
      labels.replaceChildren();
      dots.replaceChildren();
      if (losses.length === 0) {
        line.setAttribute('points', '');
        return;
      }
      const logs = losses.map((l) => Math.log10(Math.max(l, 1e-6)));
      let lo = Math.min(...logs);
      let hi = Math.max(...logs);
      if (hi - lo < 1e-3) [lo, hi] = [lo - 0.05, hi + 0.05];
      const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * (losses.length === 1 ? 0.5 : i / (losses.length - 1)));
      const y = (v: number) => PAD.top + ((H - PAD.top - PAD.bottom) * (hi - v)) / (hi - lo);
      const points = logs.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      line.setAttribute('points', points.join(' '));
      logs.forEach((v, i) => dots.append(el('circle', { cx: x(i), cy: y(v), r: 2.5 })));
      text(PAD.left - 4, PAD.top + 9, short(10 ** hi));
      text(PAD.left - 4, H - PAD.bottom, short(10 ** lo));
      text(PAD.left, H - 6, 'step 0', 'start');
      text(W - PAD.right, H - 6, `step ${losses.length - 1}`);
    },
  };
}
