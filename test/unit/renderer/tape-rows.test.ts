import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatPriceText, formatSize } from '../../../src/renderer/src/format';
import { TapeModel, type RowsView, type TapeLine } from '../../../src/renderer/src/panels/tape/tape-model';
import { ethusdtCapturePrints } from '../../support/ethusdt-prints';

/** Just enough of the DOM for TapeRows: elements in a parent, text nodes that count their writes. */
class FakeNode {
  parent: FakeNode | null = null;
  children: FakeNode[] = [];
  className = '';
  title = '';
  style: Record<string, string> = {};
  attributes: Record<string, string> = {};
  private value = '';
  writes = 0;
  get nodeValue(): string {
    return this.value;
  }
  set nodeValue(v: string) {
    this.value = v;
    this.writes++;
  }
  get textContent(): string {
    return this.children.length > 0 ? this.children.map((c) => c.textContent).join('|') : this.value;
  }
  setAttribute(name: string, value: string): void {
    this.attributes[name] = value;
  }
  appendChild(node: FakeNode): FakeNode {
    return this.insertBefore(node, null);
  }
  insertBefore(node: FakeNode, before: FakeNode | null): FakeNode {
    FakeNode.inserts++;
    node.remove();
    const at = before ? this.children.indexOf(before) : this.children.length;
    this.children.splice(at, 0, node);
    node.parent = this;
    return node;
  }
  remove(): void {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  /** Elements put into a parent (moves included), counted. */
  static inserts = 0;
  get parentNode(): FakeNode | null {
    return this.parent;
  }
  get firstChild(): FakeNode | null {
    return this.children[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    if (!this.parent) return null;
    return this.parent.children[this.parent.children.indexOf(this) + 1] ?? null;
  }
}

const trades = ethusdtCapturePrints();

/**
 * tape-rows.ts uses DOM types, which this (Node) program is compiled without: it is loaded by a path
 * the compiler does not follow, and driven through the part of its interface the test needs.
 */
const TAPE_ROWS = '../../../src/renderer/src/panels/tape/tape-rows';

describe('tape rows: a line already on a row keeps it', () => {
  beforeEach(() => {
    vi.stubGlobal('document', { createElement: () => new FakeNode(), createTextNode: () => new FakeNode() });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows new lines on top in page order, rewrites only their rows and reuses the rows that left', async () => {
    const { TapeRows } = (await import(/* @vite-ignore */ TAPE_ROWS)) as { TapeRows: new (container: unknown) => { update(view: RowsView): void } };
    expect(trades.length).toBeGreaterThan(100);
    const model = new TapeModel();
    const container = new FakeNode();
    const rows = new TapeRows(container);
    const show = () => {
      const lines: TapeLine[] = model.liveLines({ aggregate: false, minSize: 0 }).slice(0, 20);
      rows.update({ lines, from: 0, threshold: Infinity, priceDecimals: 2, sizeDecimals: 3, formatKey: 'test' });
      return lines;
    };
    model.push(trades.slice(0, 40));
    show();
    const before = [...container.children];
    const writesOf = (row: FakeNode) => row.children.reduce((n, cell) => n + cell.children[0]!.writes, 0);
    const writesBefore = before.map(writesOf);

    // Five new prints: they take the top five rows; the 15 rows still shown move down untouched.
    model.push(trades.slice(40, 45));
    const lines = show();
    expect(container.children).toHaveLength(20);
    expect(container.children.slice(5)).toEqual(before.slice(0, 15));
    container.children.slice(5).forEach((row, i) => {
      expect(writesOf(row)).toBe(writesBefore[i]);
      expect(row.style.top).toBe(`${(i + 5) * 18}px`);
      expect(row.attributes['aria-rowindex']).toBe(String(i + 6));
    });
    // The five rows that fell off the bottom came back on top with the new lines, newest first.
    expect(new Set(container.children.slice(0, 5))).toEqual(new Set(before.slice(15)));
    const priceCells = container.children.map((row) => row.children[1]!.textContent);
    expect(priceCells).toEqual(lines.map((l) => formatPriceText(l.price, 2)));
    expect(container.children[0]!.children[0]!.textContent).not.toBe('');
  });

  it('rewrites the rows in place when every line shown is new (a busy tick): no row leaves or re-enters the page', async () => {
    const { TapeRows } = (await import(/* @vite-ignore */ TAPE_ROWS)) as { TapeRows: new (container: unknown) => { update(view: RowsView): void } };
    const model = new TapeModel();
    const container = new FakeNode();
    const rows = new TapeRows(container);
    const show = (count: number) => {
      const lines: TapeLine[] = model.liveLines({ aggregate: false, minSize: 0 }).slice(0, count);
      rows.update({ lines, from: 0, threshold: Infinity, priceDecimals: 2, sizeDecimals: 3, formatKey: 'test' });
      return lines;
    };
    model.push(trades.slice(0, 20));
    show(20);
    const before = [...container.children];
    const tops = before.map((row) => row.style.top);

    // 30 new prints, more than the 20 rows shown: the same rows, in the same places, with the new texts.
    FakeNode.inserts = 0;
    model.push(trades.slice(20, 50));
    let lines = show(20);
    expect(FakeNode.inserts).toBe(0);
    expect(container.children).toEqual(before);
    expect(container.children.map((row) => row.style.top)).toEqual(tops);
    expect(container.children.map((row) => row.children[1]!.textContent)).toEqual(lines.map((l) => formatPriceText(l.price, 2)));
    expect(container.children.map((row) => row.children[0]!.textContent)).not.toContain('');

    // A taller view next time: the rows there stay, new ones are added after them; a shorter one drops the rest.
    model.push(trades.slice(50, 80));
    lines = show(25);
    expect(container.children.slice(0, 20)).toEqual(before);
    expect(container.children).toHaveLength(25);
    expect(container.children.map((row) => row.children[1]!.textContent)).toEqual(lines.map((l) => formatPriceText(l.price, 2)));
    model.push(trades.slice(80, 110));
    lines = show(10);
    expect(container.children).toEqual(before.slice(0, 10));
    expect(container.children.map((row) => row.children[2]!.textContent)).toEqual(lines.map((l) => formatSize(l.sizeValue, 3)));
  });
});
