import { describe, expect, it } from 'vitest';
import { cleanSvgTree, type SvgNode } from './map-svg';

/** A tiny element tree with the DOM's removal semantics. */
class Node implements SvgNode {
  parent: Node | null = null;
  readonly attrs = new Map<string, string>();
  readonly kids: Node[] = [];
  constructor(
    readonly tagName: string,
    attrs: Record<string, string> = {},
    kids: Node[] = [],
  ) {
    for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v);
    for (const k of kids) {
      k.parent = this;
      this.kids.push(k);
    }
  }
  get attributes() {
    return [...this.attrs.keys()].map((name) => ({ name }));
  }
  get children() {
    return [...this.kids];
  }
  removeAttribute(name: string) {
    this.attrs.delete(name);
  }
  remove() {
    this.parent?.kids.splice(this.parent.kids.indexOf(this), 1);
  }
  describe(): string {
    return `${this.tagName}(${[...this.attrs.keys()].join(',')})[${this.kids.map((k) => k.describe()).join(' ')}]`;
  }
}

describe('cleanSvgTree', () => {
  it('keeps the drawing: groups, paths, shapes, text', () => {
    const tree = new Node('svg', { viewBox: '0 0 10 10', role: 'img' }, [
      new Node('title'),
      new Node('g', { 'data-layer': 'towns', fill: '#fff' }, [new Node('path', { d: 'M0,0' })]),
      new Node('g', {}, [new Node('polygon', { points: '0,0 1,1', 'data-event': 'EV1' }), new Node('rect'), new Node('circle'), new Node('text', { x: '1' })]),
    ]);
    const before = tree.describe();
    cleanSvgTree(tree);
    expect(tree.describe()).toBe(before);
  });

  it('drops scripts, foreign content, links, images and styles, at any depth', () => {
    const tree = new Node('svg', { onload: 'x()' }, [
      new Node('script'),
      new Node('g', { onclick: 'y()', ONMOUSEOVER: 'z()' }, [new Node('foreignObject', {}, [new Node('div')]), new Node('a', { href: '//evil' }), new Node('path', { d: 'M0,0', style: 'fill:url(//x)' })]),
      new Node('image', { 'xlink:href': 'http://x/y.png' }),
      new Node('use', { href: '#a' }),
      new Node('text', { 'xlink:href': '#b' }),
    ]);
    cleanSvgTree(tree);
    expect(tree.describe()).toBe('svg()[g()[path(d)[]] text()[]]');
  });
});
