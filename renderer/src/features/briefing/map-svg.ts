/**
 * The briefing's map picture comes from our own server as SVG and is inlined into the page, so
 * it prints as vectors with its names as text. Inlined markup runs in the page's origin: only
 * the drawing elements the server's picture uses are kept, and no attribute that could run or
 * fetch anything (event handlers, links, styles), whatever the server answered.
 */

const ALLOWED_ELEMENTS = new Set(['svg', 'title', 'desc', 'g', 'path', 'polygon', 'polyline', 'line', 'rect', 'circle', 'ellipse', 'text', 'tspan']);
const REFUSED_ATTRIBUTE = /^(on|href$|xlink:|style$|src$)/i;

/** The part of a DOM element the cleaning needs (so it is tested without a browser). */
export interface SvgNode {
  readonly tagName: string;
  readonly attributes: ArrayLike<{ readonly name: string }>;
  readonly children: ArrayLike<SvgNode>;
  removeAttribute(name: string): void;
  remove(): void;
}

/** Removes, in place, every element and attribute outside the allow-list. */
export function cleanSvgTree(node: SvgNode): void {
  for (const name of Array.from(node.attributes, (a) => a.name)) if (REFUSED_ATTRIBUTE.test(name)) node.removeAttribute(name);
  for (const child of Array.from(node.children)) {
    if (ALLOWED_ELEMENTS.has(child.tagName.toLowerCase())) cleanSvgTree(child);
    else child.remove();
  }
}

/** The picture's markup, cleaned; throws when the answer is not an SVG document. */
export function sanitizeMapSvg(text: string): string {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.tagName.toLowerCase() !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) throw new Error('the map picture is not an SVG image');
  cleanSvgTree(root);
  return new XMLSerializer().serializeToString(root);
}
