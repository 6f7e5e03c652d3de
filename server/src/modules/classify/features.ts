/**
 * The features of a text for the item classifier, and which word of the text each came from
 * (so a suggestion can be explained by the words that drove it). Pure, given a segmenter.
 *
 * - `w:` the words jieba finds (and the dictionary words inside a long one): the vocabulary of
 *   the catalog and of closed cases;
 * - `b:` character bigrams inside runs of Chinese: they carry a matter across words jieba cuts
 *   differently (电瓶车 / 电瓶 / 瓶车) or does not know (a local name, a typo);
 * - `c:` single Chinese characters that are not function words (河, 臭, 吵): the weakest evidence,
 *   but often all an everyday phrasing shares with the catalog.
 */

export interface WordCutter {
  cut(text: string): string[];
  parts(word: string): string[];
}

/** One word of the text and the features it gave. */
export interface WordSpan {
  word: string;
  features: string[];
}

export interface TextFeatures {
  features: string[];
  words: WordSpan[];
}

/** Words and characters that say nothing about the matter (particles, pronouns, filler). */
const STOP = new Set(
  '的 了 有 在 是 和 与 及 或 我 你 他 她 它 们 这 那 就 都 也 还 很 太 被 把 给 让 着 过 吗 呢 吧 啊 呀 哦 嗯 个 一 不 没 要 会 说 对 从 到 向 里 上 下 中 为 以 而 又 再 才 已 请 能 可 该 等 去 来 多 些 点 人 家 时 后 前 边 每 其 之 所 于 并 但 如 若 则 反映 来电 热线 群众 发现 一个 一些 现在 这个 那个 我们 他们 你们 大家 有人 请求 希望 要求 问题 情况 附近 今天 昨天 已经 一直 还是 还有 没有 什么 怎么 这样 那样 非常 特别 比较 老是 总是'.split(' '),
);

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

/** Lower case and NFKC (full-width letters and digits as ASCII), as the catalog text is read. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Whether a word can carry meaning: not punctuation, not a number, not a stop word. */
function meaningful(word: string): boolean {
  if (STOP.has(word)) return false;
  if (!/[\p{L}]/u.test(word)) return false;
  return true;
}

export function textFeatures(text: string, cutter: WordCutter): TextFeatures {
  const normalized = normalize(text);
  const pieces = cutter.cut(normalized);
  const words: WordSpan[] = [];
  // Offsets of each piece, to give a bigram to the word its first character is in.
  const owner: number[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const index = words.length;
    words.push({ word: piece, features: [] });
    for (let i = 0; i < piece.length; i++) owner[offset + i] = index;
    offset += piece.length;
    if (!meaningful(piece)) continue;
    const span = words[index]!;
    span.features.push(`w:${piece}`);
    if (piece.length > 2) for (const part of cutter.parts(piece)) if (meaningful(part)) span.features.push(`w:${part}`);
    for (const ch of piece) if (HAN.test(ch) && !STOP.has(ch)) span.features.push(`c:${ch}`);
  }
  for (const run of normalized.matchAll(HAN_RUN)) {
    const start = run.index;
    for (let i = 0; i + 1 < run[0].length; i++) {
      const a = run[0][i]!;
      const b = run[0][i + 1]!;
      if (STOP.has(a) && STOP.has(b)) continue;
      const w = owner[start + i];
      if (w !== undefined) words[w]!.features.push(`b:${a}${b}`);
    }
  }
  // a bigram a function word owns still counts; only words that mean something explain
  return { features: [...new Set(words.flatMap((w) => w.features))], words: words.filter((w) => w.features.some((f) => !f.startsWith('b:'))) };
}
