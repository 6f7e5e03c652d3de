import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import { textFeatures, type WordCutter } from './features.js';
import { NaiveBayes, softmax } from './naive-bayes.js';

/**
 * The model's settings, chosen on the held-out closed cases and written down in docs/CLASSIFIER.md:
 * - `catalogWeight`: an item's catalog text (name, keywords, category) counts as this many cases,
 *   so a county with few closed cases still hears the approver's words, and many cases of one
 *   phrasing do not drown them;
 * - `priorWeight`: how much an item's share of past cases tilts a suggestion (0.5: a common item
 *   wins a tie, not an argument);
 * - `temperature`: the log posteriors are divided by it times the square root of the number of
 *   known features of the text before the softmax. Naive Bayes multiplies correlated evidence
 *   (a word, its bigrams and its characters say the same thing three times), so its margins grow
 *   with the length of the text and it is overconfident, the more so the longer the text; this
 *   spreads the scores so that a score reads as a (slightly cautious) chance the item is right.
 *   It changes no ranking, only the confidences. Chosen by log loss (docs/CLASSIFIER.md).
 */
export const MODEL_SETTINGS = { catalogWeight: 12, priorWeight: 0.5, temperature: 1, alpha: 0.5 } as const;

/** Splits an item name into the phrases people say: 电动自行车违规 / 飞线充电 → both halves. */
export function namePhrases(name: string): string[] {
  return name
    .split(/[\s/／、，,（）()：:·]+/u)
    .map((p) => p.trim())
    .filter((p) => p.length >= 2);
}

/** The text of an item as the catalog gives it: names, keywords and its category. */
export function catalogText(item: Pick<CatalogItem, 'name' | 'categoryName' | 'keywords'>): string {
  return [...namePhrases(item.name), ...(item.keywords ?? []), item.categoryName].join('，');
}

/**
 * Item suggestion from free text: multinomial naive Bayes over the words, character bigrams and
 * characters of the text, trained on the catalog's own words and on closed cases. Pure given
 * its segmenter; the service feeds it from the database.
 */
export class ItemClassifier {
  private readonly nb = new NaiveBayes(MODEL_SETTINGS.alpha);

  constructor(private readonly cutter: WordCutter) {}

  /** Learns the catalog's own words for each item. */
  addCatalog(items: readonly CatalogItem[]): void {
    for (const item of items) this.nb.add(item.code, textFeatures(catalogText(item), this.cutter).features, MODEL_SETTINGS.catalogWeight);
  }

  /** Learns one closed case: what the reporter said, and the item it turned out to be. */
  addCase(itemCode: string, description: string): void {
    this.nb.add(itemCode, textFeatures(description, this.cutter).features);
  }

  /**
   * The `k` items of `items` (the active catalog) most likely meant by `text`, best first, with
   * a confidence (softmax over all of `items`, so the scores of every item sum to 1) and the
   * words of the text that weighed most for each, strongest first.
   */
  suggest(text: string, items: readonly CatalogItem[], k: number): ItemSuggestion[] {
    if (items.length === 0) return [];
    const { features, words } = textFeatures(text, this.cutter);
    const labels = items.map((i) => i.code);
    const known = features.filter((f) => this.nb.knows(f)).length;
    const scores = softmax(this.nb.logPosteriors(labels, features, MODEL_SETTINGS.priorWeight), MODEL_SETTINGS.temperature * Math.sqrt(Math.max(1, known)));
    return items
      .map((item, i) => ({ item, score: scores[i]! }))
      // ties (a text with no known word) fall back to catalog order, so the answer is stable
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.max(1, k))
      .map(({ item, score }) => {
        const weight = this.nb.contributions(item.code, labels, features);
        const driving = words
          .map((w) => ({ word: w.word, weight: w.features.reduce((s, f) => s + (weight.get(f) ?? 0), 0) }))
          .filter((w) => w.weight > 0.5)
          .sort((a, b) => b.weight - a.weight);
        return {
          itemCode: item.code,
          itemName: item.name,
          category: item.category,
          // unrounded: a rounded 0 would read as impossible; the clients format it
          score,
          words: [...new Set(driving.map((w) => w.word))].slice(0, 5),
        };
      });
  }
}
