/**
 * The tape's rows as a table in the page (what screen readers and tests read; tape-canvas.ts draws
 * what is seen), kept outside React: a pool of row elements (as many as the view shows) whose text
 * and classes are set in place when the lines under them change. Re-rendering and re-keying ~60 React
 * rows each time, and formatting every visible line again, was most of the panel's cost. Each line's
 * texts are formatted once (lines never change) and kept beside it until it leaves the ring.
 */
import { formatPriceText, formatSize } from '../../format';
import { formatTimeOfDay, type RowsView, type TapeLine } from './tape-model';

export const ROW_HEIGHT = 18;

/** A line's texts as shown, for one way of formatting (decimals and number format). */
export interface LineTexts {
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

/** The texts of a view's formatting, as a cache key. */
export function formatKeyOf(view: Pick<RowsView, 'priceDecimals' | 'sizeDecimals' | 'formatKey'>): string {
  return `${view.priceDecimals}:${view.sizeDecimals}:${view.formatKey}`;
}

/** Each line's texts, formatted once (lines never change) and kept beside it until it leaves the ring. */
export class LineTextCache {
  private readonly texts = new WeakMap<TapeLine, LineTexts>();

  get(line: TapeLine, view: Pick<RowsView, 'priceDecimals' | 'sizeDecimals'>, format: string): LineTexts {
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
}

export class TapeRows {
  /** Rows in the container, in page order (top row first). */
  private shown: RowSlot[] = [];
  /** Rows out of the page, ready for other lines. */
  private readonly spare: RowSlot[] = [];

  constructor(
    readonly container: HTMLElement,
    private readonly texts = new LineTextCache(),
  ) {}

  /**
   * Show `view.lines` from row `view.from` down. A line already on a row keeps that row (only moved
   * into place, which needs no layout): on a busy tape new lines arrive on top and the rest move down,
   * and rewriting every row's text with each frame made laying the rows out most of the panel's cost.
   * Rows of lines no longer shown go to new lines; the page order stays the order shown.
   */
  update(view: RowsView): void {
    const format = formatKeyOf(view);
    const byLine = new Map<TapeLine, RowSlot>();
    for (const slot of this.shown) if (slot.line) byLine.set(slot.line, slot);
    const wanted = new Set<RowSlot>();
    for (const line of view.lines) {
      const slot = byLine.get(line);
      if (slot) wanted.add(slot);
    }
    if (wanted.size === 0) {
      this.rewriteInPlace(view, format);
      return;
    }
    // Rows whose line left the view leave the page first, so the rest keep their order in it.
    for (const slot of this.shown) if (!wanted.has(slot)) this.release(slot);
    const next: RowSlot[] = [];
    let cursor: ChildNode | null = this.container.firstChild;
    for (let i = 0; i < view.lines.length; i++) {
      const line = view.lines[i]!;
      const slot = byLine.get(line) ?? this.spare.pop() ?? makeSlot();
      this.fill(slot, line, view.from + i, line.sizeValue >= view.threshold, view, format);
      if (slot.el === cursor) cursor = cursor.nextSibling;
      else this.container.insertBefore(slot.el, cursor);
      next.push(slot);
    }
    // Whatever is left after the placed rows is not shown (a row left behind by an update that threw
    // part-way, say): the page holds exactly the rows shown, in their order.
    while (cursor) {
      const stale = cursor;
      cursor = cursor.nextSibling;
      stale.remove();
    }
    this.shown = next;
  }

  /**
   * None of the lines shown is on a row yet (a busy tape: a tick brings more prints than the view
   * holds, or a jump in the scroll): the rows stay where they are and get the new lines' texts. Taking
   * every row out of the page and putting it back elsewhere made the browser restyle and lay out each
   * one again, which cost more than rewriting its texts in place.
   */
  private rewriteInPlace(view: RowsView, format: string): void {
    const next: RowSlot[] = [];
    for (let i = 0; i < view.lines.length; i++) {
      const slot = this.shown[i] ?? this.spare.pop() ?? makeSlot();
      if (slot.el.parentNode !== this.container) this.container.appendChild(slot.el);
      this.fill(slot, view.lines[i]!, view.from + i, view.lines[i]!.sizeValue >= view.threshold, view, format);
      next.push(slot);
    }
    for (let i = view.lines.length; i < this.shown.length; i++) this.release(this.shown[i]!);
    this.shown = next;
  }

  /** A row out of the page, kept for another line. */
  private release(slot: RowSlot): void {
    slot.el.remove();
    slot.line = null;
    this.spare.push(slot);
  }

  /** Write a line into a row, touching only what differs from what the row shows. */
  private fill(slot: RowSlot, line: TapeLine, index: number, large: boolean, view: RowsView, format: string): void {
    if (slot.line !== line || slot.large !== large || slot.format !== format) {
      const t = this.texts.get(line, view, format);
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
      // A row is its own layout root (tape.css): moving it does not lay its cells out again.
      slot.el.style.top = `${index * ROW_HEIGHT}px`;
      slot.el.setAttribute('aria-rowindex', String(index + 1));
      slot.index = index;
    }
  }
}
