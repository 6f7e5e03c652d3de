import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import type { ClassifyRepo, ClosedCase } from './classify.repo.js';
import { ItemClassifier, namePhrases } from './item-classifier.js';
import { Segmenter } from './segmenter.js';

/**
 * Below this confidence of the best suggestion a person picks the item: the hotline adapter
 * leaves the case waiting, the forms show the suggestions without preselecting one. Chosen from
 * the measured precision (docs/CLASSIFIER.md): at or above it the best suggestion was right for
 * 98 % of the realistic test texts (95 % with the keywords those texts use taken out of the catalog).
 */
export const SUGGESTION_THRESHOLD = 0.5;

/** How many suggestions an answer carries unless asked otherwise. */
export const SUGGESTION_COUNT = 3;

interface Model {
  catalogVersion: number;
  items: CatalogItem[];
  classifier: ItemClassifier;
}

/**
 * The admitted item from a matter described in the reporter's own words (机器派单's first step).
 * Trained on the active catalog (names, keywords, category) and on the county's closed cases.
 * The closed cases are read through the store once, at start (`load`); the model is built from
 * them on first use, not at every start (segmenting every closed case costs a fraction of a second
 * that a server which never classifies, or a test, should not pay), rebuilt whenever another
 * catalog version has become active (the catalog's snapshot, kept fresh by the catalog), and learns
 * each case as it closes (`caseChanged`, wired to the bus in app.ts: every node's closings, through
 * the change feed), which also joins the cases a rebuild learns from. Suggestions stay synchronous
 * for the channel adapters and forms. Only items of the active catalog are suggested.
 */
export class ClassifyService {
  readonly threshold = SUGGESTION_THRESHOLD;
  private segmenter: Segmenter | null = null;
  private model: Model | null = null;
  /** The closed cases learnt from (null until `load`); `known` their ids, so a repeated `closed` announcement is not counted twice. */
  private cases: ClosedCase[] | null = null;
  private readonly known = new Set<string>();

  constructor(private readonly deps: { catalog: CatalogRepo; repo: ClassifyRepo }) {}

  /** The `k` most likely items of the active catalog, best first (fewer only when the catalog has fewer). */
  suggest(text: string, k: number = SUGGESTION_COUNT): ItemSuggestion[] {
    const model = this.current();
    return model.classifier.suggest(text, model.items, k);
  }

  /** Reads the closed cases the model learns from (at start, before requests are answered). */
  async load(): Promise<void> {
    const loaded = await this.deps.repo.closedCases();
    // a case that closed while they were read came in through `caseChanged` already
    const cases = this.cases ?? [];
    for (const c of loaded) {
      if (this.known.has(c.id)) continue;
      this.known.add(c.id);
      cases.push(c);
    }
    this.cases = cases;
  }

  /** Learns a case the moment it closes (a `case:changed` of the bus); other changes are ignored. */
  caseChanged(event: EventRecord): void {
    if (event.status !== 'closed' || this.known.has(event.id)) return;
    this.known.add(event.id);
    (this.cases ??= []).push({ id: event.id, itemCode: event.itemCode, description: event.description, closedAt: event.closedAt ?? '' });
    if (!this.model) return;
    try {
      this.model.classifier.addCase(event.itemCode, event.description);
    } catch {
      // A bus listener must not throw. Dropping the model is safe: the next suggestion rebuilds
      // it from the cases, this one included.
      this.model = null;
    }
  }

  /** Builds the model now, ahead of the first request (the bench, or a server that should not make its first caller wait). */
  warm(): void {
    this.current();
  }

  private current(): Model {
    if (!this.cases) throw new Error('ClassifyService.load must run before the first suggestion');
    const active = this.deps.catalog.active();
    if (this.model?.catalogVersion === active.version) return this.model;
    this.segmenter ??= new Segmenter();
    this.segmenter.addWords(active.items.flatMap((i) => [...namePhrases(i.name), ...(i.keywords ?? [])]));
    const classifier = new ItemClassifier(this.segmenter);
    classifier.addCatalog(active.items);
    for (const c of this.cases) classifier.addCase(c.itemCode, c.description);
    this.model = { catalogVersion: active.version, items: active.items, classifier };
    return this.model;
  }
}
