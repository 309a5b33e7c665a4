/**
 * The tape's visible rows, kept outside React: a pool of row elements (as many as the view shows)
 * whose text and classes are set in place when the lines under them change. A busy tape changes every
 * frame; re-rendering and re-keying ~60 React rows each time, and formatting every visible line again,
 * was most of the panel's cost. Each line's texts are formatted once (lines never change) and kept
 * beside it until it leaves the ring.
 */
import { formatPriceText, formatSize } from '../../format';
import { formatTimeOfDay, type TapeLine } from './tape-model';

export const ROW_HEIGHT = 18;

/** A line's texts as shown, for one way of formatting (decimals and number format). */
interface LineTexts {
  format: string;
  time: string;
  price: string;
  size: string;
  prints: string;
  title: string;
}

function sideName(side: TapeLine['side']): string {
  return side === 'buy' ? 'taker buy' : side === 'sell' ? 'taker sell' : 'side unknown';
}

/** One row element and what was last written into it (so unchanged rows cost nothing). */
interface RowSlot {
  el: HTMLDivElement;
  time: Text;
  price: Text;
  size: Text;
  prints: Text;
  line: TapeLine | null;
  large: boolean;
  format: string;
  index: number;
}

function makeSlot(): RowSlot {
  const el = document.createElement('div');
  el.setAttribute('role', 'row');
  const cell = (className: string): Text => {
    const span = document.createElement('span');
    span.className = className;
    span.setAttribute('role', 'cell');
    const text = document.createTextNode('');
    span.appendChild(text);
    el.appendChild(span);
    return text;
  };
  return { el, time: cell('time'), price: cell('price'), size: cell('size'), prints: cell('prints'), line: null, large: false, format: '', index: -1 };
}

function setText(node: Text, text: string): void {
  if (node.nodeValue !== text) node.nodeValue = text;
}

export interface RowsView {
  /** Lines from the first shown one (index `from` in the whole list), newest first. */
  lines: readonly TapeLine[];
  from: number;
  threshold: number;
  priceDecimals: number;
  sizeDecimals: number;
  /** Anything else the texts depend on (the number format setting). */
  formatKey: string;
}

export class TapeRows {
  private readonly slots: RowSlot[] = [];
  /** Slots in the container, the first `attached` of `slots`. */
  private attached = 0;
  private readonly texts = new WeakMap<TapeLine, LineTexts>();

  constructor(readonly container: HTMLElement) {}

  private textsOf(line: TapeLine, view: RowsView, format: string): LineTexts {
    let t = this.texts.get(line);
    if (!t || t.format !== format) {
      t = {
        format,
        time: formatTimeOfDay(line.exchangeTs),
        price: formatPriceText(line.price, view.priceDecimals),
        size: formatSize(line.sizeValue, view.sizeDecimals),
        prints: line.prints > 1 ? `×${line.prints}` : '',
        title: `${sideName(line.side)}${line.prints > 1 ? `, ${line.prints} prints from ${line.firstPrice} to ${line.price}` : ''}${line.history ? ', sent on subscribe (before it)' : ''}`,
      };
      this.texts.set(line, t);
    }
    return t;
  }

  /** Show `view.lines` from row `view.from` down; rows past them leave the page. */
  update(view: RowsView): void {
    const format = `${view.priceDecimals}:${view.sizeDecimals}:${view.formatKey}`;
    const count = view.lines.length;
    while (this.slots.length < count) this.slots.push(makeSlot());
    for (let i = 0; i < count; i++) {
      const slot = this.slots[i]!;
      const line = view.lines[i]!;
      const index = view.from + i;
      const large = line.sizeValue >= view.threshold;
      if (slot.line !== line || slot.large !== large || slot.format !== format) {
        const t = this.textsOf(line, view, format);
        setText(slot.time, t.time);
        setText(slot.price, t.price);
        setText(slot.size, t.size);
        setText(slot.prints, t.prints);
        const className = `tape-row ${line.side}${large ? ' large' : ''}${line.history ? ' history' : ''}`;
        if (slot.el.className !== className) slot.el.className = className;
        if (slot.el.title !== t.title) slot.el.title = t.title;
        slot.line = line;
        slot.large = large;
        slot.format = format;
      }
      if (slot.index !== index) {
        slot.el.style.top = `${index * ROW_HEIGHT}px`;
        slot.el.setAttribute('aria-rowindex', String(index + 1));
        slot.index = index;
      }
    }
    for (let i = this.attached; i < count; i++) this.container.appendChild(this.slots[i]!.el);
    for (let i = count; i < this.attached; i++) this.slots[i]!.el.remove();
    this.attached = count;
  }
}
