/**
 * Set a data attribute only when its text changed. Panels keep what their canvases show in data
 * attributes (for tests and assistive tools) on every draw; writing the same text again still makes
 * the page recheck the element's styles.
 */
export function writeData(el: HTMLElement, name: string, text: string): void {
  if (el.dataset[name] !== text) el.dataset[name] = text;
}
